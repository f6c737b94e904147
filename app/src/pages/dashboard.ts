// The management dashboard (johdon työpöytä): NPS and the core statements against
// their targets with intervals and changes, 13-month trends (charts with tables),
// volume and response rate by channel, the org drill-down, journeys and touchpoints,
// top themes with example comments, for a unit in the person's scope and a period.
// Every figure comes from GET /api/v1/reports/indicators; suppressed cells are words.
// Owned by helper app2.
import type { Query } from '../api';
import type { Lang, PageContext, PageModule } from '../page';
import { h, replace, uid } from '../dom';
import { fmtDate, fmtNumber, localized } from '../i18n';
import { appHref, appLink, errorBox, field, loading, select } from '../ui';
import {
  INDICATORS_PATH,
  Names,
  colWords,
  fetchIndicators,
  fmtCi,
  fmtRange,
  fmtTarget,
  indicatorColumns,
  loadModel,
  loadOrg,
  pathTo,
  periodLabel,
  statements,
  valueCell,
  changeCell,
  words,
  type IndicatorTable,
  type Model,
  type ModelQuestion,
  type Org,
  type Row,
} from '../indicators';
import { dataTable, exportButtons, type ExportSpec } from '../table';
import { chart, chartFigure, hiddenLabel, type Series } from '../charts';
import { monthsBetween, periodFields, periodFromForm, periodParams, periodRange, readPeriod, trendRange, type Period } from '../period';
import '../insight.css';

