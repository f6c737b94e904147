// The feedback inbox (GET /api/v1/cases): filters kept in the URL query, newest
// first, cursor paging; and the "overdue by unit" view (GET /api/v1/cases/overdue).
import type { Api } from '../api';
import { getModel, themeLabel, touchpointName, unitTree, type Model } from '../data';
import { h, replace } from '../dom';
import { COMMON, fmtDate, fmtNumber, localized } from '../i18n';
import { ANSWER_LANGUAGE, BAND, BANDS, CHANNEL, CHANNELS, KIND, KINDS, label, OPEN_STATUSES, SENTIMENT, STATUS, STATUSES } from '../labels';
import type { Lang, PageContext, PageModule } from '../page';
import { appHref, badge, checkbox, errorBox, field, loading, scrollTable, select } from '../ui';

export interface CaseSummary {
  id: number;
  kind: string;
  status: string;
  unit: string;
  unit_name?: Partial<Record<string, string>>;
  touchpoint?: string | null;
  channel: string;
  language: string;
  received_at: string;
  due_at: string;
  overdue: boolean;
  band: string;
  nps?: number | null;
  alert: boolean;
  safety: boolean;
  has_contact: boolean;
  assignee: { user_id: number; login: string } | null;
  assigned_unit: string | null;
  themes: string[];
  sentiment?: string | null;
  suggestion?: boolean;
  excerpt: string;
}

interface CaseList { cases: CaseSummary[]; next_cursor: string | null; total?: number; total_capped?: boolean }
interface OverdueUnit { unit: string; unit_name?: Partial<Record<string, string>>; overdue: number; open: number; oldest_due_at?: string | null }

