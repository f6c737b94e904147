// The printable monthly report of a unit or area (/report?unit=&month=YYYY-MM): the
// month's NPS and core statements with intervals, targets and changes, the 13-month
// trend table, answers by channel and the top themes, on one clean page with print
// CSS. Every figure from GET /api/v1/reports/indicators. Owned by helper app2.
import type { Query } from '../api';
import type { Lang, PageContext, PageModule } from '../page';
import { h, replace, uid } from '../dom';
import { fmtDate, fmtNumber, localized } from '../i18n';
import { errorBox, field, loading } from '../ui';
import {
  INDICATORS_PATH,
  Names,
  changeCell,
  colWords,
  fetchIndicators,
  fmtCi,
  fmtRange,
  fmtTarget,
  indicatorColumns,
  loadModel,
  loadOrg,
  monthStartBefore,
  periodLabel,
  statements,
  todayHelsinki,
  valueCell,
  daysInMonth,
  min,
  type IndicatorTable,
  type Row,
} from '../indicators';
import { dataTable, type ExportSpec } from '../table';
import '../insight.css';

const S: Record<Lang, Record<string, string>> = {
  fi: { title: 'Kuukausiraportti', heading: 'Kuukausiraportti: {unit}, {month}', unit: 'Yksikkö tai alue', month: 'Kuukausi', monthHint: 'muodossa VVVV-KK', show: 'Näytä', print: 'Tulosta', choose: 'Raportin valinnat', nps: 'Suositteluindeksi (NPS)', statements: 'Ydinväittämät', statement: 'Väittämä', trend: 'NPS kuukausittain, 13 kuukautta', channels: 'Vastaukset kanavittain', themes: 'Yleisimmät teemat', themesCaption: 'Kommentit teemoittain (yleisin ensin)', produced: 'Tuotettu {date}. Luvut, joissa on alle {t} vastausta, on piilotettu. Väli on 95 %:n luottamusväli.', noAnswers: 'Ei vastauksia.', back: 'Takaisin työpöydälle', answers: 'Vastauksia', ci: '95 %:n luottamusväli', target: 'Tavoite', prev: 'Muutos edelliseen kuukauteen', year: 'Muutos vuodentakaiseen', met: 'saavutettu', notMet: 'ei saavutettu' },
  sv: { title: 'Månadsrapport', heading: 'Månadsrapport: {unit}, {month}', unit: 'Enhet eller område', month: 'Månad', monthHint: 'i formen ÅÅÅÅ-MM', show: 'Visa', print: 'Skriv ut', choose: 'Rapportens val', nps: 'Rekommendationsindex (NPS)', statements: 'Kärnpåståenden', statement: 'Påstående', trend: 'NPS per månad, 13 månader', channels: 'Svar per kanal', themes: 'Vanligaste teman', themesCaption: 'Kommentarer per tema (vanligast först)', produced: 'Skapad {date}. Siffror med färre än {t} svar är dolda. Intervallet är ett 95 % konfidensintervall.', noAnswers: 'Inga svar.', back: 'Tillbaka till översikten', answers: 'Svar', ci: '95 % konfidensintervall', target: 'Mål', prev: 'Förändring mot föregående månad', year: 'Förändring mot ett år tidigare', met: 'uppnått', notMet: 'inte uppnått' },
  en: { title: 'Monthly report', heading: 'Monthly report: {unit}, {month}', unit: 'Unit or area', month: 'Month', monthHint: 'as YYYY-MM', show: 'Show', print: 'Print', choose: 'Report choices', nps: 'Net Promoter Score (NPS)', statements: 'Core statements', statement: 'Statement', trend: 'NPS by month, 13 months', channels: 'Answers by channel', themes: 'Top themes', themesCaption: 'Comments by theme (most common first)', produced: 'Produced {date}. Figures with fewer than {t} answers are hidden. Intervals are 95 % confidence intervals.', noAnswers: 'No answers.', back: 'Back to the dashboard', answers: 'Answers', ci: '95 % confidence interval', target: 'Target', prev: 'Change from the previous month', year: 'Change from a year earlier', met: 'met', notMet: 'not met' },
};