const S: Record<Lang, Record<string, string>> = {
  fi: {
    title: 'Johdon työpöytä', nav: 'Työpöytä', unit: 'Yksikkö tai alue', show: 'Näytä', breadcrumb: 'Organisaatiopolku', choose: 'Valinnat',
    overview: 'Suositteluindeksi ja ydinväittämät', npsTitle: 'Suositteluindeksi (NPS)', statements: 'Ydinväittämät', statement: 'Väittämä',
    statementsCaption: 'Ydinväittämät: samaa mieltä olevien osuus (4–5)', ci: '95 %:n luottamusväli', answers: 'Vastauksia', mix: 'suosittelijoita {p}, passiivisia {pa}, arvostelijoita {d}',
    target: 'Tavoite', met: 'saavutettu', notMet: 'ei saavutettu', prev: 'Muutos edelliseen jaksoon', year: 'Muutos vuodentakaiseen', period: 'Jakso',
    lowVolume: 'Vähän vastauksia', widenedNote: 'Yksikössä on valitulla jaksolla vähän vastauksia, joten luku kattaa pidemmän jakson {range}.', fewNote: 'Vastauksia on vähän ({n}), joten luottamusväli on leveä.',
    trends: 'Kehitys 13 kuukauden ajalta', npsTrend: 'NPS kuukausittain', statementTrend: 'Väittämän kehitys kuukausittain', volumeTrend: 'Vastausmäärät kuukausittain', npsLine: 'NPS', ciBand: '95 %:n luottamusväli', targetLine: 'Tavoite',
    channels: 'Vastausmäärät ja vastausosuus kanavittain', volume: 'Vastaukset kanavittain', rate: 'Vastausosuus kanavittain (kutsuista vastatut)', noRate: 'Jaksolla ei lähetetty kutsuja.',
    drill: 'Organisaation porautuminen', drillCaption: '{ind} yksiköittäin: {unit}', drillHint: 'Valitse yksikön nimi nähdäksesi sen alayksiköt.', itself: '{name} (kirjattu suoraan yksikölle)', indicator: 'Mittari',
    journeys: 'Asiakaspolut ja kosketuspisteet', byJourney: 'NPS asiakaspoluittain', byTouchpoint: 'NPS kosketuspisteittäin',
    themes: 'Yleisimmät teemat ja esimerkkikommentit', themesCaption: 'Kommentit teemoittain (yleisin ensin)', examples: 'Esimerkkikommentteja: {theme}', noExamples: 'Ei esimerkkikommentteja.', examplesUnavailable: 'Esimerkkikommentteja ei voitu hakea.', openCase: 'Avaa palaute',
    report: 'Tulostettava kuukausiraportti', noAnswers: 'Ei vastauksia tällä jaksolla.', outside: 'Yksikkö ei kuulu alueeseesi; näytetään oma alueesi.', mean: 'keskiarvo', widenedStatements: 'Vähän vastauksia: osa väittämistä kattaa pidemmän jakson (sarake Jakso).', updated: 'Luvut päivitetty.',
  },
  sv: {
    title: 'Ledningens översikt', nav: 'Översikt', unit: 'Enhet eller område', show: 'Visa', breadcrumb: 'Organisationsväg', choose: 'Val',
    overview: 'Rekommendationsindex och kärnpåståenden', npsTitle: 'Rekommendationsindex (NPS)', statements: 'Kärnpåståenden', statement: 'Påstående',
    statementsCaption: 'Kärnpåståenden: andel som instämmer (4–5)', ci: '95 % konfidensintervall', answers: 'Svar', mix: 'ambassadörer {p}, passiva {pa}, kritiker {d}',
    target: 'Mål', met: 'uppnått', notMet: 'inte uppnått', prev: 'Förändring mot föregående period', year: 'Förändring mot ett år tidigare', period: 'Period',
    lowVolume: 'Få svar', widenedNote: 'Enheten har få svar under den valda perioden, så siffran gäller en längre period {range}.', fewNote: 'Svaren är få ({n}), så konfidensintervallet är brett.',
    trends: 'Utvecklingen under 13 månader', npsTrend: 'NPS per månad', statementTrend: 'Påståendets utveckling per månad', volumeTrend: 'Antal svar per månad', npsLine: 'NPS', ciBand: '95 % konfidensintervall', targetLine: 'Mål',
    channels: 'Antal svar och svarsfrekvens per kanal', volume: 'Svar per kanal', rate: 'Svarsfrekvens per kanal (besvarade inbjudningar)', noRate: 'Inga inbjudningar skickades under perioden.',
    drill: 'Genomgång av organisationen', drillCaption: '{ind} per enhet: {unit}', drillHint: 'Välj en enhets namn för att se dess underenheter.', itself: '{name} (registrerat direkt på enheten)', indicator: 'Mätare',
    journeys: 'Kundresor och kontaktpunkter', byJourney: 'NPS per kundresa', byTouchpoint: 'NPS per kontaktpunkt',
    themes: 'Vanligaste teman och exempelkommentarer', themesCaption: 'Kommentarer per tema (vanligast först)', examples: 'Exempelkommentarer: {theme}', noExamples: 'Inga exempelkommentarer.', examplesUnavailable: 'Exempelkommentarerna kunde inte hämtas.', openCase: 'Öppna responsen',
    report: 'Utskrivbar månadsrapport', noAnswers: 'Inga svar under perioden.', outside: 'Enheten hör inte till ditt område; ditt eget område visas.', mean: 'medelvärde', widenedStatements: 'Få svar: en del av påståendena gäller en längre period (kolumnen Period).', updated: 'Siffrorna har uppdaterats.',
  },
  en: {
    title: 'Management dashboard', nav: 'Dashboard', unit: 'Unit or area', show: 'Show', breadcrumb: 'Organisation path', choose: 'Choices',
    overview: 'Recommendation index and core statements', npsTitle: 'Net Promoter Score (NPS)', statements: 'Core statements', statement: 'Statement',
    statementsCaption: 'Core statements: share who agree (4–5)', ci: '95 % confidence interval', answers: 'Answers', mix: 'promoters {p}, passives {pa}, detractors {d}',
    target: 'Target', met: 'met', notMet: 'not met', prev: 'Change from the previous period', year: 'Change from a year earlier', period: 'Period',
    lowVolume: 'Few answers', widenedNote: 'The unit has few answers in the chosen period, so the figure covers a longer period, {range}.', fewNote: 'There are few answers ({n}), so the interval is wide.',
    trends: 'Trends over 13 months', npsTrend: 'NPS by month', statementTrend: 'Statement by month', volumeTrend: 'Answers by month', npsLine: 'NPS', ciBand: '95 % confidence interval', targetLine: 'Target',
    channels: 'Answers and response rate by channel', volume: 'Answers by channel', rate: 'Response rate by channel (invitations answered)', noRate: 'No invitations were sent in the period.',
    drill: 'Organisation drill-down', drillCaption: '{ind} by unit: {unit}', drillHint: 'Choose a unit’s name to see the units below it.', itself: '{name} (recorded at the unit itself)', indicator: 'Indicator',
    journeys: 'Journeys and touchpoints', byJourney: 'NPS by journey', byTouchpoint: 'NPS by touchpoint',
    themes: 'Top themes and example comments', themesCaption: 'Comments by theme (most common first)', examples: 'Example comments: {theme}', noExamples: 'No example comments.', examplesUnavailable: 'The example comments could not be fetched.', openCase: 'Open the feedback',
    report: 'Printable monthly report', noAnswers: 'No answers in this period.', outside: 'The unit is outside your area; showing your own area.', mean: 'mean', widenedStatements: 'Few answers: some statements cover a longer period (the Period column).', updated: 'Figures updated.',
  },
};

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

