// One case of the inbox (GET /api/v1/cases/{id}): the answers and redacted comments
// with sentiment and themes, the contact details while the case is open, the
// history, and the handling actions the caller's role allows: take, assign to a
// person or unit, status moves, internal note, reply by SMS or e-mail, muistutus.
import { h, replace, uid } from '../dom';
import { getModel, themeLabel, touchpointName, unitName, unitTree, type Model, type ModelQuestion } from '../data';
import { fmtDate, localized } from '../i18n';
import { ANSWER_LANGUAGE, BAND, CHANNEL, FEEDBACK_KIND, KIND, label, SENTIMENT, STATUS } from '../labels';
import type { Lang, PageContext, PageModule } from '../page';
import { appHref, badge, busy, definitions, errorBox, errorText, field, loading, select } from '../ui';
import type { CaseSummary } from './inbox';

interface Comment { question: string; language?: string; sentiment?: string; themes?: string[]; suggestion?: boolean; placeholders?: string[] }
interface HistoryEntry { at: string; login?: string | null; kind: string; text?: string | null; status?: string | null }
interface CaseDetail extends CaseSummary {
  answers?: Record<string, unknown> | null;
  comments?: Comment[];
  feedback_kind?: string | null;
  survey?: string | null;
  contact?: { name?: string; phone?: string; email?: string; consent?: boolean } | null;
  can_reply?: string[];
  history?: HistoryEntry[];
  notification?: { channel: string; sent: boolean; error?: string | null } | null; // muistutus answers only
}

