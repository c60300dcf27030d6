// A table of rows that sorts on a header click, filters on a search box, and redraws with new rows
// without losing either. Cells are built by the columns (text or nodes, never markup).
import { el, replace } from './dom.js';

export interface Column<R> {
  key: string;
  title: string;
  /** Sort key of a row; absent: the column does not sort. */
  sort?: (r: R) => number | string;
  /** Numbers sort largest first on the first click, text A to Z. */
  cell: (r: R) => Node | string;
  /** Extra class of the column's cells ("num", "wide", "narrow-hide"). */
  cls?: string;
  title_hint?: string;
}

export interface TableOptions<R> {
  /** Text the search box matches (lower-cased); absent: no search box. */
  search?: (r: R) => string;
  searchPlaceholder?: string;
  /** Where a click on the row goes. */
  rowHref?: (r: R) => string;
  rowClass?: (r: R) => string | null;
  empty: string;
  /** Rows shown before "show more". */
  page?: number;
  /** The row attribute that names it, for tests and links: data-id. */
  id: (r: R) => string;
}

export class DataTable<R> {
  readonly element: HTMLElement;
  private readonly tbody = el('tbody');
  private readonly thead = el('thead');
  private readonly footer = el('div', { class: 'table-foot' });
  private readonly input: HTMLInputElement | null = null;
  private rows: R[] = [];
  private sortKey: string | null = null;
  private sortDir = 1;
  private shown: number;

  constructor(
    private readonly columns: ReadonlyArray<Column<R>>,
    private readonly o: TableOptions<R>,
  ) {
    this.shown = o.page ?? 100;
    const tools = el('div', { class: 'table-tools' });
    if (o.search) {
      this.input = el('input', { type: 'search', class: 'search', placeholder: o.searchPlaceholder ?? 'Search', 'aria-label': o.searchPlaceholder ?? 'Search' });
      this.input.addEventListener('input', () => this.render());
      tools.appendChild(this.input);
    }
    const headRow = el('tr');
    for (const c of columns) {
      const th = el('th', { class: [c.cls, c.sort ? 'sortable' : null].filter(Boolean).join(' ') || null, 'data-key': c.key, title: c.title_hint ?? (c.sort ? `Sort by ${c.title.toLowerCase()}` : null), scope: 'col' }, c.title);
      if (c.sort) th.addEventListener('click', () => this.sortBy(c.key));
      headRow.appendChild(th);
    }
    this.thead.appendChild(headRow);
    this.element = el('div', { class: 'table-block' }, o.search ? tools : null, el('div', { class: 'table-wrap' }, el('table', { class: 'data' }, this.thead, this.tbody)), this.footer);
  }

  update(rows: R[]): void {
    this.rows = rows;
    this.render();
  }

  private sortBy(key: string): void {
    this.sortDir = this.sortKey === key ? -this.sortDir : 1;
    this.sortKey = key;
    this.render();
  }

  private ordered(): R[] {
    const q = this.input?.value.trim().toLowerCase() ?? '';
    const search = this.o.search;
    const rows = q && search ? this.rows.filter((r) => search(r).includes(q)) : [...this.rows];
    const column = this.columns.find((c) => c.key === this.sortKey);
    if (column?.sort) {
      const value = column.sort;
      const index = new Map(rows.map((r, i) => [r, i]));
      rows.sort((a, b) => {
        const va = value(a);
        const vb = value(b);
        // Numbers: largest first; text: A to Z; then a second click reverses.
        const cmp = typeof va === 'number' && typeof vb === 'number' ? vb - va : String(va).localeCompare(String(vb));
        return cmp * this.sortDir || index.get(a)! - index.get(b)!;
      });
    }
    return rows;
  }

  private render(): void {
    for (const th of Array.from(this.thead.querySelectorAll('th'))) {
      const key = th.getAttribute('data-key');
      if (key === this.sortKey) th.setAttribute('aria-sort', this.sortDir === 1 ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
    const rows = this.ordered();
    const body: HTMLElement[] = [];
    for (const r of rows.slice(0, this.shown)) {
      const tr = el('tr', { 'data-id': this.o.id(r), class: this.o.rowClass?.(r) ?? null });
      for (const c of this.columns) tr.appendChild(el('td', { class: c.cls ?? null }, c.cell(r)));
      const target = this.o.rowHref?.(r);
      if (target) {
        tr.classList.add('clickable');
        tr.addEventListener('click', (ev) => {
          if ((ev.target as HTMLElement).closest('a') || window.getSelection()?.toString()) return;
          location.hash = target;
        });
      }
      body.push(tr);
    }
    if (body.length === 0) body.push(el('tr', { class: 'empty' }, el('td', { colspan: String(this.columns.length) }, this.rows.length === 0 ? this.o.empty : 'Nothing matches the search.')));
    replace(this.tbody, ...body);
    const more = rows.length - this.shown;
    if (more > 0) {
      const button = el('button', { type: 'button', class: 'more' }, `Show ${more} more`);
      button.addEventListener('click', () => {
        this.shown = Infinity;
        this.render();
      });
      replace(this.footer, `${this.shown} of ${rows.length} shown `, button);
    } else {
      replace(this.footer, rows.length === this.rows.length ? '' : `${rows.length} of ${this.rows.length} match`);
    }
  }
}