interface View {
  ctx: PageContext;
  lang: Lang;
  model: Model;
  org: Org;
  names: Names;
  unit: string;
  period: Period;
  range: { from?: string; to?: string };
  canExport: boolean;
}

export function dashboardPath(unit: string, period: Period): string {
  const q = new URLSearchParams({ unit, ...periodParams(period) });
  return `/dashboard?${q.toString()}`;
}

// A section with an h2 and a body that fills itself (aria-busy while loading).
function section(key: string, title: string): { el: HTMLElement; body: HTMLElement } {
  const id = uid('h');
  const body = h('div', { class: 'section-body', 'aria-busy': 'true' });
  const el = h('section', { class: 'dash-section', 'data-section': key, 'aria-labelledby': id }, h('h2', { id }, title), body);
  return { el, body };
}

async function fillBody(body: HTMLElement, lang: Lang, work: () => Promise<Node | Node[]>): Promise<void> {
  body.setAttribute('aria-busy', 'true');
  replace(body, loading(lang));
  try {
    const out = await work();
    replace(body, ...(Array.isArray(out) ? out : [out]));
  } catch (e) {
    replace(body, errorBox(lang, e));
  } finally {
    body.setAttribute('aria-busy', 'false');
  }
}

function exportSpec(v: View, query: Query, what: string): ExportSpec | undefined {
  if (!v.canExport) return undefined;
  return { api: v.ctx.api, path: INDICATORS_PATH, query, what, announce: (m) => v.ctx.announce(m) };
}

function baseQuery(v: View, extra: Query): Query {
  return { unit: v.unit, ...v.range, ...extra };
}

// ---- overview: NPS card and the statements table ----