const S = {
  fi: {
    title: 'Tapaus', facts: 'Tiedot', status: 'Tila', kind: 'Tyyppi', received: 'Saapunut', due: 'Määräaika', overdue: 'Myöhässä',
    unit: 'Yksikkö', touchpoint: 'Kosketuspiste', channel: 'Kanava', language: 'Kieli', score: 'Suosittelu', feedbackKind: 'Palautteen laji',
    handler: 'Käsittelijä', assignedUnit: 'Osoitettu yksikölle', nobody: 'Ei vielä käsittelijää', flags: 'Merkinnät', alert: 'Hälytys',
    safety: 'Mahdollinen turvallisuushuoli', answers: 'Vastaukset', noAnswers: 'Ei vastauksia näytettäväksi.', sentiment: 'Sävy', themes: 'Teemat',
    suggestion: 'Sisältää kehitysehdotuksen', contact: 'Yhteystiedot', name: 'Nimi', phone: 'Puhelin', email: 'Sähköposti', consent: 'Suostumus',
    yes: 'Kyllä', no: 'Ei', contactGone: 'Yhteystiedot poistettiin, kun tapaus suljettiin.', contactNoRight: 'Asiakas pyysi yhteydenottoa. Roolisi ei näe yhteystietoja.',
    noContact: 'Asiakas ei pyytänyt yhteydenottoa.',
    handling: 'Käsittely', take: 'Ota itselleni', taken: 'Otit tapauksen käsiteltäväksi.', assign: 'Osoita', assignPerson: 'Osoita henkilölle',
    personLogin: 'Henkilön käyttäjätunnus', assignUnit: 'Osoita yksikölle', chooseUnit: 'Yksikkö', assigned: 'Tapaus osoitettiin.',
    move: 'Muuta tilaa', moveNote: 'Perustelu tai huomio (vapaaehtoinen)', moved: 'Tila on nyt: {s}.',
    to_in_handling: 'Ota käsittelyyn', to_in_handling_back: 'Palauta käsittelyyn', to_answered: 'Merkitse vastatuksi', to_closed: 'Sulje tapaus', to_new: 'Palauta uudeksi',
    closeNote: 'Sulkeminen poistaa asiakkaan yhteystiedot.',
    note: 'Sisäinen muistiinpano', noteText: 'Muistiinpano', noteHint: 'Näkyy vain henkilöstölle, ei koskaan asiakkaalle.', addNote: 'Lisää muistiinpano', noted: 'Muistiinpano lisättiin.',
    reply: 'Vastaa asiakkaalle', replyChannel: 'Kanava', replyText: 'Viesti', send: 'Lähetä vastaus', sent: 'Vastaus lähetettiin ({c}).',
    replyNone: 'Vastaaminen ei ole mahdollista: asiakas ei antanut yhteystietoja, joihin palvelin voi lähettää.',
    smsCount: '{n} merkkiä, {s} tekstiviesti(ä); enintään 3.', smsTooLong: 'Viesti on liian pitkä tekstiviestiksi (enintään 3 tekstiviestiä).',
    muistutus: 'Muistutus', muistutusText: 'Jos palaute on todellisuudessa muistutus (potilaslain tai sosiaalihuollon asiakaslain mukainen), merkitse se muistutukseksi. Se poistuu tavallisesta palautekäsittelystä.',
    notify: 'Kerro asiakkaalle, miten muistutus tehdään (asiakkaan antamaan yhteystietoon)', confirmM: 'Vahvistan, että tämä on muistutus',
    markM: 'Merkitse muistutukseksi', markedM: 'Tapaus merkittiin muistutukseksi.',
    notifyFailed: 'Ohjeita ei voitu lähettää asiakkaalle ({e}). Tapaus on silti merkitty muistutukseksi; kerro ohjeet asiakkaalle muuta kautta.', mEnd: 'Tapaus on merkitty muistutukseksi; sitä ei käsitellä tavallisena palautteena.',
    empty: 'Anna teksti.', record: 'Kirjaa kehittämistoimi tämän palautteen pohjalta', history: 'Tapahtumat', noHistory: 'Ei tapahtumia vielä.',
    h_status: 'Tila', h_assign: 'Osoitus', h_note: 'Muistiinpano', h_reply: 'Vastaus', h_muistutus: 'Muistutus', h_alert: 'Hälytys', h_open: 'Avattu',
    system: 'järjestelmä', back: 'Takaisin palautteisiin', nps: '{n}/10', readOnly: 'Roolisi voi lukea tapauksia mutta ei käsitellä niitä.',
    agree1: 'Täysin eri mieltä', agree2: 'Jokseenkin eri mieltä', agree3: 'Ei samaa eikä eri mieltä', agree4: 'Jokseenkin samaa mieltä', agree5: 'Täysin samaa mieltä',
    cantSay: 'En osaa sanoa', feedbackText: 'Palaute',
  },
  sv: {
    title: 'Ärende', facts: 'Uppgifter', status: 'Status', kind: 'Typ', received: 'Inkommet', due: 'Tidsfrist', overdue: 'Försenat',
    unit: 'Enhet', touchpoint: 'Kontaktpunkt', channel: 'Kanal', language: 'Språk', score: 'Rekommendation', feedbackKind: 'Typ av respons',
    handler: 'Handläggare', assignedUnit: 'Tilldelat enheten', nobody: 'Ingen handläggare ännu', flags: 'Markeringar', alert: 'Larm',
    safety: 'Möjlig säkerhetsrisk', answers: 'Svar', noAnswers: 'Inga svar att visa.', sentiment: 'Ton', themes: 'Teman',
    suggestion: 'Innehåller ett förslag', contact: 'Kontaktuppgifter', name: 'Namn', phone: 'Telefon', email: 'E-post', consent: 'Samtycke',
    yes: 'Ja', no: 'Nej', contactGone: 'Kontaktuppgifterna raderades när ärendet stängdes.', contactNoRight: 'Kunden bad om kontakt. Din roll ser inte kontaktuppgifterna.',
    noContact: 'Kunden bad inte om kontakt.',
    handling: 'Behandling', take: 'Ta själv', taken: 'Du tog ärendet till behandling.', assign: 'Tilldela', assignPerson: 'Tilldela en person',
    personLogin: 'Personens användarnamn', assignUnit: 'Tilldela en enhet', chooseUnit: 'Enhet', assigned: 'Ärendet tilldelades.',
    move: 'Ändra status', moveNote: 'Motivering eller anmärkning (frivillig)', moved: 'Status är nu: {s}.',
    to_in_handling: 'Ta till behandling', to_in_handling_back: 'Återta till behandling', to_answered: 'Markera som besvarad', to_closed: 'Stäng ärendet', to_new: 'Återställ som ny',
    closeNote: 'När ärendet stängs raderas kundens kontaktuppgifter.',
    note: 'Intern anteckning', noteText: 'Anteckning', noteHint: 'Syns bara för personalen, aldrig för kunden.', addNote: 'Lägg till anteckning', noted: 'Anteckningen lades till.',
    reply: 'Svara kunden', replyChannel: 'Kanal', replyText: 'Meddelande', send: 'Skicka svaret', sent: 'Svaret skickades ({c}).',
    replyNone: 'Det går inte att svara: kunden lämnade inga kontaktuppgifter som servern kan skicka till.',
    smsCount: '{n} tecken, {s} sms; högst 3.', smsTooLong: 'Meddelandet är för långt för sms (högst 3 sms).',
    muistutus: 'Anmärkning', muistutusText: 'Om responsen egentligen är en anmärkning (enligt patientlagen eller klientlagen inom socialvården), markera den som anmärkning. Den lämnar den vanliga responshanteringen.',
    notify: 'Berätta för kunden hur man gör en anmärkning (till kundens kontaktuppgift)', confirmM: 'Jag bekräftar att detta är en anmärkning',
    markM: 'Markera som anmärkning', markedM: 'Ärendet markerades som anmärkning.',
    notifyFailed: 'Instruktionerna kunde inte skickas till kunden ({e}). Ärendet är ändå markerat som anmärkning; ge kunden instruktionerna på annat sätt.', mEnd: 'Ärendet är markerat som anmärkning; det behandlas inte som vanlig respons.',
    empty: 'Skriv en text.', record: 'Registrera en utvecklingsåtgärd utifrån denna respons', history: 'Händelser', noHistory: 'Inga händelser ännu.',
    h_status: 'Status', h_assign: 'Tilldelning', h_note: 'Anteckning', h_reply: 'Svar', h_muistutus: 'Anmärkning', h_alert: 'Larm', h_open: 'Öppnat',
    system: 'systemet', back: 'Tillbaka till responsen', nps: '{n}/10', readOnly: 'Din roll kan läsa ärenden men inte behandla dem.',
    agree1: 'Helt av annan åsikt', agree2: 'Delvis av annan åsikt', agree3: 'Varken av samma eller annan åsikt', agree4: 'Delvis av samma åsikt', agree5: 'Helt av samma åsikt',
    cantSay: 'Kan inte säga', feedbackText: 'Respons',
  },
  en: {
    title: 'Case', facts: 'Details', status: 'Status', kind: 'Type', received: 'Received', due: 'Due', overdue: 'Overdue',
    unit: 'Unit', touchpoint: 'Touchpoint', channel: 'Channel', language: 'Language', score: 'Recommendation', feedbackKind: 'Feedback type',
    handler: 'Handler', assignedUnit: 'Assigned to unit', nobody: 'No handler yet', flags: 'Flags', alert: 'Alert',
    safety: 'Possible safety concern', answers: 'Answers', noAnswers: 'No answers to show.', sentiment: 'Sentiment', themes: 'Themes',
    suggestion: 'Contains a suggestion', contact: 'Contact details', name: 'Name', phone: 'Phone', email: 'E-mail', consent: 'Consent',
    yes: 'Yes', no: 'No', contactGone: 'The contact details were deleted when the case was closed.', contactNoRight: 'The customer asked to be contacted. Your role does not see contact details.',
    noContact: 'The customer did not ask to be contacted.',
    handling: 'Handling', take: 'Take it myself', taken: 'You took the case.', assign: 'Assign', assignPerson: 'Assign to a person',
    personLogin: 'The person\'s username', assignUnit: 'Assign to a unit', chooseUnit: 'Unit', assigned: 'The case was assigned.',
    move: 'Change status', moveNote: 'Reason or remark (optional)', moved: 'The status is now: {s}.',
    to_in_handling: 'Start handling', to_in_handling_back: 'Reopen', to_answered: 'Mark as answered', to_closed: 'Close the case', to_new: 'Return to new',
    closeNote: 'Closing deletes the customer\'s contact details.',
    note: 'Internal note', noteText: 'Note', noteHint: 'Seen by staff only, never by the customer.', addNote: 'Add the note', noted: 'The note was added.',
    reply: 'Reply to the customer', replyChannel: 'Channel', replyText: 'Message', send: 'Send the reply', sent: 'The reply was sent ({c}).',
    replyNone: 'Replying is not possible: the customer left no contact the server can send to.',
    smsCount: '{n} characters, {s} text message(s); at most 3.', smsTooLong: 'The message is too long for SMS (at most 3 text messages).',
    muistutus: 'Formal complaint (muistutus)', muistutusText: 'If the feedback is really a formal complaint (muistutus under the Patient Act or the Social Welfare Client Act), mark it as such. It then leaves the ordinary feedback handling.',
    notify: 'Tell the customer how to file a formal complaint (to the contact they gave)', confirmM: 'I confirm this is a formal complaint',
    markM: 'Mark as formal complaint', markedM: 'The case was marked as a formal complaint.',
    notifyFailed: 'The instructions could not be sent to the customer ({e}). The case is marked as a formal complaint all the same; give them the instructions another way.', mEnd: 'The case is marked as a formal complaint; it is not handled as ordinary feedback.',
    empty: 'Write a text.', record: 'Record a development action from this feedback', history: 'History', noHistory: 'No events yet.',
    h_status: 'Status', h_assign: 'Assignment', h_note: 'Note', h_reply: 'Reply', h_muistutus: 'Formal complaint', h_alert: 'Alert', h_open: 'Opened',
    system: 'system', back: 'Back to the inbox', nps: '{n}/10', readOnly: 'Your role can read cases but not handle them.',
    agree1: 'Strongly disagree', agree2: 'Somewhat disagree', agree3: 'Neither agree nor disagree', agree4: 'Somewhat agree', agree5: 'Strongly agree',
    cantSay: 'Can\'t say', feedbackText: 'Feedback',
  },
} satisfies Record<Lang, Record<string, string>>;
type Strings = (typeof S)['fi'];

