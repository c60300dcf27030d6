// The HTML report's page data without a browser (html.browser.test.ts runs the page itself).
import { describe, expect, it } from 'vitest';
import { analyzeDump } from '../analyze/index.js';
import { dumpOf, goroutine, many } from '../analyze/testdata/factory.js';
import { LEVELS, pageData } from './html-data.js';
import { renderDumpHtml } from './html.js';

const dump = dumpOf([
  ...many(4, { state: 'chan receive', frames: ['shop/cart.(*Cart).wait /home/ci/shop/cart/cart.go:40', 'shop/cart.(*Cart).Checkout /home/ci/shop/cart/cart.go:12'], labels: { tenant: 'a' } }),
  ...many(2, { state: 'chan receive', frames: ['shop/cart.(*Cart).wait /home/ci/shop/cart/cart.go:40', 'shop/cart.(*Cart).Checkout /home/ci/shop/cart/cart.go:12'], labels: { tenant: 'b' } }),
  goroutine({ state: 'chan send (nil chan)', frames: ['main.send /srv/app/main.go:9'] }),
]);

describe('the HTML page data', () => {
  const data = pageData(analyzeDump(dump, { modulePath: 'shop' }), 't', '1 section: traceback');

  it('interns strings: a function or file is stored once however many stacks name it', () => {
    expect(data.strings.filter((s) => s === 'shop/cart.(*Cart).wait')).toHaveLength(1);
    expect(data.strings.filter((s) => s === '/home/ci/shop/cart/cart.go')).toHaveLength(1);
    const [a, b] = data.groups.filter((g) => g.n === 4 || g.n === 2);
    expect(a!.f).toEqual(b!.f);
  });

  it('keeps levels, labels, and each file with its short form', () => {
    const levels = data.groups.map((g) => LEVELS[g.v]);
    expect(levels[0]).toBe('definite');
    const labels = data.groups.map((g) => g.b.map((i) => data.strings[i]).join('='));
    expect(labels).toEqual(expect.arrayContaining(['tenant=a', 'tenant=b']));
    const files = data.files.map(([full, short]) => [data.strings[full], data.strings[short]]);
    expect(files).toEqual(expect.arrayContaining([['/home/ci/shop/cart/cart.go', 'shop/cart/cart.go'], ['/srv/app/main.go', 'app/main.go']]));
  });

  it('embeds the data so that no dump text can end the script element', () => {
    const html = renderDumpHtml(analyzeDump(dumpOf([goroutine({ labels: { x: '</script><script>alert(1)</script>' } })])), 'a <b> title');
    expect(html).not.toContain('</script><script>alert');
    expect(html).toContain('<title>a &lt;b&gt; title</title>');
  });

  it('carries the lines dump --source gives a group, for its detail pane, and nothing for the others', () => {
    const a = analyzeDump(dump, { modulePath: 'shop' });
    const withSource = pageData(a, 't', 's', (g) => (g.suspect?.level === 'definite' ? ['missed by scan', 'x.go:9: send'] : []));
    const definite = withSource.groups.find((g) => LEVELS[g.v] === 'definite')!;
    expect(withSource.strings[definite.x!]).toBe('missed by scan\nx.go:9: send');
    expect(withSource.groups.filter((g) => g.x !== undefined)).toHaveLength(1);
    expect(data.groups.every((g) => g.x === undefined)).toBe(true);
  });
});
