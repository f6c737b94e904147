// The audit log (admins only): who read which free text and case, who exported what,
// who changed the model. GET /api/v1/audit with filters login, action and period,
// newest first, paged by cursor. Owned by helper app2.
import type { Query } from '../api';
import type { Lang, PageContext, PageModule } from '../page';
import { h, replace } from '../dom';
import { COMMON, fmtDate, fmtNumber } from '../i18n';
import { errorBox, field, loading, select } from '../ui';
import { dataTable } from '../table';
import '../insight.css';

const S: Record<Lang, Record<string, string>> = {
  fi: { title: 'Lokitiedot', nav: 'Loki', login: 'Käyttäjätunnus', action: 'Tapahtuma', from: 'Alkaen', to: 'Päättyen', show: 'Näytä', caption: 'Lokitapahtumat (uusin ensin), sivu {p}', at: 'Aika', object: 'Kohde', count: 'Määrä', none: 'Ei tapahtumia näillä valinnoilla.', forbidden: 'Lokitiedot näkyvät vain pääkäyttäjälle.', filters: 'Lokin suodattimet', first: 'Ensimmäinen sivu', paging: 'Sivut' },
  sv: { title: 'Loggen', nav: 'Logg', login: 'Användarnamn', action: 'Händelse', from: 'Från', to: 'Till', show: 'Visa', caption: 'Logghändelser (nyaste först), sida {p}', at: 'Tid', object: 'Objekt', count: 'Antal', none: 'Inga händelser med dessa val.', forbidden: 'Loggen visas bara för huvudanvändare.', filters: 'Loggens filter', first: 'Första sidan', paging: 'Sidor' },
  en: { title: 'Audit log', nav: 'Audit', login: 'Login', action: 'Action', from: 'From', to: 'To', show: 'Show', caption: 'Audit entries (newest first), page {p}', at: 'Time', object: 'Object', count: 'Count', none: 'No entries with these choices.', forbidden: 'The audit log is shown to administrators only.', filters: 'Audit filters', first: 'First page', paging: 'Pages' },
};

export const AUDIT_ACTIONS = ['responses.list', 'responses.get', 'comments.original', 'cases.list', 'cases.get', 'contact.read', 'case.status', 'case.reply', 'export.csv', 'export.xlsx', 'model.publish', 'session.login', 'session.failed', 'session.locked', 'audit.read', 'actions.write'];

interface Entry { at: string; login: string; action: string; object: string | null; count: number | null }

const PAGE = 50;

async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const lang = ctx.lang;
  const s = S[lang];
  root.appendChild(h('h1', null, s.title));
  if (!ctx.me.permissions.read_audit) {
    root.appendChild(h('p', { class: 'notice', role: 'note' }, s.forbidden));
    return;
  }
  const q = ctx.query;
  const login = h('input', { type: 'text', name: 'login', value: q.get('login') ?? '', autocomplete: 'off' });
  const action = select('action', [['', COMMON[lang].all], ...AUDIT_ACTIONS.map((a): [string, string] => [a, a])], q.get('action') ?? '');
  const from = h('input', { type: 'date', name: 'from', value: q.get('from') ?? '' });
  const to = h('input', { type: 'date', name: 'to', value: q.get('to') ?? '' });
  const form = h('form', { class: 'audit-filters', 'aria-label': s.filters },
    field(s.login, login), field(s.action, action), field(s.from, from), field(s.to, to),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, s.show)));
  const results = h('div', { class: 'audit-results' });
  root.append(form, results);

  const filters = (): Query => ({ login: login.value.trim(), action: action.value, from: from.value, to: to.value });
  // Cursors of the pages seen so far: cursors[i] opens page i+1 ('' = the first).
  let cursors: string[] = [''];
  const show = async (page: number) => {
    replace(results, loading(lang));
    results.setAttribute('aria-busy', 'true');
    try {
      const res = await ctx.api.get<{ entries: Entry[]; next_cursor: string | null }>('/api/v1/audit', { ...filters(), cursor: cursors[page], limit: PAGE });
      if (res.next_cursor) cursors[page + 1] = res.next_cursor;
      else cursors = cursors.slice(0, page + 1);
      const nav = h('nav', { class: 'pager', 'aria-label': s.paging },
        h('button', { type: 'button', class: 'secondary', disabled: page === 0, onclick: () => void show(0) }, s.first),
        h('button', { type: 'button', class: 'secondary', disabled: page === 0, onclick: () => void show(page - 1) }, COMMON[lang].previous),
        h('button', { type: 'button', class: 'secondary', disabled: !res.next_cursor, onclick: () => void show(page + 1) }, COMMON[lang].next));
      replace(results, dataTable<Entry>({
        caption: s.caption.replace('{p}', String(page + 1)),
        lang,
        rows: res.entries,
        empty: s.none,
        columns: [
          { label: s.at, cell: (e) => fmtDate(lang, e.at, true) },
          { label: s.login, cell: (e) => e.login },
          { label: s.action, cell: (e) => h('code', null, e.action) },
          { label: s.object, cell: (e) => e.object ?? '' },
          { label: s.count, numeric: true, cell: (e) => (e.count === null || e.count === undefined ? '' : fmtNumber(lang, e.count)) },
        ],
      }), nav);
    } catch (e) {
      replace(results, errorBox(lang, e));
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(filters())) if (v) params.set(k, String(v));
    history.replaceState(null, '', `/app/audit${params.toString() ? `?${params.toString()}` : ''}`);
    cursors = [''];
    void show(0);
  });
  await show(0);
}

export const auditPage: PageModule = {
  path: '/audit',
  title: (lang) => S[lang].title,
  nav: { order: 80, label: (lang) => S[lang].nav, visible: (me) => me.permissions.read_audit },
  render,
};
