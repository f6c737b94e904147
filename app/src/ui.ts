// Small UI building blocks shared by the staff pages: links under /app, labelled form
// fields, status badges, error text. Plain DOM through h().
import { ApiError } from './api';
import { h, uid } from './dom';
import { COMMON } from './i18n';
import type { Lang } from './page';

export const BASE = '/app';

// The href of an app path ("/cases/5" -> "/app/cases/5"). The shell turns clicks on
// such links into in-app navigation.
export function appHref(path: string): string {
  return BASE + (path.startsWith('/') ? path : `/${path}`);
}

export function appLink(path: string, ...children: (Node | string)[]): HTMLAnchorElement {
  return h('a', { href: appHref(path) }, ...children);
}

// A labelled control: <div class="field"><label for>…</label>[hint]control</div>.
// Gives the control an id (unless it has one) and wires the hint with aria-describedby.
export function field(labelText: string, control: HTMLElement, hint?: string, cls = 'field'): HTMLDivElement {
  if (!control.id) control.id = uid('f');
  const parts: Node[] = [h('label', { for: control.id }, labelText)];
  if (hint) {
    const hid = uid('hint');
    parts.push(h('p', { class: 'hint', id: hid }, hint));
    const prev = control.getAttribute('aria-describedby');
    control.setAttribute('aria-describedby', prev ? `${prev} ${hid}` : hid);
  }
  parts.push(control);
  return h('div', { class: cls }, ...parts);
}

// A <select> with `options` [value, label]; `selected` chosen.
export function select(name: string, options: [string, string][], selected: string | null | undefined): HTMLSelectElement {
  const s = h('select', { name });
  for (const [v, l] of options) s.appendChild(h('option', { value: v, selected: v === (selected ?? '') }, l));
  return s;
}

// A checkbox with its label after it.
export function checkbox(name: string, value: string, labelText: string, checked: boolean): HTMLDivElement {
  const id = uid('c');
  return h('div', { class: 'check' },
    h('input', { type: 'checkbox', id, name, value, checked }),
    h('label', { for: id }, labelText));
}

export function badge(text: string, cls: string): HTMLSpanElement {
  return h('span', { class: `badge ${cls}` }, text);
}

const ERR = {
  fi: { network: 'Palvelimeen ei saatu yhteyttä. Yritä uudelleen.', forbidden: 'Sinulla ei ole oikeutta tähän.', notFound: 'Ei löydy (tai ei kuulu alueeseesi).' },
  sv: { network: 'Ingen kontakt med servern. Försök igen.', forbidden: 'Du har inte behörighet till detta.', notFound: 'Hittades inte (eller hör inte till ditt område).' },
  en: { network: 'Could not reach the server. Please try again.', forbidden: 'You do not have permission for this.', notFound: 'Not found (or not in your area).' },
};

// A message for a failed request: the server's problem detail (says what and where),
// else a generic sentence.
export function errorText(lang: Lang, e: unknown): string {
  if (e instanceof ApiError) {
    const detail = e.problem.detail ?? e.problem.title ?? '';
    if (e.status === 403 && !detail) return ERR[lang].forbidden;
    if (e.status === 404) return detail ? `${ERR[lang].notFound} (${detail})` : ERR[lang].notFound;
    const errs = (e.problem.errors ?? []).map((x) => `${x.field}: ${x.detail}`);
    return [detail || `HTTP ${e.status}`, ...errs].join(' — ');
  }
  return ERR[lang].network;
}

// <p role="alert" class="error">…</p>
export function errorBox(lang: Lang, e: unknown): HTMLParagraphElement {
  return h('p', { class: 'error', role: 'alert' }, `${COMMON[lang].error}: ${errorText(lang, e)}`);
}

export function loading(lang: Lang): HTMLParagraphElement {
  return h('p', { class: 'loading' }, COMMON[lang].loading);
}

// A <dl> of [term, description] pairs (descriptions that are empty are left out).
export function definitions(pairs: [string, Node | string | null | undefined | false][]): HTMLDListElement {
  const dl = h('dl', { class: 'facts' });
  for (const [t, d] of pairs) {
    if (d === null || d === undefined || d === false || d === '') continue;
    dl.appendChild(h('div', null, h('dt', null, t), h('dd', null, d)));
  }
  return dl;
}

// A table wrapper that scrolls sideways on narrow screens and can be reached by
// keyboard (axe: scrollable-region-focusable).
export function scrollTable(table: HTMLTableElement, labelText: string): HTMLDivElement {
  return h('div', { class: 'table-scroll', role: 'region', 'aria-label': labelText, tabindex: 0 }, table);
}

// Disables the form's buttons while `work` runs.
export async function busy<T>(form: HTMLElement, work: () => Promise<T>): Promise<T> {
  const buttons = [...form.querySelectorAll('button')];
  for (const b of buttons) b.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    for (const b of buttons) b.disabled = false;
    form.removeAttribute('aria-busy');
  }
}
