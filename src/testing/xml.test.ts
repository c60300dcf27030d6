import { describe, expect, it } from 'vitest';
import { xmlProblems } from './xml.js';

describe('xmlProblems', () => {
  it('accepts well-formed XML', () => {
    expect(xmlProblems('<?xml version="1.0"?>\n<a x="1 &amp; 2" y=\'&#60;\'><b/><!-- c --><c>t &lt; u</c></a>\n')).toEqual([]);
  });

  it('finds what makes XML malformed', () => {
    expect(xmlProblems('<a><b></a>')).toEqual(['offset 10: end tag </a> closes <b>', 'unclosed element <a>']);
    expect(xmlProblems('<a x="1 & 2"/>')).toEqual(['offset 8: bare "&"']);
    expect(xmlProblems('<a>1 < 2</a>')).toEqual(['offset 6: bad start tag', 'unclosed element <a>']);
    expect(xmlProblems('<a/><b/>')).toEqual(['offset 6: second root element <b>']);
    expect(xmlProblems('<a x="1" x="2"/>')).toEqual(['offset 10: duplicate attribute x in <a>']);
    expect(xmlProblems('{"json": true}')).toEqual(['offset 0: text outside the root element', 'no root element']);
  });
});
