// Shared pieces of the insight pages (dashboard, printable report, model): the types of
// GET /api/v1/reports/indicators, the model and the org tree, cached loaders, the
// Helsinki calendar arithmetic of the period picker, and the formatting of a cell
// (a suppressed cell is always words, never a number). Owned by helper app2.
import type { Api, Query } from './api';
import type { Lang, Me } from './page';
import type { Column } from './table';
import { getModel, resetShared } from './data';
import { CHANNEL } from './labels';
import { fewerThan, fmtDate, fmtNumber, localized } from './i18n';

export type Texts = Partial<Record<string, string>>;

export interface Comparison {
  from: string;
  to: string;
  suppressed: boolean;
  n: number | null;
  value: number | null;
  change: number | null;
  significant: boolean;
}

// One row of an indicators table (docs/api.md).
export interface Row {
  group: Record<string, string>;
  n: number | null;
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  suppressed: boolean;
  reason?: 'below_threshold' | 'complementary' | string;
  note?: string;
  promoters?: number;
  passives?: number;
  detractors?: number;
  positive?: number;
  mean?: number;
  cant_say?: number;
  answered?: number;
  matching?: number;
  channel_mix?: Record<string, number>;
  period: { from: string; to: string; widened: boolean };
  target?: number | null;
  target_met?: boolean | null;
  previous?: Comparison;
  year_ago?: Comparison;
}

export type Kind = 'nps' | 'top_two_box' | 'positive_share' | 'count' | 'response_rate' | 'comment_share';

export interface IndicatorTable {
  indicator: string;
  kind: Kind;
  unit: string;
  from: string;
  to: string;
  threshold: number;
  group_by: string[];
  rows: Row[];
}

export const INDICATORS_PATH = '/api/v1/reports/indicators';

export function fetchIndicators(api: Api, q: Query): Promise<IndicatorTable> {
  return api.get<IndicatorTable>(INDICATORS_PATH, q);
}

// ---- the model (GET /api/v1/model) ----

export interface ModelUnit { id: string; parent: string | null; kind: string; name: Texts }
export interface ModelQuestion { key: string; type: string; required?: boolean; text: Texts; help?: Texts; options?: { value: string; label: Texts }[]; low_label?: Texts; high_label?: Texts }
export interface ModelSurvey { id: string; title: Texts; audience?: string; questions: ModelQuestion[] }
export interface ModelTouchpoint { id: string; name: Texts; journey: string; stage: string; units: string[]; survey: string; child_survey: string | null; relative_survey: string | null; channels: string[] }
export interface ModelJourney { id: string; name: Texts; stages: { id: string; name: Texts }[] }
export interface ModelTheme { id: string; label: Texts }
export interface Model {
  version: string;
  county: string;
  county_name: Texts;
  languages: string[];
  reporting_threshold: number;
  units: ModelUnit[];
  journeys: ModelJourney[];
  touchpoints: ModelTouchpoint[];
  surveys: ModelSurvey[];
  targets: { unit: string; indicator: string; value: number }[];
  themes?: ModelTheme[];
}

// ---- the org tree (GET /api/v1/org) ----

export interface OrgUnit { id: string; name: Texts; parent: string | null; level: number; children: string[] }
export interface Org { root: string; units: OrgUnit[] }

let orgCache: { key: string; org: Promise<Org> } | null = null;

// The served model, through the shell's shared cache (data.ts, reset at sign-in/out).
export function loadModel(api: Api): Promise<Model> {
  return getModel(api) as unknown as Promise<Model>;
}

// Forget the cached model and org (after publishing a new model version).
export function invalidateModel(): void {
  resetShared();
  orgCache = null;
}

// The org tree in the caller's scope. Falls back to the model's units below
// me.scope_unit when the server has no /api/v1/org.
export function loadOrg(api: Api, me: Me): Promise<Org> {
  const key = `${me.user_id}:${me.scope_unit}`;
  if (orgCache && orgCache.key === key) return orgCache.org;
  const org = api.get<Org>('/api/v1/org').catch(async () => orgFromModel(await loadModel(api), me.scope_unit));
  orgCache = { key, org };
  org.catch(() => (orgCache = null));
  return org;
}