// The moves of domain::case_transition_allowed, except muistutus (its own form).
const MOVES: Record<string, string[]> = {
  new: ['in_handling', 'closed'],
  in_handling: ['answered', 'closed', 'new'],
  answered: ['closed', 'in_handling'],
  closed: ['in_handling'],
  muistutus: [],
};

// GSM 03.38 basic characters (1 septet) and the extension table (2 septets).
const GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXT = '^{}\\[~]|€\f';

// Number of SMS segments `text` needs (GSM 7-bit when possible, else UCS-2).
export function smsSegments(text: string): number {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) septets += 1;
    else if (GSM_EXT.includes(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return septets <= 160 ? 1 : Math.ceil(septets / 153);
  let units = 0;
  for (const ch of text) units += ch.length; // UTF-16 code units
  return units <= 70 ? 1 : Math.ceil(units / 67);
}

function questionsOf(model: Model | null, c: CaseDetail): ModelQuestion[] {
  if (!model) return [];
  let surveyId = c.survey ?? null;
  if (!surveyId && c.touchpoint) surveyId = model.touchpoints.find((t) => t.id === c.touchpoint)?.survey ?? null;
  return model.surveys.find((s) => s.id === surveyId)?.questions ?? [];
}

function answerValue(t: Strings, lang: Lang, q: ModelQuestion | undefined, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v === 'cant_say') return t.cantSay;
  if (q?.type === 'nps' && typeof v === 'number') return t.nps.replace('{n}', String(v));
  if (q?.type === 'agreement' && typeof v === 'number' && v >= 1 && v <= 5) {
    return `${v} – ${t[`agree${v}` as 'agree1']}`;
  }
  if (q?.type === 'smiley5' && typeof v === 'number') return `${v}/5`;
  if (q?.options) {
    const opt = (k: unknown) => localized(q.options?.find((o) => o.key === k)?.label, lang) || String(k);
    if (Array.isArray(v)) return v.map(opt).join(', ');
    return opt(v);
  }
  if (typeof v === 'boolean') return v ? t.yes : t.no;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

function answersSection(t: Strings, lang: Lang, model: Model | null, c: CaseDetail): HTMLElement {
  let answers = c.answers ?? {};
  if (answers && typeof answers.answers === 'object' && answers.answers !== null && !Array.isArray(answers.answers)) {
    answers = answers.answers as Record<string, unknown>;
  }
  const questions = questionsOf(model, c);
  const comments = c.comments ?? [];
  const keys = Object.keys(answers).filter((k) => questions.find((q) => q.key === k)?.type !== 'contact_request' && k !== 'contact');
  // In the survey's order, then the rest.
  keys.sort((a, b) => {
    const ia = questions.findIndex((q) => q.key === a);
    const ib = questions.findIndex((q) => q.key === b);
    return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib);
  });
  const items = keys.map((k) => {
    const q = questions.find((x) => x.key === k);
    const qText = q ? localized(q.text, lang) : k === 'text' ? t.feedbackText : k;
    const v = answers[k];
    const comment = comments.find((x) => x.question === k);
    const isText = q?.type === 'open_text' || (typeof v === 'string' && !q?.options && v.length > 20);
    return h('div', { class: 'answer' },
      h('dt', null, qText),
      h('dd', null,
        isText ? h('p', { class: 'open-text' }, String(v)) : answerValue(t, lang, q, v),
        comment ? h('p', { class: 'insight' },
          comment.sentiment ? badge(`${t.sentiment}: ${label(SENTIMENT, lang, comment.sentiment)}`, `sentiment-${comment.sentiment}`) : null,
          ' ',
          comment.themes?.length ? h('span', null, `${t.themes}: ${comment.themes.map((x) => themeLabel(model, x, lang)).join(', ')}`) : null,
          comment.suggestion ? h('span', null, ` · ${t.suggestion}`) : null) : null));
  });
  return h('section', { 'aria-labelledby': 'answers-h' },
    h('h2', { id: 'answers-h' }, t.answers),
    items.length ? h('dl', { class: 'answers' }, items) : h('p', null, t.noAnswers));
}