function fill(t: string, vars: Record<string, string | number>): string {
  return t.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

function lastFullMonth(): string {
  const today = todayHelsinki();
  return monthStartBefore(today, 1).slice(0, 7);
}

function sectionOf(title: string, ...children: (Node | null)[]): HTMLElement {
  const id = uid('h');
  return h('section', { class: 'report-section', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const lang = ctx.lang;
  const s = S[lang];
  const wait = loading(lang);
  root.appendChild(wait);
  const [model, org] = await Promise.all([loadModel(ctx.api), loadOrg(ctx.api, ctx.me)]);
  const names = new Names(model, org);
  let unit = ctx.query.get('unit') || org.root;
  if (!org.units.some((u) => u.id === unit)) unit = org.root;
  const mq = ctx.query.get('month') ?? '';
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(mq) ? mq : lastFullMonth();
  const [y, m] = month.split('-').map(Number);
  const from = `${month}-01`;
  const to = min(`${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`, todayHelsinki());
  const unitName = names.of('unit', unit, lang);
  const monthName = new Intl.DateTimeFormat({ fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[lang], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 15)));

  // Controls (not printed).
  const unitSel = h('select', { name: 'unit' });
  for (const u of org.units) unitSel.appendChild(h('option', { value: u.id, selected: u.id === unit }, `${'\u2003'.repeat(Math.max(0, u.level - (org.units[0]?.level ?? 0)))}${localized(u.name, lang)}`));
  const monthIn = h('input', { type: 'month', name: 'month', value: month, max: todayHelsinki().slice(0, 7) });
  const form = h('form', { class: 'report-controls no-print', 'aria-label': s.choose },
    field(s.unit, unitSel), field(s.month, monthIn, s.monthHint),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'secondary' }, s.show),
      h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, s.print)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`/report?unit=${encodeURIComponent(unitSel.value)}&month=${encodeURIComponent(monthIn.value || month)}`);
  });

  const base: Query = { unit, from, to };
  const stmts = statements(model);
  const trendFrom = monthStartBefore(from, 12);
  const exp = (query: Query, what: string): ExportSpec | undefined =>
    ctx.me.permissions.export ? { api: ctx.api, path: INDICATORS_PATH, query, what, announce: ctx.announce } : undefined;
  const npsQ = { ...base, indicator: 'nps', compare: true };
  const trendQ = { unit, indicator: 'nps', group_by: 'month', from: trendFrom, to };
  const chQ = { ...base, indicator: 'responses', group_by: 'channel', compare: true };
  const thQ = { ...base, indicator: 'comments', group_by: 'theme' };
  let nps: IndicatorTable, trend: IndicatorTable, ch: IndicatorTable, th: IndicatorTable;
  let st: (IndicatorTable | null)[];
  try {
    [nps, trend, ch, th, ...st] = await Promise.all([
      fetchIndicators(ctx.api, npsQ),
      fetchIndicators(ctx.api, trendQ),
      fetchIndicators(ctx.api, chQ),
      fetchIndicators(ctx.api, thQ),
      ...stmts.map((q) => fetchIndicators(ctx.api, { ...base, indicator: q.key, compare: true }).catch(() => null)),
    ]);
  } catch (e) {
    replace(root, h('h1', null, fill(s.heading, { unit: unitName, month: monthName })), form, errorBox(lang, e));
    return;
  }
  wait.remove();

  const r = nps.rows[0];
  const npsBox = h('div', { class: 'kpi', 'data-kpi': 'nps' }, h('p', { class: 'kpi-value' }, valueCell(lang, nps, r)));
  if (r && !r.suppressed) {
    const dl = h('dl', { class: 'facts' });
    const add = (t: string, d: Node | string) => dl.appendChild(h('div', null, h('dt', null, t), h('dd', null, d)));
    add(s.ci, fmtCi(lang, nps.kind, r));
    add(s.answers, fmtNumber(lang, r.n));
    if (r.target !== null && r.target !== undefined) add(s.target, `${fmtTarget(lang, nps.kind, r.target)} – ${r.target_met ? `✓ ${s.met}` : `✗ ${s.notMet}`}`);
    if (r.previous) add(s.prev, changeCell(lang, nps, r.previous));
    if (r.year_ago) add(s.year, changeCell(lang, nps, r.year_ago));
    npsBox.appendChild(dl);
  }

  const c = colWords(lang);
  const stRows = stmts.map((q, i) => ({ q, t: st[i], r: st[i]?.rows[0] }));
  const stTable = dataTable({
    caption: `${s.statements}, ${fmtRange(lang, from, to)}`,
    lang,
    rows: stRows,
    columns: [
      { label: s.statement, cell: (x) => localized(x.q.text, lang) },
      { label: c.share, numeric: true, cell: (x) => valueCell(lang, x.t ?? { kind: 'top_two_box', threshold: model.reporting_threshold }, x.r) },
      { label: c.ci, numeric: true, cell: (x) => (x.r && !x.r.suppressed ? fmtCi(lang, 'top_two_box', x.r) : '') },
      { label: c.n, numeric: true, cell: (x) => (x.r && !x.r.suppressed ? fmtNumber(lang, x.r.n) : '') },
      { label: c.mean, numeric: true, cell: (x) => (x.r && !x.r.suppressed ? fmtNumber(lang, x.r.mean, 1) : '') },
      { label: c.target, numeric: true, cell: (x) => fmtTarget(lang, 'top_two_box', x.r?.target) },
      { label: c.prev, numeric: true, cell: (x) => (x.t ? changeCell(lang, x.t, x.r?.previous) : '') },
    ],
  });
  const trendTable = dataTable<Row>({
    caption: `${s.trend}: ${periodLabel(lang, trendFrom.slice(0, 7))}–${periodLabel(lang, month)}`,
    lang,
    rows: trend.rows,
    columns: indicatorColumns(lang, trend, names, { noCompare: true }),
    empty: s.noAnswers,
    export: exp(trendQ, s.trend),
  });
  const chTable = dataTable<Row>({ caption: `${s.channels}, ${fmtRange(lang, from, to)}`, lang, rows: ch.rows, columns: indicatorColumns(lang, ch, names), empty: s.noAnswers, export: exp(chQ, s.channels) });
  const thRows = [...th.rows].sort((a, b) => (a.suppressed === b.suppressed ? (b.n ?? 0) - (a.n ?? 0) : a.suppressed ? 1 : -1)).slice(0, 8);
  const thTable = dataTable<Row>({ caption: `${s.themesCaption}, ${fmtRange(lang, from, to)}`, lang, rows: thRows, columns: indicatorColumns(lang, th, names), empty: s.noAnswers, export: exp(thQ, s.themes) });

  root.append(
    h('h1', null, fill(s.heading, { unit: unitName, month: monthName })),
    form,
    h('p', { class: 'no-print' }, h('a', { href: `/app/dashboard?unit=${encodeURIComponent(unit)}&period=month&month=${month}` }, s.back)),
    h('div', { class: 'report-page' },
      sectionOf(`${s.nps}, ${fmtRange(lang, from, to)}`, npsBox),
      stmts.length ? sectionOf(s.statements, stTable) : null,
      sectionOf(s.trend, trendTable),
      sectionOf(s.channels, chTable),
      sectionOf(s.themes, thTable),
      h('p', { class: 'report-footer' }, fill(s.produced, { date: fmtDate(lang, new Date().toISOString(), true), t: nps.threshold }))),
  );
}

export const reportPage: PageModule = {
  path: '/report',
  title: (lang) => S[lang].title,
  render,
};