const S = {
  fi: {
    title: 'Palautteet', nav: 'Palautteet', overdueTitle: 'Myöhässä yksiköittäin', views: 'Näkymät', allCases: 'Kaikki tapaukset',
    filters: 'Suodattimet', q: 'Hae tekstistä', qHint: 'Sanoja palautteen tekstistä; sanan alku tähdellä, esim. jono*.',
    unit: 'Yksikkö', allUnits: 'Koko alueeni', touchpoint: 'Kosketuspiste', channel: 'Kanava', kind: 'Tyyppi', band: 'Suositteluluokka',
    theme: 'Teema', sentiment: 'Sävy', status: 'Tila', language: 'Kieli', from: 'Alkaen', to: 'Päättyen', assignee: 'Käsittelijä',
    anyone: 'Kuka tahansa', mine: 'Minulle osoitetut', alertOnly: 'Vain hälytykset', overdueOnly: 'Vain myöhässä olevat',
    apply: 'Näytä', clear: 'Tyhjennä suodattimet', more: 'Lisää suodattimia', period: 'Ajanjakso',
    caption: 'Tapaukset, uusin ensin', captionCount: '{n} tapausta', none: 'Ei tapauksia näillä suodattimilla.',
    colCase: 'Tapaus', colReceived: 'Saapunut', colUnit: 'Yksikkö', colStatus: 'Tila ja käsittelijä', colDue: 'Määräaika', colScore: 'Suosittelu',
    colThemes: 'Teemat', colText: 'Teksti (anonymisoitu)', overdue: 'Myöhässä', alert: 'Hälytys', safety: 'Turvallisuus', contact: 'Yhteydenotto',
    nextPage: 'Seuraava sivu', firstPage: 'Ensimmäinen sivu', showing: 'Sivu {p}', found: '{n} tapausta löytyi.',
    alerts: 'Uusia hälytyksiä: {n}.', showAlerts: 'Näytä ne', nps: 'suositteluarvio {n}/10', unitCase: 'yksikölle', nobody: 'ei käsittelijää',
    ovUnit: 'Yksikkö', ovOverdue: 'Myöhässä', ovOpen: 'Avoinna', ovOldest: 'Vanhin määräaika', ovCaption: 'Avoimet tapaukset yksiköittäin, eniten myöhässä ensin',
    ovNone: 'Alueellasi ei ole avoimia tapauksia.', ovShow: 'Näytä yksikön myöhässä olevat tapaukset',
  },
  sv: {
    title: 'Respons', nav: 'Respons', overdueTitle: 'Försenade per enhet', views: 'Vyer', allCases: 'Alla ärenden',
    filters: 'Filter', q: 'Sök i texten', qHint: 'Ord ur responsens text; ordets början med asterisk, t.ex. kö*.',
    unit: 'Enhet', allUnits: 'Hela mitt område', touchpoint: 'Kontaktpunkt', channel: 'Kanal', kind: 'Typ', band: 'Rekommendationsgrupp',
    theme: 'Tema', sentiment: 'Ton', status: 'Status', language: 'Språk', from: 'Från', to: 'Till', assignee: 'Handläggare',
    anyone: 'Vem som helst', mine: 'Tilldelade mig', alertOnly: 'Endast larm', overdueOnly: 'Endast försenade',
    apply: 'Visa', clear: 'Töm filtren', more: 'Fler filter', period: 'Period',
    caption: 'Ärenden, nyaste först', captionCount: '{n} ärenden', none: 'Inga ärenden med dessa filter.',
    colCase: 'Ärende', colReceived: 'Inkommet', colUnit: 'Enhet', colStatus: 'Status och handläggare', colDue: 'Tidsfrist', colScore: 'Rekommendation',
    colThemes: 'Teman', colText: 'Text (anonymiserad)', overdue: 'Försenat', alert: 'Larm', safety: 'Säkerhet', contact: 'Kontakt',
    nextPage: 'Nästa sida', firstPage: 'Första sidan', showing: 'Sida {p}', found: '{n} ärenden hittades.',
    alerts: 'Nya larm: {n}.', showAlerts: 'Visa dem', nps: 'rekommendation {n}/10', unitCase: 'till enheten', nobody: 'ingen handläggare',
    ovUnit: 'Enhet', ovOverdue: 'Försenade', ovOpen: 'Öppna', ovOldest: 'Äldsta tidsfrist', ovCaption: 'Öppna ärenden per enhet, flest försenade först',
    ovNone: 'Det finns inga öppna ärenden i ditt område.', ovShow: 'Visa enhetens försenade ärenden',
  },
  en: {
    title: 'Feedback inbox', nav: 'Inbox', overdueTitle: 'Overdue by unit', views: 'Views', allCases: 'All cases',
    filters: 'Filters', q: 'Search the text', qHint: 'Words from the feedback text; a word start with an asterisk, e.g. queu*.',
    unit: 'Unit', allUnits: 'All of my area', touchpoint: 'Touchpoint', channel: 'Channel', kind: 'Type', band: 'Score band',
    theme: 'Theme', sentiment: 'Sentiment', status: 'Status', language: 'Language', from: 'From', to: 'To', assignee: 'Handler',
    anyone: 'Anyone', mine: 'Assigned to me', alertOnly: 'Alerts only', overdueOnly: 'Overdue only',
    apply: 'Show', clear: 'Clear filters', more: 'More filters', period: 'Period',
    caption: 'Cases, newest first', captionCount: '{n} cases', none: 'No cases with these filters.',
    colCase: 'Case', colReceived: 'Received', colUnit: 'Unit', colStatus: 'Status and handler', colDue: 'Due', colScore: 'Recommendation',
    colThemes: 'Themes', colText: 'Text (redacted)', overdue: 'Overdue', alert: 'Alert', safety: 'Safety', contact: 'Contact',
    nextPage: 'Next page', firstPage: 'First page', showing: 'Page {p}', found: '{n} cases found.',
    alerts: 'New alerts: {n}.', showAlerts: 'Show them', nps: 'score {n}/10', unitCase: 'to unit', nobody: 'no handler',
    ovUnit: 'Unit', ovOverdue: 'Overdue', ovOpen: 'Open', ovOldest: 'Oldest due date', ovCaption: 'Open cases by unit, most overdue first',
    ovNone: 'There are no open cases in your area.', ovShow: 'Show the unit\'s overdue cases',
  },
} satisfies Record<Lang, Record<string, string>>;

// The query parameters of GET /api/v1/cases the inbox keeps in its URL.
const API_PARAMS = ['q', 'unit', 'touchpoint', 'channel', 'kind', 'band', 'theme', 'sentiment', 'status', 'language', 'from', 'to', 'assignee', 'overdue', 'alert', 'cursor'];
const SECONDARY = ['touchpoint', 'channel', 'kind', 'band', 'theme', 'sentiment', 'language', 'from', 'to', 'assignee'];
const PAGE_SIZE = 50;

function apiQuery(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = { limit: String(PAGE_SIZE) };
  for (const k of API_PARAMS) {
    const v = query.get(k);
    if (v) out[k] = v;
  }
  return out;
}