function contactSection(t: Strings, ctx: PageContext, c: CaseDetail): HTMLElement {
  let body: Node;
  if (c.contact) {
    body = definitions([
      [t.name, c.contact.name || null],
      [t.phone, c.contact.phone || null],
      [t.email, c.contact.email || null],
      [t.consent, c.contact.consent === undefined ? null : c.contact.consent ? t.yes : t.no],
    ]);
  } else if (!c.has_contact) {
    body = h('p', null, t.noContact);
  } else if (c.status === 'closed' || c.status === 'muistutus') {
    body = h('p', { class: 'note' }, t.contactGone);
  } else if (!ctx.me.permissions.read_contact) {
    body = h('p', { class: 'note' }, t.contactNoRight);
  } else {
    body = h('p', { class: 'note' }, t.contactGone);
  }
  return h('section', { 'aria-labelledby': 'contact-h', class: 'contact' }, h('h2', { id: 'contact-h' }, t.contact), body);
}

function historySection(t: Strings, lang: Lang, model: Model | null, c: CaseDetail): HTMLElement {
  const list = c.history ?? [];
  const kindLabel = (k: string) => (t as Record<string, string>)[`h_${k}`] ?? k;
  return h('section', { 'aria-labelledby': 'history-h' },
    h('h2', { id: 'history-h' }, t.history),
    list.length
      ? h('ol', { class: 'history' }, list.map((e) => h('li', null,
        h('span', { class: 'when' }, fmtDate(lang, e.at, true)), ' ',
        h('strong', null, kindLabel(e.kind)), ' · ', e.login || t.system,
        e.status ? h('span', null, ' → ', badge(label(STATUS, lang, e.status), `status-${e.status}`)) : null,
        e.kind === 'assign' && e.text && model?.units.some((u) => u.id === e.text) ? h('div', { class: 'history-text' }, unitName(model, e.text, lang)) : e.text ? h('div', { class: 'history-text' }, e.text) : null)))
      : h('p', null, t.noHistory));
}

