// The period picker of the dashboard: last 30 days, a month, a quarter or a custom
// range, kept in the URL (?period=month&month=2026-10). Owned by helper app2.
import type { Lang } from './page';
import { h } from './dom';
import { field, select } from './ui';
import { addDays, daysInMonth, min, monthStartBefore, todayHelsinki, ymd } from './indicators';

export type PeriodKind = '30d' | 'month' | 'quarter' | 'custom';

export interface Period {
  kind: PeriodKind;
  month: string; // YYYY-MM
  quarter: string; // YYYY-Qn
  from: string; // custom
  to: string; // custom
}

const S: Record<Lang, Record<string, string>> = {
  fi: { period: 'Jakso', d30: 'Viimeiset 30 päivää', month: 'Kuukausi', quarter: 'Vuosineljännes', custom: 'Oma aikaväli', from: 'Alkaen', to: 'Päättyen', monthHint: 'muodossa VVVV-KK' },
  sv: { period: 'Period', d30: 'De senaste 30 dagarna', month: 'Månad', quarter: 'Kvartal', custom: 'Egen period', from: 'Från', to: 'Till', monthHint: 'i formen ÅÅÅÅ-MM' },
  en: { period: 'Period', d30: 'Last 30 days', month: 'Month', quarter: 'Quarter', custom: 'Custom range', from: 'From', to: 'To', monthHint: 'as YYYY-MM' },
};

function currentMonth(): string {
  return todayHelsinki().slice(0, 7);
}

function quarterOf(date: string): string {
  const [y, m] = date.split('-').map(Number);
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

export function readPeriod(q: URLSearchParams): Period {
  const kind = (['30d', 'month', 'quarter', 'custom'] as const).find((k) => k === q.get('period')) ?? '30d';
  const today = todayHelsinki();
  return {
    kind,
    month: /^\d{4}-\d{2}$/.test(q.get('month') ?? '') ? (q.get('month') as string) : currentMonth(),
    quarter: /^\d{4}-Q[1-4]$/.test(q.get('quarter') ?? '') ? (q.get('quarter') as string) : quarterOf(today),
    from: /^\d{4}-\d{2}-\d{2}$/.test(q.get('from') ?? '') ? (q.get('from') as string) : addDays(today, -29),
    to: /^\d{4}-\d{2}-\d{2}$/.test(q.get('to') ?? '') ? (q.get('to') as string) : today,
  };
}

// from/to of the period for the API; {} for the last 30 days (the server's default).
export function periodRange(p: Period): { from?: string; to?: string } {
  const today = todayHelsinki();
  if (p.kind === 'month') {
    const [y, m] = p.month.split('-').map(Number);
    return { from: ymd(y, m, 1), to: min(ymd(y, m, daysInMonth(y, m)), today) };
  }
  if (p.kind === 'quarter') {
    const y = Number(p.quarter.slice(0, 4));
    const qn = Number(p.quarter.slice(6));
    const last = qn * 3;
    return { from: ymd(y, last - 2, 1), to: min(ymd(y, last, daysInMonth(y, last)), today) };
  }
  if (p.kind === 'custom') return p.from <= p.to ? { from: p.from, to: p.to } : { from: p.to, to: p.from };
  return {};
}

// The end date of the period (today for the last 30 days).
export function periodEnd(p: Period): string {
  return periodRange(p).to ?? todayHelsinki();
}

// The 13 months ending with the period's month: from the first day 12 months back.
export function trendRange(p: Period): { from: string; to: string } {
  const to = periodEnd(p);
  return { from: monthStartBefore(to, 12), to };
}

// The URL parameters of the period.
export function periodParams(p: Period): Record<string, string> {
  if (p.kind === 'month') return { period: 'month', month: p.month };
  if (p.kind === 'quarter') return { period: 'quarter', quarter: p.quarter };
  if (p.kind === 'custom') return { period: 'custom', from: p.from, to: p.to };
  return {};
}

// Month keys (YYYY-MM) from `from` to `to` inclusive.
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  while (out.length < 400) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= end) break;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

// The last `n` quarters up to today, newest first.
function recentQuarters(n: number): string[] {
  const out: string[] = [];
  let [y, q] = quarterOf(todayHelsinki()).split('-Q').map(Number);
  for (let i = 0; i < n; i++) {
    out.push(`${y}-Q${q}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      y -= 1;
    }
  }
  return out;
}

// The picker's fields (inside the caller's form): a select of the kind and the inputs
// of the chosen kind (the others hidden).
export function periodFields(lang: Lang, p: Period): HTMLElement {
  const s = S[lang];
  const kind = select('period', [['30d', s.d30], ['month', s.month], ['quarter', s.quarter], ['custom', s.custom]], p.kind);
  const month = h('input', { type: 'month', name: 'month', value: p.month, max: currentMonth(), pattern: '\\d{4}-\\d{2}' });
  const quarters = recentQuarters(12);
  if (!quarters.includes(p.quarter)) quarters.push(p.quarter);
  const quarter = select('quarter', quarters.map((x) => [x, x.replace(/^(\d{4})-Q(\d)$/, 'Q$2 $1')]), p.quarter);
  const from = h('input', { type: 'date', name: 'from', value: p.from, max: todayHelsinki() });
  const to = h('input', { type: 'date', name: 'to', value: p.to, max: todayHelsinki() });
  const monthF = field(s.month, month, s.monthHint);
  const quarterF = field(s.quarter, quarter);
  const fromF = field(s.from, from);
  const toF = field(s.to, to);
  const show = () => {
    monthF.hidden = kind.value !== 'month';
    quarterF.hidden = kind.value !== 'quarter';
    fromF.hidden = kind.value !== 'custom';
    toF.hidden = kind.value !== 'custom';
  };
  kind.addEventListener('change', show);
  show();
  return h('div', { class: 'period-fields' }, field(s.period, kind), monthF, quarterF, fromF, toF);
}

// Reads the picker's fields back from the form.
export function periodFromForm(form: HTMLFormElement): Period {
  const fd = new FormData(form);
  const q = new URLSearchParams();
  for (const k of ['period', 'month', 'quarter', 'from', 'to']) {
    const v = fd.get(k);
    if (typeof v === 'string' && v) q.set(k, v);
  }
  return readPeriod(q);
}