function npsCard(v: View, t: IndicatorTable): Node[] {
  const s = S[v.lang];
  const r = t.rows[0];
  const out: Node[] = [];
  const id = uid('h');
  const card = h('div', { class: 'kpi', 'data-kpi': 'nps', role: 'group', 'aria-labelledby': id }, h('h3', { id }, s.npsTitle));
  card.appendChild(h('p', { class: 'kpi-value' }, valueCell(v.lang, t, r)));
  if (r && !r.suppressed) {
    const dl = h('dl', { class: 'facts' });
    const add = (term: string, d: Node | string) => dl.appendChild(h('div', null, h('dt', null, term), h('dd', null, d)));
    add(s.ci, fmtCi(v.lang, t.kind, r));
    add(s.answers, `${fmtNumber(v.lang, r.n)} (${fill(s.mix, { p: fmtNumber(v.lang, r.promoters), pa: fmtNumber(v.lang, r.passives), d: fmtNumber(v.lang, r.detractors) })})`);
    if (r.target !== null && r.target !== undefined) add(s.target, `${fmtTarget(v.lang, t.kind, r.target)} – ${r.target_met ? `✓ ${s.met}` : `✗ ${s.notMet}`}`);
    if (r.previous) add(`${s.prev} (${fmtRange(v.lang, r.previous.from, r.previous.to)})`, changeCell(v.lang, t, r.previous));
    if (r.year_ago) add(`${s.year} (${fmtRange(v.lang, r.year_ago.from, r.year_ago.to)})`, changeCell(v.lang, t, r.year_ago));
    add(s.period, fmtRange(v.lang, r.period.from, r.period.to));
    card.appendChild(dl);
  } else if (!r) {
    card.appendChild(h('p', null, s.noAnswers));
  }
  out.push(card);
  if (r?.period.widened) {
    out.unshift(h('div', { class: 'notice', role: 'note', 'data-notice': 'low-volume' }, h('strong', null, `${s.lowVolume}: `), fill(s.widenedNote, { range: fmtRange(v.lang, r.period.from, r.period.to) })));
  } else if (r && !r.suppressed && (r.n ?? 0) < 30) {
    out.unshift(h('div', { class: 'notice', role: 'note', 'data-notice': 'low-volume' }, h('strong', null, `${s.lowVolume}: `), fill(s.fewNote, { n: fmtNumber(v.lang, r.n) })));
  }
  const spec = exportSpec(v, baseQuery(v, { indicator: 'nps', compare: true, adaptive: true }), 'NPS');
  if (spec) out.push(exportButtons(spec, v.lang));
  return out;
}

interface StatementRow { q: ModelQuestion; t?: IndicatorTable; r?: Row; error?: string }

function statementsTable(v: View, rows: StatementRow[], queries: Query[]): HTMLElement {
  const s = S[v.lang];
  const c = colWords(v.lang);
  const threshold = rows.find((x) => x.t)?.t?.threshold ?? v.model.reporting_threshold;
  const tt = (x: StatementRow) => x.t ?? { kind: 'top_two_box' as const, threshold };
  return dataTable<StatementRow>({
    className: 'statements',
    caption: s.statementsCaption,
    lang: v.lang,
    rows,
    columns: [
      { label: s.statement, cell: (x) => localized(x.q.text, v.lang) },
      { label: c.share, numeric: true, cell: (x) => (x.error ? x.error : valueCell(v.lang, tt(x), x.r)) },
      { label: c.ci, numeric: true, cell: (x) => (x.r && !x.r.suppressed ? fmtCi(v.lang, 'top_two_box', x.r) : '') },
      { label: c.n, numeric: true, cell: (x) => (x.r && !x.r.suppressed ? fmtNumber(v.lang, x.r.n) : '') },
      { label: c.mean, numeric: true, cell: (x) => (x.r && !x.r.suppressed ? fmtNumber(v.lang, x.r.mean, 1) : '') },
      { label: c.target, numeric: true, cell: (x) => fmtTarget(v.lang, 'top_two_box', x.r?.target) },
      { label: c.met, cell: (x) => (x.r?.target_met === null || x.r?.target_met === undefined ? '' : x.r.target_met ? `✓ ${c.yes}` : `✗ ${c.no}`) },
      { label: c.prev, numeric: true, cell: (x) => changeCell(v.lang, tt(x), x.r?.previous) },
      { label: c.year, numeric: true, cell: (x) => changeCell(v.lang, tt(x), x.r?.year_ago) },
      { label: c.period, cell: (x) => (x.r ? `${fmtRange(v.lang, x.r.period.from, x.r.period.to)}${x.r.period.widened ? ` (${words(v.lang).widened})` : ''}` : '') },
    ],
    footnote: [h('p', null, `${s.target}: ${s.mean} (1–5).`), rows.some((x) => x.r?.period.widened) ? h('p', { 'data-notice': 'widened' }, s.widenedStatements) : null],
    export: v.canExport
      ? { api: v.ctx.api, path: INDICATORS_PATH, query: {}, what: s.statements, announce: (m) => v.ctx.announce(m), many: queries.map((q, i) => ({ key: rows[i].q.key, query: q })) }
      : undefined,
  });
}