function factsSection(t: Strings, lang: Lang, model: Model | null, c: CaseDetail): HTMLElement {
  const handler = c.assignee ? c.assignee.login : c.assigned_unit ? `${t.assignedUnit}: ${unitName(model, c.assigned_unit, lang)}` : t.nobody;
  const flags: Node[] = [];
  if (c.alert) flags.push(badge(`⚠ ${t.alert}`, 'alert'));
  if (c.safety) flags.push(badge(t.safety, 'alert'));
  return h('section', { 'aria-labelledby': 'facts-h' },
    h('h2', { id: 'facts-h', class: 'visually-hidden' }, t.facts),
    definitions([
      [t.status, badge(label(STATUS, lang, c.status), `status-${c.status}`)],
      [t.handler, handler],
      [t.received, fmtDate(lang, c.received_at, true)],
      [t.due, h('span', null, fmtDate(lang, c.due_at), c.overdue ? h('span', null, ' ', badge(`! ${t.overdue}`, 'overdue')) : null)],
      [t.unit, localized(c.unit_name, lang) || unitName(model, c.unit, lang)],
      [t.touchpoint, touchpointName(model, c.touchpoint, lang) || null],
      [t.channel, label(CHANNEL, lang, c.channel)],
      [t.language, label(ANSWER_LANGUAGE, lang, c.language)],
      [t.score, c.nps !== null && c.nps !== undefined ? `${label(BAND, lang, c.band)} · ${t.nps.replace('{n}', String(c.nps))}` : label(BAND, lang, c.band)],
      [t.feedbackKind, c.feedback_kind ? label(FEEDBACK_KIND, lang, c.feedback_kind) : null],
      [t.flags, flags.length ? h('span', null, flags) : null],
    ]));
}