export function orgFromModel(model: Model, root: string): Org {
  const kids = new Map<string, string[]>();
  for (const u of model.units) {
    if (u.parent) kids.set(u.parent, [...(kids.get(u.parent) ?? []), u.id]);
  }
  const units: OrgUnit[] = [];
  const walk = (id: string, level: number) => {
    const u = model.units.find((x) => x.id === id);
    if (!u) return;
    units.push({ id, name: u.name, parent: level === 0 ? null : u.parent, level, children: kids.get(id) ?? [] });
    for (const c of kids.get(id) ?? []) walk(c, level + 1);
  };
  walk(root, 0);
  return { root, units };
}

// Names of ids for the dimensions of a group (unit, journey, touchpoint, theme,
// channel ...). Unknown ids come back as themselves.
export class Names {
  private map = new Map<string, Texts>();
  constructor(model: Model, org?: Org) {
    for (const u of model.units) this.map.set(`unit:${u.id}`, u.name);
    for (const u of org?.units ?? []) this.map.set(`unit:${u.id}`, u.name);
    for (const j of model.journeys) this.map.set(`journey:${j.id}`, j.name);
    for (const t of model.touchpoints) this.map.set(`touchpoint:${t.id}`, t.name);
    for (const t of model.themes ?? []) this.map.set(`theme:${t.id}`, t.label);
    for (const s of model.surveys) for (const q of s.questions) if (!this.map.has(`question:${q.key}`)) this.map.set(`question:${q.key}`, q.text);
    for (const [k, v] of Object.entries(CHANNELS)) this.map.set(`channel:${k}`, v);
    for (const k of Object.keys(CHANNEL.fi)) if (!this.map.has(`channel:${k}`)) this.map.set(`channel:${k}`, { fi: CHANNEL.fi[k], sv: CHANNEL.sv[k], en: CHANNEL.en[k] });
  }
  of(dim: string, id: string, lang: Lang): string {
    const t = this.map.get(`${dim}:${id}`);
    if (t) return localized(t, lang) || id;
    if (dim === 'month' || dim === 'quarter' || dim === 'day' || dim === 'week' || dim === 'year') return periodLabel(lang, id);
    return id;
  }
}

const CHANNELS: Record<string, Texts> = {
  web: { fi: 'Verkko', sv: 'Webb', en: 'Web' },
  qr: { fi: 'QR-koodi', sv: 'QR-kod', en: 'QR code' },
  sms: { fi: 'Tekstiviesti', sv: 'Sms', en: 'Text message' },
  tablet: { fi: 'Tabletti', sv: 'Surfplatta', en: 'Tablet' },
  kiosk: { fi: 'Kioski', sv: 'Kiosk', en: 'Kiosk' },
  email: { fi: 'Sähköposti', sv: 'E-post', en: 'E-mail' },
  phone: { fi: 'Puhelin', sv: 'Telefon', en: 'Phone' },
  paper: { fi: 'Paperi', sv: 'Papper', en: 'Paper' },
  ivr: { fi: 'Puhelinkysely', sv: 'Telefonenkät', en: 'Phone survey' },
};

// The agreement questions of the model (the core statements), unique by key, in
// survey order.
export function statements(model: Model): ModelQuestion[] {
  const seen = new Set<string>();
  const out: ModelQuestion[] = [];
  for (const s of model.surveys) {
    for (const q of s.questions) {
      if (q.type === 'agreement' && !seen.has(q.key)) {
        seen.add(q.key);
        out.push(q);
      }
    }
  }
  return out;
}

// ---- calendar (Europe/Helsinki) ----

