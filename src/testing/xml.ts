// A well-formedness check of XML for tests (goroscope writes JUnit XML and has no XML parser as
// a dependency): one root element, tags that nest and close, quoted attributes without
// duplicates, and no raw "<" or bare "&" in text or attribute values. Not a validating parser.

const NAME = /[A-Za-z_:][\w.:-]*/y;
const REFERENCE = /&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9A-Fa-f]+);/y;

/** The first few problems found, or [] when `text` is well-formed. */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) return ['unterminated XML declaration'];
    i = end + 2;
  }
  const fail = (what: string) => problems.push(`offset ${i}: ${what}`);
  const readName = (): string | null => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) return null;
    i += m[0].length;
    return m[0];
  };
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  /** Checks text up to `end` for raw "<" and bare "&". */
  const checkChars = (end: number) => {
    for (let j = i; j < end; j++) {
      if (text[j] === '<') return void problems.push(`offset ${j}: raw "<"`);
      if (text[j] === '&') {
        REFERENCE.lastIndex = j;
        if (!REFERENCE.test(text)) return void problems.push(`offset ${j}: bare "&"`);
      }
    }
  };
  while (i < text.length && problems.length < 5) {
    if (text[i] !== '<') {
      const next = text.indexOf('<', i);
      const end = next < 0 ? text.length : next;
      if (stack.length === 0 && text.slice(i, end).trim() !== '') fail('text outside the root element');
      checkChars(end);
      i = end;
      continue;
    }
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return [...problems, `offset ${i}: unterminated comment`];
      i = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (end < 0 || stack.length === 0) return [...problems, `offset ${i}: bad CDATA section`];
      i = end + 3;
      continue;
    }
    if (text[i + 1] === '/') {
      i += 2;
      const name = readName();
      skipSpace();
      if (text[i] !== '>') fail('bad end tag');
      i++;
      const open = stack.pop();
      if (name !== open) fail(`end tag </${name}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    i++;
    const name = readName();
    if (!name) {
      fail('bad start tag');
      break;
    }
    if (stack.length === 0 && ++roots > 1) fail(`second root element <${name}>`);
    const seen = new Set<string>();
    for (;;) {
      const before = i;
      skipSpace();
      if (text.startsWith('/>', i)) {
        i += 2;
        break;
      }
      if (text[i] === '>') {
        i++;
        stack.push(name);
        break;
      }
      if (i === before) {
        fail(`no space before an attribute of <${name}>`);
        return problems;
      }
      const attr = readName();
      if (!attr || text[i] !== '=' || (text[i + 1] !== '"' && text[i + 1] !== "'")) {
        fail(`bad attribute in <${name}>`);
        return problems;
      }
      if (seen.has(attr)) fail(`duplicate attribute ${attr} in <${name}>`);
      seen.add(attr);
      const quote = text[i + 1]!;
      i += 2;
      const end = text.indexOf(quote, i);
      if (end < 0) return [...problems, `offset ${i}: unterminated attribute value`];
      checkChars(end);
      i = end + 1;
    }
  }
  if (stack.length > 0) problems.push(`unclosed element <${stack[stack.length - 1]}>`);
  if (roots === 0) problems.push('no root element');
  return problems.slice(0, 5);
}