function viewsNav(lang: Lang, current: 'inbox' | 'overdue'): HTMLElement {
  const t = S[lang];
  return h('nav', { class: 'subnav', 'aria-label': t.views },
    h('ul', null,
      h('li', null, h('a', { href: appHref('/inbox'), 'aria-current': current === 'inbox' ? 'page' : false }, t.allCases)),
      h('li', null, h('a', { href: appHref('/overdue'), 'aria-current': current === 'overdue' ? 'page' : false }, t.overdueTitle))));
}

function filterForm(ctx: PageContext, model: Model | null, query: URLSearchParams, onApply: (q: URLSearchParams) => void): HTMLFormElement {
  const { lang } = ctx;
  const t = S[lang];
  const all = COMMON[lang].all;
  const units = model ? unitTree(model, ctx.me.scope_unit) : [];
  const unitIds = new Set(units.map((u) => u.id));
  const tps = (model?.touchpoints ?? []).filter((tp) => tp.units.some((u) => unitIds.has(u)));
  const qInput = h('input', { type: 'search', name: 'q', value: query.get('q') ?? '' });
  const statuses = (query.get('status') ?? OPEN_STATUSES.join(',')).split(',');
  const secondaryOpen = SECONDARY.some((k) => query.get(k));

  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t.filters, method: 'get', action: appHref('/inbox') },
    h('div', { class: 'filter-row' },
      field(t.q, qInput, t.qHint, 'field grow'),
      field(t.unit, select('unit', [['', t.allUnits], ...units.map((u): [string, string] => [u.id, `${'\u00a0\u00a0'.repeat(u.depth)}${localized(u.name, lang)}`])], query.get('unit')))),
    h('fieldset', { class: 'inline-checks' },
      h('legend', null, t.status),
      STATUSES.map((s) => checkbox('status', s, label(STATUS, lang, s), statuses.includes(s)))),
    h('div', { class: 'inline-checks toggles' },
      checkbox('alert', 'true', t.alertOnly, query.get('alert') === 'true'),
      checkbox('overdue', 'true', t.overdueOnly, query.get('overdue') === 'true')),
    h('details', { class: 'more-filters', open: secondaryOpen },
      h('summary', null, t.more),
      h('div', { class: 'filter-grid' },
        field(t.kind, select('kind', [['', all], ...KINDS.map((k): [string, string] => [k, label(KIND, lang, k)])], query.get('kind'))),
        field(t.band, select('band', [['', all], ...BANDS.map((k): [string, string] => [k, label(BAND, lang, k)])], query.get('band'))),
        field(t.theme, select('theme', [['', all], ...(model?.themes ?? []).map((x): [string, string] => [x.id, localized(x.label, lang)])], query.get('theme'))),
        field(t.sentiment, select('sentiment', [['', all], ...['negative', 'mixed', 'neutral', 'positive'].map((k): [string, string] => [k, label(SENTIMENT, lang, k)])], query.get('sentiment'))),
        field(t.touchpoint, select('touchpoint', [['', all], ...tps.map((x): [string, string] => [x.id, localized(x.name, lang)])], query.get('touchpoint'))),
        field(t.channel, select('channel', [['', all], ...CHANNELS.map((k): [string, string] => [k, label(CHANNEL, lang, k)])], query.get('channel'))),
        field(t.language, select('language', [['', all], ...['fi', 'sv', 'en', 'fi-x-selko'].map((k): [string, string] => [k, label(ANSWER_LANGUAGE, lang, k)])], query.get('language'))),
        field(t.assignee, select('assignee', [['', t.anyone], ['me', t.mine]], query.get('assignee'))),
        field(t.from, h('input', { type: 'date', name: 'from', value: query.get('from') ?? '' })),
        field(t.to, h('input', { type: 'date', name: 'to', value: query.get('to') ?? '' })))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t.apply),
      h('button', { type: 'button', class: 'secondary', onclick: () => onApply(new URLSearchParams()) }, t.clear)));

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const q = new URLSearchParams();
    for (const k of API_PARAMS) {
      if (k === 'status' || k === 'cursor') continue;
      const v = data.get(k);
      if (typeof v === 'string' && v.trim()) q.set(k, v.trim());
    }
    const st = data.getAll('status').map(String);
    if (st.length && st.join(',') !== OPEN_STATUSES.join(',')) q.set('status', st.join(','));
    onApply(q);
  });
  return form;
}