export function todayHelsinki(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function ymd(y: number, m: number, d: number): string {
  return `${y}-${pad(m)}-${pad(d)}`;
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

// First day of the month `months` before the month of `date`.
export function monthStartBefore(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number);
  const idx = y * 12 + (m - 1) - months;
  return ymd(Math.floor(idx / 12), (idx % 12) + 1, 1);
}

export function min(a: string, b: string): string {
  return a < b ? a : b;
}

// "2026-03" -> maaliskuu 2026; "2026-Q1" -> Q1 2026; a date -> local date.
export function periodLabel(lang: Lang, key: string): string {
  let m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15));
    return new Intl.DateTimeFormat(LOCALES[lang], { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
  }
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return `Q${m[2]} ${m[1]}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return fmtDay(lang, key);
  return key;
}

const LOCALES: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

// A YYYY-MM-DD date as a local date (no time-zone shift).
export function fmtDay(lang: Lang, date: string): string {
  return fmtDate(lang, `${date}T12:00:00Z`);
}

export function fmtRange(lang: Lang, from: string, to: string): string {
  return `${fmtDay(lang, from)}–${fmtDay(lang, to)}`;
}

// ---- cells ----

const W: Record<Lang, Record<string, string>> = {
  fi: { hidden: 'piilotettu pienen luvun suojaamiseksi', noData: 'ei vastauksia', significant: 'tilastollisesti merkitsevä', notSignificant: 'ei merkitsevä', met: 'saavutettu', notMet: 'ei saavutettu', widened: 'pidennetty jakso', points: 'pistettä', pp: '%-yks.' },
  sv: { hidden: 'dold för att skydda ett litet tal', noData: 'inga svar', significant: 'statistiskt signifikant', notSignificant: 'inte signifikant', met: 'uppnått', notMet: 'inte uppnått', widened: 'förlängd period', points: 'poäng', pp: 'procentenheter' },
  en: { hidden: 'hidden to protect a small number', noData: 'no answers', significant: 'statistically significant', notSignificant: 'not significant', met: 'met', notMet: 'not met', widened: 'widened period', points: 'points', pp: 'percentage points' },
};

export function words(lang: Lang): Record<string, string> {
  return W[lang];
}

// The text shown instead of a suppressed cell: "fewer than N answers", or for a cell
// hidden by complementary suppression the reason (also never a number).
export function suppressedText(lang: Lang, row: { reason?: string }, threshold: number): string {
  return row.reason === 'complementary' ? W[lang].hidden : fewerThan(lang, threshold);
}

// Decimals shown: whole points and whole percent (the intervals are wider than that).
export function digits(_kind: Kind): number {
  return 0;
}

// A value of the given kind as text: NPS signed points, shares with "%", counts.
export function fmtValue(lang: Lang, kind: Kind, v: number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = fmtNumber(lang, v, digits(kind));
  if (kind === 'nps') return s;
  if (kind === 'count') return s;
  return `${s} %`;
}

export function fmtCi(lang: Lang, kind: Kind, row: Row): string {
  if (row.ci_low === null || row.ci_high === null || row.ci_low === undefined) return '';
  return `${fmtValue(lang, kind, row.ci_low)} – ${fmtValue(lang, kind, row.ci_high)}`;
}

// "+4" / "−3" with the same digits as the value.
export function fmtChange(lang: Lang, kind: Kind, change: number | null | undefined): string {
  if (change === null || change === undefined) return '';
  const rounded = Number(change.toFixed(digits(kind)));
  const s = fmtNumber(lang, Math.abs(rounded), digits(kind));
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±';
  return `${sign}${s}`;
}

export function fmtTarget(lang: Lang, kind: Kind, target: number | null | undefined): string {
  if (target === null || target === undefined) return '';
  // For agreement and smiley questions the target is on the mean of the scale.
  if (kind === 'top_two_box' || kind === 'positive_share') return fmtNumber(lang, target, 1);
  return fmtValue(lang, kind, target);
}

// The value cell: the value, or the suppression words.
export function valueText(lang: Lang, t: { kind: Kind; threshold: number }, row: Row | undefined): string {
  if (!row) return W[lang].noData;
  if (row.suppressed) return suppressedText(lang, row, t.threshold);
  return fmtValue(lang, t.kind, row.value);
}

// A comparison as a short text "+4 (significant)"; suppressed → words.
export function comparisonText(lang: Lang, t: { kind: Kind; threshold: number }, c: Comparison | undefined): string {
  if (!c) return '';
  if (c.suppressed) return `${fewerThan(lang, t.threshold)}`;
  if (c.change === null || c.change === undefined) return '';
  return `${fmtChange(lang, t.kind, c.change)}${c.significant ? ` (${W[lang].significant})` : ''}`;
}

// Unit ids from the scope root down to `unit` (inclusive), by the org parents.
export function pathTo(org: Org, unit: string): OrgUnit[] {
  const byId = new Map(org.units.map((u) => [u.id, u]));
  const out: OrgUnit[] = [];
  let cur = byId.get(unit);
  while (cur) {
    out.unshift(cur);
    if (cur.id === org.root || !cur.parent) break;
    cur = byId.get(cur.parent);
  }
  return out;
}

// ---- standard columns of an indicator table ----

const C: Record<Lang, Record<string, string>> = {
  fi: { value: 'Arvo', nps: 'NPS', share: 'Osuus', count: 'Määrä', rate: 'Vastausosuus', ci: '95 %:n luottamusväli', n: 'Vastauksia', sent: 'Kutsuja', answered: 'Vastattuja', mean: 'Keskiarvo (1–5)', target: 'Tavoite', met: 'Tavoite saavutettu', prev: 'Muutos edelliseen jaksoon', year: 'Muutos vuodentakaiseen', period: 'Jakso', yes: 'kyllä', no: 'ei', comments: 'Kommentteja' },
  sv: { value: 'Värde', nps: 'NPS', share: 'Andel', count: 'Antal', rate: 'Svarsfrekvens', ci: '95 % konfidensintervall', n: 'Svar', sent: 'Inbjudningar', answered: 'Besvarade', mean: 'Medelvärde (1–5)', target: 'Mål', met: 'Målet uppnått', prev: 'Förändring mot föregående period', year: 'Förändring mot ett år tidigare', period: 'Period', yes: 'ja', no: 'nej', comments: 'Kommentarer' },
  en: { value: 'Value', nps: 'NPS', share: 'Share', count: 'Count', rate: 'Response rate', ci: '95 % confidence interval', n: 'Answers', sent: 'Invitations', answered: 'Answered', mean: 'Mean (1–5)', target: 'Target', met: 'Target met', prev: 'Change from the previous period', year: 'Change from a year earlier', period: 'Period', yes: 'yes', no: 'no', comments: 'Comments' },
};

export function colWords(lang: Lang): Record<string, string> {
  return C[lang];
}

export function valueLabel(lang: Lang, kind: Kind): string {
  const c = C[lang];
  return kind === 'nps' ? c.nps : kind === 'count' ? c.count : kind === 'response_rate' ? c.rate : c.share;
}

export interface ColumnOptions {
  // Render the first group dimension's label (e.g. a link to drill down).
  groupCell?(row: Row, label: string): Node | string;
  // Leave out the comparison columns.
  noCompare?: boolean;
  // The value column's header (default from the kind).
  valueHeader?: string;
}

// Columns for `t`: its group dimensions, value, interval, n, mean or counts, target,
// changes, and the period when some row covers a widened one.
export function indicatorColumns(lang: Lang, t: IndicatorTable, names: Names, o: ColumnOptions = {}): Column<Row>[] {
  const c = C[lang];
  const cols: Column<Row>[] = [];
  t.group_by.forEach((dim, i) => {
    cols.push({
      label: DIMS[lang][dim] ?? dim,
      cell: (r) => {
        const label = names.of(dim, r.group[dim] ?? '', lang);
        return i === 0 && o.groupCell ? o.groupCell(r, label) : label;
      },
    });
  });
  if (cols.length === 0) cols.push({ label: DIMS[lang].all, cell: () => names.of('unit', t.unit, lang) });
  cols.push({ label: o.valueHeader ?? valueLabel(lang, t.kind), numeric: true, cell: (r) => valueCell(lang, t, r) });
  if (t.kind !== 'count') cols.push({ label: c.ci, numeric: true, cell: (r) => (r.suppressed ? '' : fmtCi(lang, t.kind, r)) });
  if (t.kind === 'response_rate') {
    cols.push({ label: c.sent, numeric: true, cell: (r) => (r.suppressed ? '' : fmtNumber(lang, r.n)) });
    cols.push({ label: c.answered, numeric: true, cell: (r) => (r.suppressed ? '' : fmtNumber(lang, r.answered)) });
  } else if (t.kind === 'comment_share') {
    cols.push({ label: c.comments, numeric: true, cell: (r) => (r.suppressed ? '' : fmtNumber(lang, r.n)) });
  } else if (t.kind !== 'count') {
    cols.push({ label: c.n, numeric: true, cell: (r) => (r.suppressed ? '' : fmtNumber(lang, r.n)) });
  }
  if (t.kind === 'top_two_box' || t.kind === 'positive_share') {
    cols.push({ label: c.mean, numeric: true, cell: (r) => (r.suppressed ? '' : fmtNumber(lang, r.mean, 1)) });
  }
  if (t.rows.some((r) => r.target !== null && r.target !== undefined)) {
    cols.push({ label: c.target, numeric: true, cell: (r) => fmtTarget(lang, t.kind, r.target) });
    cols.push({ label: c.met, cell: (r) => (r.target_met === null || r.target_met === undefined ? '' : r.target_met ? `✓ ${c.yes}` : `✗ ${c.no}`) });
  }
  if (!o.noCompare && t.rows.some((r) => r.previous || r.year_ago)) {
    cols.push({ label: c.prev, numeric: true, cell: (r) => changeCell(lang, t, r.previous) });
    cols.push({ label: c.year, numeric: true, cell: (r) => changeCell(lang, t, r.year_ago) });
  }
  if (t.rows.some((r) => r.period?.widened)) {
    cols.push({ label: c.period, cell: (r) => (r.period ? `${fmtRange(lang, r.period.from, r.period.to)}${r.period.widened ? ` (${W[lang].widened})` : ''}` : '') });
  }
  return cols;
}

const DIMS: Record<Lang, Record<string, string>> = {
  fi: { unit: 'Yksikkö', journey: 'Asiakaspolku', touchpoint: 'Kosketuspiste', channel: 'Kanava', language: 'Kieli', age_group: 'Ikäryhmä', respondent: 'Vastaaja', day: 'Päivä', week: 'Viikko', month: 'Kuukausi', quarter: 'Vuosineljännes', year: 'Vuosi', theme: 'Teema', sentiment: 'Sävy', all: 'Kokonaisuus' },
  sv: { unit: 'Enhet', journey: 'Kundresa', touchpoint: 'Kontaktpunkt', channel: 'Kanal', language: 'Språk', age_group: 'Åldersgrupp', respondent: 'Svarande', day: 'Dag', week: 'Vecka', month: 'Månad', quarter: 'Kvartal', year: 'År', theme: 'Tema', sentiment: 'Ton', all: 'Helhet' },
  en: { unit: 'Unit', journey: 'Journey', touchpoint: 'Touchpoint', channel: 'Channel', language: 'Language', age_group: 'Age group', respondent: 'Respondent', day: 'Day', week: 'Week', month: 'Month', quarter: 'Quarter', year: 'Year', theme: 'Theme', sentiment: 'Tone', all: 'Overall' },
};

export function dimLabel(lang: Lang, dim: string): string {
  return DIMS[lang][dim] ?? dim;
}

// The value cell: the value, or (suppressed) the words in a marked span.
export function valueCell(lang: Lang, t: { kind: Kind; threshold: number }, r: Row | undefined): Node {
  const span = document.createElement('span');
  if (r?.suppressed) {
    span.className = 'suppressed';
    span.dataset.suppressed = r.reason ?? 'below_threshold';
  } else if (r) {
    span.dataset.value = String(r.value);
  }
  span.textContent = valueText(lang, t, r);
  return span;
}

// A change cell: "+4" plus a visible significance marker (text, not colour only).
export function changeCell(lang: Lang, t: { kind: Kind; threshold: number }, cmp: Comparison | undefined): Node | string {
  if (!cmp) return '';
  if (cmp.suppressed) {
    const s = document.createElement('span');
    s.className = 'suppressed';
    s.textContent = fewerThan(lang, t.threshold);
    return s;
  }
  if (cmp.change === null || cmp.change === undefined) return '';
  const s = document.createElement('span');
  s.className = cmp.significant ? (cmp.change > 0 ? 'change sig up' : 'change sig down') : 'change';
  s.dataset.change = String(cmp.change);
  s.textContent = fmtChange(lang, t.kind, cmp.change);
  if (cmp.significant) {
    const m = document.createElement('span');
    m.className = 'sig-mark';
    m.textContent = ` * (${W[lang].significant})`;
    s.appendChild(m);
  }
  return s;
}
