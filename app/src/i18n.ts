// Language helpers of the staff app (fi, sv, en). Each page keeps its own strings
// as `const S: Record<Lang, {...}>` next to its code; this file has the shared ones
// and the formatters. Written by the lead; change only by adding.
import type { Lang } from './page';

export const LANGS: Lang[] = ['fi', 'sv', 'en'];
export const LOCALE: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

// The text of a model LocalizedText ({fi, sv, en, "fi-x-selko"}) in `lang`, falling
// back to fi, then any.
export function localized(text: Partial<Record<string, string>> | undefined | null, lang: Lang): string {
  if (!text) return '';
  return text[lang] || text.fi || Object.values(text).find((v) => !!v) || '';
}

export function fmtNumber(lang: Lang, n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '';
  return new Intl.NumberFormat(LOCALE[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

// "2026-11-24T20:15:03.123Z" -> local date (and time when `withTime`), Europe/Helsinki.
export function fmtDate(lang: Lang, iso: string | null | undefined, withTime = false): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALE[lang], {
    timeZone: 'Europe/Helsinki',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).format(d);
}

// "fewer than N answers" for a suppressed cell: never a number of answers.
export function fewerThan(lang: Lang, threshold: number): string {
  return { fi: `alle ${threshold} vastausta`, sv: `färre än ${threshold} svar`, en: `fewer than ${threshold} answers` }[lang];
}

// Shared words.
export const COMMON: Record<Lang, Record<string, string>> = {
  fi: { loading: 'Ladataan…', error: 'Virhe', save: 'Tallenna', cancel: 'Peruuta', close: 'Sulje', search: 'Hae', filter: 'Suodata', all: 'Kaikki', next: 'Seuraava', previous: 'Edellinen', signOut: 'Kirjaudu ulos', language: 'Kieli' },
  sv: { loading: 'Laddar…', error: 'Fel', save: 'Spara', cancel: 'Avbryt', close: 'Stäng', search: 'Sök', filter: 'Filtrera', all: 'Alla', next: 'Nästa', previous: 'Föregående', signOut: 'Logga ut', language: 'Språk' },
  en: { loading: 'Loading…', error: 'Error', save: 'Save', cancel: 'Cancel', close: 'Close', search: 'Search', filter: 'Filter', all: 'All', next: 'Next', previous: 'Previous', signOut: 'Sign out', language: 'Language' },
};