function caseRow(lang: Lang, model: Model | null, c: CaseSummary): HTMLTableRowElement {
  const t = S[lang];
  const marks: Node[] = [];
  if (c.alert) marks.push(badge(`⚠ ${t.alert}`, 'alert'));
  if (c.safety) marks.push(badge(t.safety, 'alert'));
  if (c.has_contact) marks.push(badge(t.contact, 'contact'));
  const handler = c.assignee
    ? c.assignee.login
    : c.assigned_unit
      ? `${t.unitCase} ${model?.units.find((u) => u.id === c.assigned_unit) ? localized(model.units.find((u) => u.id === c.assigned_unit)?.name, lang) : c.assigned_unit}`
      : t.nobody;
  return h('tr', { class: c.overdue ? 'overdue' : null },
    h('th', { scope: 'row' },
      h('a', { href: appHref(`/cases/${c.id}`) }, `#${c.id} ${label(KIND, lang, c.kind)}`),
      marks.length ? h('div', { class: 'marks' }, marks) : null),
    h('td', null, fmtDate(lang, c.received_at, true)),
    h('td', null, localized(c.unit_name, lang) || c.unit, c.touchpoint ? h('div', { class: 'sub' }, touchpointName(model, c.touchpoint, lang)) : null),
    h('td', null, badge(label(STATUS, lang, c.status), `status-${c.status}`), h('div', { class: 'sub' }, handler)),
    h('td', null, fmtDate(lang, c.due_at), c.overdue ? h('div', null, badge(`! ${t.overdue}`, 'overdue')) : null),
    h('td', null, c.nps !== null && c.nps !== undefined
      ? [`${c.nps}/10`, h('div', { class: 'sub' }, label(BAND, lang, c.band).replace(/\s*\(.*\)$/, ''))]
      : h('span', { class: 'sub' }, label(BAND, lang, c.band))),
    h('td', null, c.themes.map((x) => themeLabel(model, x, lang)).join(', ')),
    h('td', { class: 'excerpt' }, c.excerpt));
}

