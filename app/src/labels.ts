// Labels of the API's enumerations (case status, kind, band, channel, sentiment,
// role, feedback kind) in fi, sv and en. Shared by the staff pages.
import type { Lang } from './page';

type Labels = Record<Lang, Record<string, string>>;

export const STATUS: Labels = {
  fi: { new: 'Uusi', in_handling: 'Käsittelyssä', answered: 'Vastattu', closed: 'Suljettu', muistutus: 'Muistutus' },
  sv: { new: 'Ny', in_handling: 'Under behandling', answered: 'Besvarad', closed: 'Stängd', muistutus: 'Anmärkning' },
  en: { new: 'New', in_handling: 'In handling', answered: 'Answered', closed: 'Closed', muistutus: 'Formal complaint' },
};
export const STATUSES = ['new', 'in_handling', 'answered', 'closed', 'muistutus'] as const;
export const OPEN_STATUSES = ['new', 'in_handling', 'answered'];

export const KIND: Labels = {
  fi: { contact_request: 'Yhteydenottopyyntö', feedback: 'Palaute', comment: 'Kommentti' },
  sv: { contact_request: 'Kontaktbegäran', feedback: 'Respons', comment: 'Kommentar' },
  en: { contact_request: 'Contact request', feedback: 'Feedback', comment: 'Comment' },
};
export const KINDS = ['contact_request', 'feedback', 'comment'] as const;

export const BAND: Labels = {
  fi: { detractor: 'Arvostelija (0–6)', passive: 'Passiivinen (7–8)', promoter: 'Suosittelija (9–10)', none: 'Ei suositteluarviota' },
  sv: { detractor: 'Kritiker (0–6)', passive: 'Passiv (7–8)', promoter: 'Ambassadör (9–10)', none: 'Inget rekommendationsbetyg' },
  en: { detractor: 'Detractor (0–6)', passive: 'Passive (7–8)', promoter: 'Promoter (9–10)', none: 'No recommendation score' },
};
export const BANDS = ['detractor', 'passive', 'promoter', 'none'] as const;

export const CHANNEL: Labels = {
  fi: { web: 'Verkko', qr: 'QR-koodi', kiosk: 'Kioski', sms: 'Tekstiviesti', tablet: 'Tabletti', paper: 'Paperi', phone: 'Puhelin', feedback: 'Palautelomake', api: 'Rajapinta', email: 'Sähköposti' },
  sv: { web: 'Webb', qr: 'QR-kod', kiosk: 'Kiosk', sms: 'Sms', tablet: 'Surfplatta', paper: 'Papper', phone: 'Telefon', feedback: 'Responsformulär', api: 'Gränssnitt', email: 'E-post' },
  en: { web: 'Web', qr: 'QR code', kiosk: 'Kiosk', sms: 'SMS', tablet: 'Tablet', paper: 'Paper', phone: 'Phone', feedback: 'Feedback form', api: 'API', email: 'E-mail' },
};
export const CHANNELS = ['web', 'qr', 'kiosk', 'sms', 'tablet', 'paper', 'phone', 'feedback', 'api'] as const;

export const SENTIMENT: Labels = {
  fi: { positive: 'Myönteinen', negative: 'Kielteinen', neutral: 'Neutraali', mixed: 'Ristiriitainen' },
  sv: { positive: 'Positiv', negative: 'Negativ', neutral: 'Neutral', mixed: 'Blandad' },
  en: { positive: 'Positive', negative: 'Negative', neutral: 'Neutral', mixed: 'Mixed' },
};

export const ROLE: Labels = {
  fi: { admin: 'Pääkäyttäjä', cx_specialist: 'Asiakaskokemuksen asiantuntija', director: 'Johtaja', unit_manager: 'Yksikön esihenkilö', analyst: 'Analyytikko', integration: 'Integraatio' },
  sv: { admin: 'Huvudanvändare', cx_specialist: 'Kundupplevelsespecialist', director: 'Direktör', unit_manager: 'Enhetschef', analyst: 'Analytiker', integration: 'Integration' },
  en: { admin: 'Administrator', cx_specialist: 'CX specialist', director: 'Director', unit_manager: 'Unit manager', analyst: 'Analyst', integration: 'Integration' },
};

export const FEEDBACK_KIND: Labels = {
  fi: { praise: 'Kiitos', suggestion: 'Kehitysehdotus', complaint: 'Moite' },
  sv: { praise: 'Beröm', suggestion: 'Förslag', complaint: 'Klagomål' },
  en: { praise: 'Praise', suggestion: 'Suggestion', complaint: 'Complaint' },
};

// Names of the answer languages a case can have.
export const ANSWER_LANGUAGE: Labels = {
  fi: { fi: 'suomi', sv: 'ruotsi', en: 'englanti', 'fi-x-selko': 'selkosuomi' },
  sv: { fi: 'finska', sv: 'svenska', en: 'engelska', 'fi-x-selko': 'lättläst finska' },
  en: { fi: 'Finnish', sv: 'Swedish', en: 'English', 'fi-x-selko': 'Easy Finnish' },
};

// `table[lang][key]`, or the key itself when unknown (a value newer than the app).
export function label(table: Labels, lang: Lang, key: string | null | undefined): string {
  if (key === null || key === undefined) return '';
  return table[lang][key] ?? key;
}