// `warn`: a warning to show from the answer (e.g. a muistutus whose notification failed).
type Act = (method: 'POST', path: string, body: unknown, done: string, warn?: (res: unknown) => string | null) => Promise<boolean>;

function handlingSection(t: Strings, ctx: PageContext, model: Model | null, c: CaseDetail, act: Act): HTMLElement {
  const { lang } = ctx;
  const base = `/api/v1/cases/${c.id}`;
  const parts: Node[] = [h('h2', { id: 'handling-h' }, t.handling)];
  if (c.status === 'muistutus') {
    parts.push(h('p', { class: 'note' }, t.mEnd));
    return h('section', { 'aria-labelledby': 'handling-h', class: 'handling' }, parts);
  }

  // Take / assign.
  const mine = c.assignee?.user_id === ctx.me.user_id;
  if (!mine) {
    const takeForm = h('form', { class: 'inline-form', 'aria-label': t.take },
      h('button', { type: 'submit', class: 'primary' }, t.take));
    takeForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void busy(takeForm, () => act('POST', `${base}/assign`, { user: 'me' }, t.taken));
    });
    parts.push(takeForm);
  }
  const loginInput = h('input', { type: 'text', name: 'user', autocomplete: 'off', spellcheck: 'false', required: true });
  const personForm = h('form', { class: 'inline-form' },
    field(t.personLogin, loginInput),
    h('button', { type: 'submit', class: 'secondary' }, t.assign));
  personForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = loginInput.value.trim();
    if (!v) {
      loginInput.focus();
      return;
    }
    void busy(personForm, () => act('POST', `${base}/assign`, { user: v }, t.assigned));
  });
  // Only the case's unit and the units above it can see the case (the server refuses others).
  const branch = new Set<string>();
  for (let u: string | null | undefined = c.unit; u && !branch.has(u); u = model?.units.find((x) => x.id === u)?.parent) branch.add(u);
  const units = model ? unitTree(model, ctx.me.scope_unit).filter((u) => branch.has(u.id)) : [];
  const unitSelect = select('unit', units.map((u): [string, string] => [u.id, `${'\u00a0\u00a0'.repeat(u.depth)}${localized(u.name, lang)}`]), c.assigned_unit ?? c.unit);
  const unitForm = h('form', { class: 'inline-form' },
    field(t.chooseUnit, unitSelect),
    h('button', { type: 'submit', class: 'secondary' }, t.assign));
  unitForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void busy(unitForm, () => act('POST', `${base}/assign`, { unit: unitSelect.value }, t.assigned));
  });
  parts.push(h('div', { class: 'assign-forms' },
    h('fieldset', null, h('legend', null, t.assignPerson), personForm),
    h('fieldset', null, h('legend', null, t.assignUnit), unitForm)));

  // Status moves.
  const moves = MOVES[c.status] ?? [];
  if (moves.length) {
    const noteInput = h('input', { type: 'text', name: 'note', maxlength: 4000 });
    const statusForm = h('form', { class: 'status-form' },
      h('fieldset', null,
        h('legend', null, t.move),
        field(t.moveNote, noteInput),
        moves.includes('closed') && c.contact ? h('p', { class: 'hint' }, t.closeNote) : null,
        h('div', { class: 'actions' }, moves.map((m) => h('button', {
          type: 'submit', name: 'status', value: m, class: m === 'closed' ? 'secondary' : 'primary-outline',
        }, m === 'in_handling' && c.status !== 'new' ? t.to_in_handling_back : (t as Record<string, string>)[`to_${m}`] ?? m)))));
    statusForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const to = ((ev as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? moves[0];
      const body: Record<string, string> = { status: to };
      if (noteInput.value.trim()) body.note = noteInput.value.trim();
      void busy(statusForm, () => act('POST', `${base}/status`, body, t.moved.replace('{s}', label(STATUS, lang, to))));
    });
    parts.push(statusForm);
  }

  // Reply to the customer.
  const channels = (c.can_reply ?? []).filter((x) => x === 'sms' || x === 'email');
  if (c.has_contact && c.status !== 'closed') {
    if (channels.length) {
      const text = h('textarea', { name: 'text', rows: 5, required: true, maxlength: 4000 });
      const counter = h('p', { class: 'hint counter', id: uid('count') });
      text.setAttribute('aria-describedby', counter.id);
      const radios = channels.map((ch, i) => {
        const id = uid('ch');
        return h('div', { class: 'check' },
          h('input', { type: 'radio', name: 'channel', value: ch, id, checked: i === 0 }),
          h('label', { for: id }, label(CHANNEL, lang, ch)));
      });
      const chosen = () => (replyForm.querySelector<HTMLInputElement>('input[name="channel"]:checked')?.value ?? channels[0]);
      const update = () => {
        text.maxLength = chosen() === 'email' ? 10000 : 4000; // e-mail up to 10,000; SMS: the server's 3-part check
        if (chosen() === 'sms') {
          counter.hidden = false;
          counter.textContent = t.smsCount.replace('{n}', String([...text.value].length)).replace('{s}', String(smsSegments(text.value)));
        } else counter.hidden = true;
      };
      const message = h('div', { class: 'form-message' });
      const replyForm = h('form', { class: 'reply-form' },
        h('fieldset', { class: 'inline-checks' }, h('legend', null, t.replyChannel), radios),
        field(t.replyText, text),
        counter,
        message,
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t.send)));
      text.addEventListener('input', update);
      replyForm.addEventListener('change', update);
      update();
      replyForm.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const ch = chosen();
        const v = text.value.trim();
        if (!v) {
          replace(message, h('p', { class: 'error', role: 'alert' }, t.empty));
          text.focus();
          return;
        }
        if (ch === 'sms' && smsSegments(v) > 3) {
          replace(message, h('p', { class: 'error', role: 'alert' }, t.smsTooLong));
          text.focus();
          return;
        }
        void busy(replyForm, () => act('POST', `${base}/reply`, { channel: ch, text: v }, t.sent.replace('{c}', label(CHANNEL, lang, ch))));
      });
      parts.push(h('section', { 'aria-labelledby': 'reply-h' }, h('h3', { id: 'reply-h' }, t.reply), replyForm));
    } else if (c.contact || ctx.me.permissions.read_contact) {
      parts.push(h('section', { 'aria-labelledby': 'reply-h' }, h('h3', { id: 'reply-h' }, t.reply), h('p', null, t.replyNone)));
    }
  }

  // Internal note.
  const noteText = h('textarea', { name: 'text', rows: 3, required: true, maxlength: 4000 });
  const noteMessage = h('div', { class: 'form-message' });
  const noteForm = h('form', { class: 'note-form' }, field(t.noteText, noteText, t.noteHint), noteMessage,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t.addNote)));
  noteForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = noteText.value.trim();
    if (!v) {
      replace(noteMessage, h('p', { class: 'error', role: 'alert' }, t.empty));
      noteText.focus();
      return;
    }
    void busy(noteForm, () => act('POST', `${base}/notes`, { text: v }, t.noted));
  });
  parts.push(h('section', { 'aria-labelledby': 'note-h' }, h('h3', { id: 'note-h' }, t.note), noteForm));

  // Muistutus.
  const notify = h('input', { type: 'checkbox', name: 'notify', id: uid('n'), checked: c.has_contact && c.status !== 'closed', disabled: !c.has_contact || c.status === 'closed' });
  const confirm = h('input', { type: 'checkbox', name: 'confirm', id: uid('n'), required: true });
  const mForm = h('form', { class: 'muistutus-form' },
    h('p', null, t.muistutusText),
    h('div', { class: 'check' }, notify, h('label', { for: notify.id }, t.notify)),
    h('div', { class: 'check' }, confirm, h('label', { for: confirm.id }, t.confirmM)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t.markM)));
  mForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!confirm.checked) {
      confirm.focus();
      return;
    }
    const warn = (res: unknown) => {
      const n = (res as CaseDetail | undefined)?.notification;
      return n && !n.sent ? t.notifyFailed.replace('{e}', n.error || label(CHANNEL, lang, n.channel)) : null;
    };
    void busy(mForm, () => act('POST', `${base}/muistutus`, { notify: notify.checked }, t.markedM, warn));
  });
  parts.push(h('section', { 'aria-labelledby': 'm-h' }, h('h3', { id: 'm-h' }, t.muistutus), mForm));
  return h('section', { 'aria-labelledby': 'handling-h', class: 'handling' }, parts);
}