async function overview(v: View): Promise<Node[]> {
  const s = S[v.lang];
  const stmts = statements(v.model);
  const npsQ = baseQuery(v, { indicator: 'nps', compare: true, adaptive: true });
  const queries = stmts.map((q) => baseQuery(v, { indicator: q.key, compare: true, adaptive: true }));
  const [nps, ...st] = await Promise.all([
    fetchIndicators(v.ctx.api, npsQ),
    ...queries.map((q) =>
      fetchIndicators(v.ctx.api, q).then(
        (t) => ({ t }) as { t?: IndicatorTable; error?: string },
        (e: Error) => ({ error: e.message }) as { t?: IndicatorTable; error?: string },
      ),
    ),
  ]);
  const rows: StatementRow[] = stmts.map((q, i) => ({ q, t: st[i].t, r: st[i].t?.rows[0], error: st[i].error }));
  const out = npsCard(v, nps);
  if (rows.length) {
    const id = uid('h');
    out.push(h('div', { class: 'subsection', role: 'group', 'aria-labelledby': id }, h('h3', { id }, s.statements), statementsTable(v, rows, queries)));
  }
  return out;
}

// ---- trends ----

function trendTable(v: View, t: IndicatorTable, caption: string, query: Query, what: string): HTMLElement {
  return dataTable<Row>({ caption, lang: v.lang, rows: t.rows, columns: indicatorColumns(v.lang, t, v.names, { noCompare: true }), empty: S[v.lang].noAnswers, export: exportSpec(v, query, what) });
}

function trendChart(v: View, t: IndicatorTable, months: string[], label: string, opts: { band: boolean; yMin?: number; yMax?: number; type?: 'line' | 'bar' }): HTMLElement {
  const s = S[v.lang];
  const byMonth = new Map(t.rows.map((r) => [r.group.month, r]));
  const val = (f: (r: Row) => number | null | undefined) => months.map((m) => {
    const r = byMonth.get(m);
    return r && !r.suppressed ? (f(r) ?? null) : null;
  });
  const series: Series[] = [{ label, data: val((r) => r.value) }];
  if (opts.band) {
    series.push({ label: s.ciBand, data: val((r) => r.ci_high), style: 'band', color: '#0b5cad' });
    series.push({ label: hiddenLabel(s.ciBand), data: val((r) => r.ci_low), style: 'band-low', color: '#0b5cad' });
  }
  const targets = val((r) => r.target);
  if (targets.some((x) => x !== null) && t.kind === 'nps') series.push({ label: s.targetLine, data: targets, style: 'dashed', color: '#3b3b3b' });
  return chart(months.map((m) => periodLabel(v.lang, m)), series, { lang: v.lang, label, yMin: opts.yMin, yMax: opts.yMax, type: opts.type });
}