async function loadList(api: Api, lang: Lang, model: Model | null, query: URLSearchParams, area: HTMLElement, onPage: (q: URLSearchParams) => void): Promise<number | null> {
  const t = S[lang];
  area.setAttribute('aria-busy', 'true');
  replace(area, loading(lang));
  let list: CaseList;
  try {
    list = await api.get<CaseList>('/api/v1/cases', apiQuery(query));
  } catch (e) {
    replace(area, errorBox(lang, e));
    area.removeAttribute('aria-busy');
    return null;
  }
  area.removeAttribute('aria-busy');
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const total = typeof list.total === 'number' ? list.total : null;
  if (!list.cases.length) {
    replace(area, h('p', { class: 'empty' }, t.none));
    return total ?? 0;
  }
  const caption = `${t.caption}${total !== null ? ` — ${t.captionCount.replace('{n}', (list.total_capped ? '> ' : '') + fmtNumber(lang, total))}` : ''}${page > 1 ? ` — ${t.showing.replace('{p}', String(page))}` : ''}`;
  const table = h('table', { class: 'cases' },
    h('caption', null, caption),
    h('thead', null, h('tr', null,
      [t.colCase, t.colReceived, t.colUnit, t.colStatus, t.colDue, t.colScore, t.colThemes, t.colText].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, list.cases.map((c) => caseRow(lang, model, c))));
  const pager = h('nav', { class: 'pager', 'aria-label': t.caption });
  if (page > 1) {
    const first = new URLSearchParams(query);
    first.delete('cursor');
    first.delete('page');
    pager.appendChild(h('a', { href: appHref(`/inbox?${first}`), onclick: (ev: Event) => { ev.preventDefault(); onPage(first); } }, t.firstPage));
  }
  if (list.next_cursor) {
    const next = new URLSearchParams(query);
    next.set('cursor', list.next_cursor);
    next.set('page', String(page + 1));
    pager.appendChild(h('a', { href: appHref(`/inbox?${next}`), rel: 'next', onclick: (ev: Event) => { ev.preventDefault(); onPage(next); } }, t.nextPage));
  }
  replace(area, scrollTable(table, caption), pager.childNodes.length ? pager : null);
  return total ?? list.cases.length;
}

async function alertBanner(ctx: PageContext, into: HTMLElement): Promise<void> {
  try {
    const r = await ctx.api.get<CaseList>('/api/v1/cases', { alert: 'true', status: 'new', limit: 1 });
    const n = typeof r.total === 'number' ? r.total : r.cases.length;
    if (!n) return;
    const t = S[ctx.lang];
    replace(into, h('p', { class: 'banner alert-banner' }, `⚠ ${t.alerts.replace('{n}', fmtNumber(ctx.lang, n))} `,
      h('a', { href: appHref('/inbox?alert=true&status=new') }, t.showAlerts)));
  } catch {
    // the list below shows the error
  }
}

async function renderInbox(root: HTMLElement, ctx: PageContext): Promise<void> {
  const { lang } = ctx;
  const t = S[lang];
  const banner = h('div', { class: 'banner-slot' });
  const area = h('div', { class: 'results', id: 'results' });
  replace(root, h('h1', null, t.title), viewsNav(lang, 'inbox'), banner, loading(lang));
  let model: Model | null = null;
  try {
    model = await getModel(ctx.api);
  } catch {
    model = null; // labels fall back to ids
  }
  const filtersSlot = h('div', { class: 'filters-slot' });
  // Shows the list for `q`; `push` adds a history entry (Back returns to the previous
  // filters: the shell re-renders the page); the form is rebuilt only when cleared.
  const apply = async (q: URLSearchParams, opts: { push: boolean; rebuild: boolean; announce: boolean }) => {
    if (opts.push) history.pushState(null, '', appHref(`/inbox${q.toString() ? `?${q}` : ''}`));
    if (opts.rebuild) {
      replace(filtersSlot, filterForm(ctx, model, q, (nq) => void apply(nq, { push: true, rebuild: !nq.toString(), announce: true })));
    }
    const n = await loadList(ctx.api, lang, model, q, area, (nq) => {
      void apply(nq, { push: true, rebuild: false, announce: true }).then(() => area.querySelector<HTMLElement>('.table-scroll')?.focus());
    });
    if (opts.announce && n !== null) ctx.announce(t.found.replace('{n}', fmtNumber(lang, n)));
  };
  replace(root, h('h1', null, t.title), viewsNav(lang, 'inbox'), banner, filtersSlot, h('h2', { class: 'visually-hidden' }, t.caption), area);
  void alertBanner(ctx, banner);
  await apply(ctx.query, { push: false, rebuild: true, announce: false });
}

async function renderOverdue(root: HTMLElement, ctx: PageContext): Promise<void> {
  const { lang } = ctx;
  const t = S[lang];
  replace(root, h('h1', null, t.overdueTitle), viewsNav(lang, 'overdue'), loading(lang));
  let r: { units: OverdueUnit[] };
  try {
    r = await ctx.api.get<{ units: OverdueUnit[] }>('/api/v1/cases/overdue');
  } catch (e) {
    replace(root, h('h1', null, t.overdueTitle), viewsNav(lang, 'overdue'), errorBox(lang, e));
    return;
  }
  let model: Model | null = null;
  try {
    model = await getModel(ctx.api);
  } catch {
    model = null;
  }
  if (!r.units.length) {
    replace(root, h('h1', null, t.overdueTitle), viewsNav(lang, 'overdue'), h('p', { class: 'empty' }, t.ovNone));
    return;
  }
  const name = (u: OverdueUnit) => localized(u.unit_name, lang) || (model ? localized(model.units.find((x) => x.id === u.unit)?.name, lang) : '') || u.unit;
  const table = h('table', { class: 'overdue-table' },
    h('caption', null, t.ovCaption),
    h('thead', null, h('tr', null, [t.ovUnit, t.ovOverdue, t.ovOpen, t.ovOldest].map((c, i) => h('th', { scope: 'col', class: i === 1 || i === 2 ? 'num' : null }, c)))),
    h('tbody', null, r.units.map((u) => h('tr', { class: u.overdue > 0 ? 'overdue' : null },
      h('th', { scope: 'row' }, h('a', { href: appHref(`/inbox?unit=${encodeURIComponent(u.unit)}${u.overdue > 0 ? '&overdue=true' : ''}`) }, name(u))),
      h('td', { class: 'num' }, fmtNumber(lang, u.overdue)),
      h('td', { class: 'num' }, fmtNumber(lang, u.open)),
      h('td', null, fmtDate(lang, u.oldest_due_at ?? null))))));
  replace(root, h('h1', null, t.overdueTitle), viewsNav(lang, 'overdue'), scrollTable(table, t.ovCaption));
}

export const inboxPage: PageModule = {
  path: '/inbox',
  title: (lang) => S[lang].title,
  nav: { order: 10, label: (lang) => S[lang].nav },
  render: renderInbox,
};

export const overduePage: PageModule = {
  path: '/overdue',
  title: (lang) => S[lang].overdueTitle,
  render: renderOverdue,
};