async function renderCase(root: HTMLElement, ctx: PageContext): Promise<void> {
  const { lang } = ctx;
  const t = S[lang];
  const id = ctx.params.id;
  replace(root, h('h1', null, `${t.title} #${id}`), loading(lang));
  if (!/^\d+$/.test(id)) {
    replace(root, h('h1', null, `${t.title} #${id}`), h('p', { class: 'error', role: 'alert' }, errorText(lang, new Error('bad id'))));
    return;
  }
  let model: Model | null = null;
  let c: CaseDetail;
  try {
    [c, model] = await Promise.all([
      ctx.api.get<CaseDetail>(`/api/v1/cases/${id}`),
      getModel(ctx.api).catch(() => null),
    ]);
  } catch (e) {
    replace(root, h('h1', null, `${t.title} #${id}`), errorBox(lang, e), h('p', null, h('a', { href: appHref('/inbox') }, t.back)));
    return;
  }

  const message = h('div', { class: 'form-message page-message' });
  const draw = (cur: CaseDetail) => {
    const act: Act = async (method, path, body, done, warn) => {
      try {
        const res = await ctx.api.send<unknown>(method, path, body);
        const asCase = res as CaseDetail | undefined;
        const next = asCase && typeof asCase === 'object' && 'status' in asCase && 'id' in asCase && 'history' in asCase
          ? asCase
          : await ctx.api.get<CaseDetail>(`/api/v1/cases/${id}`);
        const warning = warn?.(res) ?? null;
        replace(message, warning ? h('p', { class: 'error', role: 'alert' }, warning) : null);
        draw(next);
        ctx.announce(warning ?? done);
        root.querySelector('h1')?.focus();
        return true;
      } catch (e) {
        replace(message, errorBox(lang, e));
        message.querySelector<HTMLElement>('p')?.setAttribute('tabindex', '-1');
        message.querySelector<HTMLElement>('p')?.focus();
        return false;
      }
    };
    const theme = cur.themes ?? [];
    const recordLink = ctx.me.permissions.edit_actions
      ? h('p', { class: 'record-link' }, h('a', {
        href: appHref(`/actions/new?${new URLSearchParams([['case', String(cur.id)], ['unit', cur.unit], ...theme.map((x): [string, string] => ['theme', x])])}`),
      }, t.record))
      : null;
    replace(root,
      h('p', { class: 'breadcrumb' }, h('a', { href: appHref('/inbox') }, t.back)),
      h('h1', { tabindex: -1 }, `${label(KIND, lang, cur.kind)} #${cur.id}`),
      message,
      h('div', { class: 'case-layout' },
        h('div', { class: 'case-main' },
          factsSection(t, lang, model, cur),
          answersSection(t, lang, model, cur),
          contactSection(t, ctx, cur),
          recordLink,
          historySection(t, lang, model, cur)),
        h('div', { class: 'case-side' },
          ctx.me.permissions.handle_cases ? handlingSection(t, ctx, model, cur, act) : h('p', { class: 'note' }, t.readOnly))));
  };
  draw(c);
}

export const casePage: PageModule = {
  path: '/cases/:id',
  title: (lang) => S[lang].title,
  render: renderCase,
};
