// Building the page: every text goes in with textContent and every attribute with setAttribute,
// never innerHTML, so a function name, file path, label or target name is always shown as written
// and can never become markup.

type Child = Node | string | null | undefined | false;

/** An element with attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | null | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, v);
  append(e, ...children);
  return e;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** Removes every child. */
export function clear(e: Node): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}

/** Replaces the children of `e`. */
export function replace(e: Node, ...children: Child[]): void {
  clear(e);
  append(e, ...children);
}

/** A link inside the page (hash route). */
export function link(href: string, cls: string | null, ...children: Child[]): HTMLAnchorElement {
  return el('a', { href, class: cls }, ...children);
}

/** A titled card section; returns the card and its body. */
export function card(title: string, extra?: Child): { card: HTMLElement; body: HTMLElement; head: HTMLElement } {
  const head = el('div', { class: 'card-head' }, el('h2', {}, title), extra);
  const body = el('div', { class: 'card-body' });
  return { card: el('section', { class: 'card' }, head, body), body, head };
}

/** A small coloured label ("up", "growth", ...). */
export function badge(text: string, tone: 'ok' | 'bad' | 'warn' | 'muted' | 'info'): HTMLElement {
  return el('span', { class: `badge badge-${tone}` }, text);
}

/** A figure with its caption, for the stat strips. */
export function stat(label: string, value: string, tone?: 'ok' | 'bad' | 'warn'): HTMLElement {
  return el('div', { class: `stat${tone ? ` stat-${tone}` : ''}` }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, label));
}