async function trends(v: View): Promise<Node[]> {
  const s = S[v.lang];
  const tr = trendRange(v.period);
  const months = monthsBetween(tr.from, tr.to);
  const q = (indicator: string): Query => ({ indicator, unit: v.unit, group_by: 'month', from: tr.from, to: tr.to });
  const [nps, vol] = await Promise.all([fetchIndicators(v.ctx.api, q('nps')), fetchIndicators(v.ctx.api, q('responses'))]);
  const out: Node[] = [];
  const cap = `${s.npsTrend}, ${fmtRange(v.lang, tr.from, tr.to)}`;
  out.push(chartFigure(v.lang, cap, trendChart(v, nps, months, s.npsLine, { band: true }), trendTable(v, nps, cap, q('nps'), s.npsTrend)));

  const stmts = statements(v.model);
  if (stmts.length) {
    const pick = select('statement', stmts.map((x) => [x.key, localized(x.text, v.lang)]), stmts[0].key);
    const holder = h('div', { class: 'statement-trend', 'aria-busy': 'true' });
    const draw = () =>
      fillBody(holder, v.lang, async () => {
        const key = pick.value;
        const t = await fetchIndicators(v.ctx.api, q(key));
        const label = localized(stmts.find((x) => x.key === key)?.text, v.lang);
        const c2 = `${s.statementTrend}: ${label}`;
        return chartFigure(v.lang, c2, trendChart(v, t, months, label, { band: true }), trendTable(v, t, c2, q(key), s.statementTrend));
      });
    pick.addEventListener('change', () => void draw().then(() => v.ctx.announce(s.updated)));
    out.push(field(s.statement, pick, undefined, 'field statement-pick'), holder);
    void draw();
  }
  const c3 = `${s.volumeTrend}, ${fmtRange(v.lang, tr.from, tr.to)}`;
  out.push(chartFigure(v.lang, c3, trendChart(v, vol, months, colWords(v.lang).n, { band: false, yMin: 0, type: 'bar' }), trendTable(v, vol, c3, q('responses'), s.volumeTrend)));
  return out;
}

// ---- channels ----

async function channels(v: View): Promise<Node[]> {
  const s = S[v.lang];
  const vq = baseQuery(v, { indicator: 'responses', group_by: 'channel', compare: true });
  const rq = baseQuery(v, { indicator: 'response_rate', group_by: 'channel', compare: true });
  const [vol, rate] = await Promise.all([fetchIndicators(v.ctx.api, vq), fetchIndicators(v.ctx.api, rq)]);
  const range = fmtRange(v.lang, vol.from, vol.to);
  return [
    dataTable<Row>({ caption: `${s.volume}, ${range}`, lang: v.lang, rows: vol.rows, columns: indicatorColumns(v.lang, vol, v.names), empty: s.noAnswers, export: exportSpec(v, vq, s.volume) }),
    dataTable<Row>({ caption: `${s.rate}, ${range}`, lang: v.lang, rows: rate.rows, columns: indicatorColumns(v.lang, rate, v.names), empty: s.noRate, export: exportSpec(v, rq, s.rate) }),
  ];
}

// ---- the drill-down ----

async function drilldown(v: View): Promise<Node[]> {
  const s = S[v.lang];
  const stmts = statements(v.model);
  const pick = select('drill-indicator', [['nps', 'NPS'], ...stmts.map((x): [string, string] => [x.key, localized(x.text, v.lang)])], 'nps');
  const holder = h('div', { class: 'drill-table', 'aria-busy': 'true' });
  const unitName = v.names.of('unit', v.unit, v.lang);
  const draw = () =>
    fillBody(holder, v.lang, async () => {
      const q = baseQuery(v, { indicator: pick.value, group_by: 'unit', compare: true, adaptive: true });
      const t = await fetchIndicators(v.ctx.api, q);
      const indName = pick.value === 'nps' ? 'NPS' : localized(stmts.find((x) => x.key === pick.value)?.text, v.lang);
      const hasKids = new Set(v.org.units.filter((u) => u.children.length > 0).map((u) => u.id));
      return dataTable<Row>({
        caption: `${fill(s.drillCaption, { ind: indName, unit: unitName })}, ${fmtRange(v.lang, t.from, t.to)}`,
        lang: v.lang,
        rows: t.rows,
        columns: indicatorColumns(v.lang, t, v.names, {
          groupCell: (r, label) => {
            const id = r.group.unit;
            if (id === t.unit) return fill(s.itself, { name: label });
            const a = appLink(dashboardPath(id, v.period), label);
            a.dataset.unit = id;
            if (hasKids.has(id)) a.classList.add('has-children');
            return a;
          },
        }),
        empty: s.noAnswers,
        export: exportSpec(v, q, `${indName} ${unitName}`),
      });
    });
  pick.addEventListener('change', () => void draw().then(() => v.ctx.announce(s.updated)));
  void draw();
  return [h('p', { class: 'hint' }, s.drillHint), field(s.indicator, pick, undefined, 'field drill-pick'), holder];
}

