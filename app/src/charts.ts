// Chart.js wrappers of the insight pages. Every chart is decoration for sighted
// users: the canvas is aria-hidden and the caller always puts the same figures in a
// real table next to it (chartFigure adds the <details> with the table). Suppressed
// cells are null, which Chart.js draws as gaps. Owned by helper app2.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { Lang } from './page';
import { h } from './dom';
import { LOCALE } from './i18n';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip, Filler);

// Colour-blind-safe palette (Okabe–Ito), dark enough on white.
export const PALETTE = ['#0b5cad', '#c45a00', '#00795a', '#a23b72', '#6b4c9a', '#8a6d00', '#3b3b3b', '#0090b8', '#b8002e', '#4d7f00', '#7a5230', '#005f73'];

export interface Series {
  label: string;
  data: (number | null)[];
  // 'line' (default), 'dashed' (targets), 'band' (the pair ci_low/ci_high: give the low
  // one as 'band-low' right after the 'band' high one).
  style?: 'line' | 'dashed' | 'band' | 'band-low';
  color?: string;
}

export interface ChartOptions {
  lang: Lang;
  yMin?: number;
  yMax?: number;
  type?: 'line' | 'bar';
  stacked?: boolean;
  // Accessible name of the figure (the table next to it has the figures).
  label: string;
}

const S: Record<Lang, { showTable: string }> = {
  fi: { showTable: 'Näytä luvut taulukkona' },
  sv: { showTable: 'Visa siffrorna som tabell' },
  en: { showTable: 'Show the figures as a table' },
};

function dataset(s: Series, i: number, type: 'line' | 'bar'): ChartDataset<'line' | 'bar', (number | null)[]> {
  const color = s.color ?? PALETTE[i % PALETTE.length];
  if (type === 'bar') {
    return { type: 'bar', label: s.label, data: s.data, backgroundColor: color, borderColor: color } as ChartDataset<'bar', (number | null)[]>;
  }
  const base = { type: 'line' as const, label: s.label, data: s.data, borderColor: color, backgroundColor: color, spanGaps: false, tension: 0 };
  if (s.style === 'dashed') return { ...base, borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 };
  if (s.style === 'band') return { ...base, borderWidth: 0, pointRadius: 0, backgroundColor: `${color}26`, fill: '+1' };
  if (s.style === 'band-low') return { ...base, borderWidth: 0, pointRadius: 0, backgroundColor: `${color}26`, fill: false };
  return { ...base, borderWidth: 2, pointRadius: 3 };
}

// A chart in a figure; the canvas is aria-hidden. Returns the wrapper; the chart
// draws itself once the wrapper is in the document.
export function chart(labels: string[], series: Series[], o: ChartOptions): HTMLElement {
  const canvas = h('canvas', { 'aria-hidden': 'true', role: 'presentation' });
  const box = h('div', { class: 'chart-box' }, canvas);
  const type = o.type ?? 'line';
  const fmt = new Intl.NumberFormat(LOCALE[o.lang], { maximumFractionDigits: 0 });
  // Created after the current task so that the wrapper is attached (sizes known).
  queueMicrotask(() => {
    new Chart(canvas, {
      type,
      data: { labels, datasets: series.map((s, i) => dataset(s, i, type)) as never },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: LOCALE[o.lang],
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { filter: (item) => !/\u200b$/.test(item.text) } },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label ?? ''}: ${c.parsed.y === null ? '–' : fmt.format(c.parsed.y)}` } },
        },
        scales: {
          x: { stacked: !!o.stacked, ticks: { color: '#3b3b3b' } },
          y: { stacked: !!o.stacked, min: o.yMin, max: o.yMax, ticks: { color: '#3b3b3b' } },
        },
      },
    });
  });
  return box;
}

// A figure: heading-less caption, the chart, and a <details> with the table.
export function chartFigure(lang: Lang, caption: string, chartEl: HTMLElement, table: HTMLElement): HTMLElement {
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', null, caption),
    chartEl,
    h('details', { class: 'chart-table' }, h('summary', null, S[lang].showTable), table),
  );
}

// The invisible legend-free companion dataset label (legend filter hides it).
export function hiddenLabel(label: string): string {
  return `${label}\u200b`;
}
