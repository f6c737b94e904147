// The accessible data table of the insight pages: a real <table> with <caption>,
// <th scope="col"> headers and a <th scope="row"> first column, in a focusable
// scroll region, with "Download CSV" / "Download Excel" buttons that fetch the same
// query from the server with format=csv / format=xlsx (the server suppresses and
// audits every export). Owned by helper app2.
import type { Api, Query } from './api';
import type { Lang } from './page';
import { h, uid } from './dom';
import { exportMany } from './export-many';

type Child = Node | string | number | null | undefined | false | Child[];

export interface Column<R> {
  label: string;
  // Right-aligned figures.
  numeric?: boolean;
  cell(row: R): Child;
}

export interface ExportSpec {
  api: Api;
  path: string;
  query: Query;
  // File-name hint shown to screen readers ("NPS by unit").
  what: string;
  // Called with a message to announce (success or error).
  announce?(message: string): void;
  // A table made of several queries (one row each, e.g. the core statements): the
  // export fetches each query's CSV from the server and joins them into one file with
  // a first column `key`.
  many?: { key: string; query: Query }[];
}

export interface TableOptions<R> {
  caption: string;
  columns: Column<R>[];
  rows: R[];
  lang: Lang;
  // Shown in a single row when there are no rows.
  empty?: string;
  // Export buttons (only when set: the caller checks me.permissions.export).
  export?: ExportSpec;
  // Below the table (notes on suppression, periods).
  footnote?: Child;
  // Extra class on the wrapper.
  className?: string;
}

const S: Record<Lang, { csv: string; xlsx: string; downloading: string; downloaded: string; failed: string; region: string }> = {
  fi: { csv: 'Lataa CSV', xlsx: 'Lataa Excel', downloading: 'Ladataan tiedostoa…', downloaded: 'Tiedosto ladattu', failed: 'Lataus epäonnistui', region: 'Taulukko' },
  sv: { csv: 'Ladda ner CSV', xlsx: 'Ladda ner Excel', downloading: 'Filen laddas ner…', downloaded: 'Filen har laddats ner', failed: 'Nedladdningen misslyckades', region: 'Tabell' },
  en: { csv: 'Download CSV', xlsx: 'Download Excel', downloading: 'Downloading…', downloaded: 'File downloaded', failed: 'Download failed', region: 'Table' },
};

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// Saves a Blob under `filename` through a temporary <a download>.
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, class: 'visually-hidden' }, filename);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// Downloads `spec`'s query as CSV or Excel.
export async function exportTable(spec: ExportSpec, format: 'csv' | 'xlsx', lang: Lang): Promise<void> {
  const accept = format === 'csv' ? 'text/csv' : XLSX_TYPE;
  const say = spec.announce ?? (() => {});
  say(S[lang].downloading);
  try {
    const { blob, filename } = spec.many
      ? await exportMany(spec.api, spec.path, spec.many, format, spec.what)
      : await spec.api.download(spec.path, { ...spec.query, format }, accept);
    const name = /\.(csv|xlsx)$/i.test(filename) ? filename : `kaiku-${spec.what.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.${format}`;
    saveBlob(blob, name);
    say(`${S[lang].downloaded}: ${name}`);
  } catch (e) {
    say(`${S[lang].failed}: ${(e as Error).message}`);
  }
}

// The export buttons of a table.
export function exportButtons(spec: ExportSpec, lang: Lang): HTMLElement {
  return h(
    'div',
    { class: 'export-buttons' },
    h('button', { type: 'button', class: 'secondary', 'data-export': 'csv', 'aria-label': `${S[lang].csv}: ${spec.what}`, onclick: () => void exportTable(spec, 'csv', lang) }, S[lang].csv),
    h('button', { type: 'button', class: 'secondary', 'data-export': 'xlsx', 'aria-label': `${S[lang].xlsx}: ${spec.what}`, onclick: () => void exportTable(spec, 'xlsx', lang) }, S[lang].xlsx),
  );
}

// Builds the table. The first column is the row header.
export function dataTable<R>(o: TableOptions<R>): HTMLElement {
  const capId = uid('cap');
  const head = h('thead', null, h('tr', null, o.columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label))));
  const body = h('tbody');
  if (o.rows.length === 0) {
    body.appendChild(h('tr', null, h('td', { colspan: o.columns.length, class: 'empty' }, o.empty ?? '—')));
  }
  for (const r of o.rows) {
    body.appendChild(
      h(
        'tr',
        null,
        o.columns.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c.cell(r)) : h('td', { class: c.numeric ? 'num' : null }, c.cell(r)))),
      ),
    );
  }
  const table = h('table', { class: 'data' }, h('caption', { id: capId }, o.caption), head, body);
  return h(
    'div',
    { class: `data-table ${o.className ?? ''}`.trim() },
    h('div', { class: 'table-scroll', role: 'region', 'aria-labelledby': capId, tabindex: 0 }, table),
    o.footnote ? h('div', { class: 'table-note' }, o.footnote) : null,
    o.export ? exportButtons(o.export, o.lang) : null,
  );
}