// ---- journeys and touchpoints ----

async function journeys(v: View): Promise<Node[]> {
  const s = S[v.lang];
  const jq = baseQuery(v, { indicator: 'nps', group_by: 'journey', compare: true });
  const tq = baseQuery(v, { indicator: 'nps', group_by: 'touchpoint', compare: true });
  const [j, t] = await Promise.all([fetchIndicators(v.ctx.api, jq), fetchIndicators(v.ctx.api, tq)]);
  const range = fmtRange(v.lang, j.from, j.to);
  return [
    dataTable<Row>({ caption: `${s.byJourney}, ${range}`, lang: v.lang, rows: j.rows, columns: indicatorColumns(v.lang, j, v.names), empty: s.noAnswers, export: exportSpec(v, jq, s.byJourney) }),
    dataTable<Row>({ caption: `${s.byTouchpoint}, ${range}`, lang: v.lang, rows: t.rows, columns: indicatorColumns(v.lang, t, v.names), empty: s.noAnswers, export: exportSpec(v, tq, s.byTouchpoint) }),
  ];
}

// ---- themes and example comments ----

interface CaseItem { id: number; excerpt: string; received_at: string; channel: string; unit: string; themes: string[]; language?: string }

async function themes(v: View): Promise<Node[]> {
  const s = S[v.lang];
  const q = baseQuery(v, { indicator: 'comments', group_by: 'theme', compare: true });
  const t = await fetchIndicators(v.ctx.api, q);
  // Most common first; suppressed cells after the shown ones (their order says nothing).
  const rows = [...t.rows].sort((a, b) => (a.suppressed === b.suppressed ? (b.n ?? 0) - (a.n ?? 0) : a.suppressed ? 1 : -1));
  const out: Node[] = [
    dataTable<Row>({ caption: `${s.themesCaption}, ${fmtRange(v.lang, t.from, t.to)}`, lang: v.lang, rows, columns: indicatorColumns(v.lang, t, v.names), empty: s.noAnswers, export: exportSpec(v, q, s.themesCaption) }),
  ];
  const top = rows.filter((r) => !r.suppressed).slice(0, 3);
  for (const r of top) {
    const theme = r.group.theme;
    const label = v.names.of('theme', theme, v.lang);
    const id = uid('h');
    const box = h('div', { class: 'examples', role: 'group', 'aria-labelledby': id, 'data-theme': theme }, h('h3', { id }, fill(s.examples, { theme: label })));
    try {
      const res = await v.ctx.api.get<{ cases: CaseItem[] }>('/api/v1/cases', { unit: v.unit, theme, limit: 3, from: t.from, to: t.to, total: 'false' });
      if (res.cases.length === 0) box.appendChild(h('p', null, s.noExamples));
      else {
        box.appendChild(
          h('ul', { class: 'comment-list' }, res.cases.map((c) =>
            h('li', null,
              h('blockquote', { lang: c.language || null }, c.excerpt),
              h('p', { class: 'meta' }, `${fmtDate(v.lang, c.received_at)} · ${v.names.of('unit', c.unit, v.lang)} · ${v.names.of('channel', c.channel, v.lang)} · `, appLink(`/cases/${c.id}`, s.openCase)),
            ))),
        );
      }
    } catch {
      box.appendChild(h('p', null, s.examplesUnavailable));
    }
    out.push(box);
  }
  return out;
}

// ---- the page ----

function controls(v: View): HTMLElement {
  const s = S[v.lang];
  const unitSel = h('select', { name: 'unit' });
  for (const u of v.org.units) {
    unitSel.appendChild(h('option', { value: u.id, selected: u.id === v.unit }, `${'\u2003'.repeat(Math.max(0, u.level - (v.org.units[0]?.level ?? 0)))}${localized(u.name, v.lang)}`));
  }
  const form = h('form', { class: 'dash-controls', 'aria-label': s.choose }, field(s.unit, unitSel), periodFields(v.lang, v.period), h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, s.show)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    v.ctx.navigate(dashboardPath(unitSel.value, periodFromForm(form)));
  });
  return form;
}

function breadcrumb(v: View): HTMLElement {
  const s = S[v.lang];
  const trail = pathTo(v.org, v.unit);
  return h('nav', { class: 'breadcrumb', 'aria-label': s.breadcrumb },
    h('ol', null, trail.map((u, i) =>
      h('li', null, i === trail.length - 1
        ? h('span', { 'aria-current': 'page' }, localized(u.name, v.lang))
        : appLink(dashboardPath(u.id, v.period), localized(u.name, v.lang))))));
}

// The month of the printable report: the chosen month, else the last full month.
function reportMonth(v: View): string {
  if (v.period.kind === 'month') return v.period.month;
  const end = periodRange(v.period).to;
  const d = end ?? new Date().toISOString().slice(0, 10);
  const [y, m] = d.split('-').map(Number);
  const idx = y * 12 + (m - 1) - (v.period.kind === '30d' ? 1 : 0);
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const lang = ctx.lang;
  const s = S[lang];
  root.appendChild(h('h1', null, s.title));
  const wait = loading(lang);
  root.appendChild(wait);
  let model: Model;
  let org: Org;
  try {
    [model, org] = await Promise.all([loadModel(ctx.api), loadOrg(ctx.api, ctx.me)]);
  } catch (e) {
    replace(root, h('h1', null, s.title), errorBox(lang, e));
    return;
  }
  wait.remove();
  let unit = ctx.query.get('unit') || org.root || ctx.me.scope_unit;
  if (!org.units.some((u) => u.id === unit)) {
    root.appendChild(h('p', { class: 'notice', role: 'note' }, s.outside));
    unit = org.root;
  }
  const period = readPeriod(ctx.query);
  const v: View = { ctx, lang, model, org, names: new Names(model, org), unit, period, range: periodRange(period), canExport: ctx.me.permissions.export };
  root.appendChild(breadcrumb(v));
  root.appendChild(h('p', { class: 'dash-scope' }, `${S[lang].period}: ${v.range.from ? fmtRange(lang, v.range.from, v.range.to ?? '') : periodName(lang)}`));
  root.appendChild(controls(v));
  root.appendChild(h('p', { class: 'report-link' }, h('a', { href: appHref(`/report?unit=${encodeURIComponent(unit)}&month=${reportMonth(v)}`) }, s.report)));

  const parts: [string, string, (v: View) => Promise<Node[]>][] = [
    ['overview', s.overview, overview],
    ['trends', s.trends, trends],
    ['channels', s.channels, channels],
    ['drilldown', s.drill, drilldown],
    ['journeys', s.journeys, journeys],
    ['themes', s.themes, themes],
  ];
  const jobs: Promise<void>[] = [];
  for (const [key, title, work] of parts) {
    const sec = section(key, title);
    root.appendChild(sec.el);
    jobs.push(fillBody(sec.body, lang, () => work(v)));
  }
  await Promise.all(jobs);
}

function periodName(lang: Lang): string {
  return { fi: 'viimeiset 30 päivää', sv: 'de senaste 30 dagarna', en: 'the last 30 days' }[lang];
}

export const dashboardPage: PageModule = {
  path: '/dashboard',
  title: (lang) => S[lang].title,
  nav: { order: 50, label: (lang) => S[lang].nav },
  render,
};
