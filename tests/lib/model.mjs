// Finding things in the measurement model served by GET /api/v1/model, and building
// valid answers for a survey. Tests never hard-code ids: they discover them here.
import { randomBytes } from 'node:crypto';

export const LANGS = ['fi', 'sv', 'en', 'fi-x-selko'];

// A fresh one-time submission key: 22 characters of base64url (16 random bytes).
export function newKey() {
  return randomBytes(16).toString('base64url');
}

// GET /api/v1/model (public).
export async function loadModel(srv) {
  const r = await srv.api('GET', '/api/v1/model');
  if (r.status !== 200 || !r.body) {
    throw new Error(`GET /api/v1/model answered ${r.status}: ${r.text.slice(0, 500)}`);
  }
  return r.body;
}

export function surveyById(model, id) {
  const s = model.surveys.find((x) => x.id === id);
  if (!s) throw new Error(`model has no survey ${id}`);
  return s;
}

export function surveyOf(model, tp) {
  return surveyById(model, tp.survey);
}

// The root org unit (parent null or "").
export function countyUnit(model) {
  return model.units.find((u) => !u.parent);
}

export function childrenOf(model, id) {
  return model.units.filter((u) => u.parent === id);
}

// Ids of `id` and everything below it.
export function subtreeIds(model, id) {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of model.units) {
      if (u.parent && out.has(u.parent) && !out.has(u.id)) {
        out.add(u.id);
        grew = true;
      }
    }
  }
  return out;
}

// The service areas: children of the county.
export function areas(model) {
  return childrenOf(model, countyUnit(model).id);
}

// Leaf units (no children).
export function leafUnits(model) {
  const parents = new Set(model.units.map((u) => u.parent).filter(Boolean));
  return model.units.filter((u) => !parents.has(u.id));
}

function hasOpenText(survey) {
  return survey.questions.some((q) => q.type === 'open_text');
}

// First touchpoint offering `channel` whose main survey satisfies `pred`
// (default: has an open-text question, which tests use for markers).
export function touchpointFor(model, channel, pred = hasOpenText) {
  const tp = model.touchpoints.find((t) => t.channels.includes(channel) && pred(surveyOf(model, t), t));
  if (!tp) throw new Error(`demo model has no touchpoint with channel ${channel} and a suitable survey`);
  return tp;
}

// All touchpoints offering `channel`.
export function touchpointsFor(model, channel) {
  return model.touchpoints.filter((t) => t.channels.includes(channel));
}

// A kiosk touchpoint: channel kiosk and a survey with a kiosk question.
export function kioskTouchpoint(model, { withFollowup } = {}) {
  const all = model.touchpoints.filter((t) => {
    if (!t.channels.includes('kiosk')) return false;
    const s = surveyOf(model, t);
    if (!s.kiosk_question) return false;
    return withFollowup === undefined || Boolean(s.kiosk_followup) === withFollowup;
  });
  if (!all.length) throw new Error(`demo model has no kiosk touchpoint (followup=${withFollowup})`);
  return all[0];
}

// Text of a localized object in `lang`, falling back like the server does.
export function text(loc, lang = 'fi') {
  if (!loc) return '';
  return loc[lang] || (lang === 'fi-x-selko' ? loc.fi : '') || loc.fi || Object.values(loc)[0] || '';
}

// The open-text question that tests write markers into.
export function openTextQuestion(survey) {
  return survey.questions.find((q) => q.type === 'open_text');
}

// A valid value for each answerable question, as the API takes it
// ({key: number|"cant_say"|string|[strings]}). `marker` goes into the first
// open-text answer. Contact requests are skipped (they are not answers).
export function validApiAnswers(survey, { marker = 'Kiitos hyvästä palvelusta', variant = 0 } = {}) {
  const answers = {};
  let markerUsed = false;
  for (const q of survey.questions) {
    switch (q.type) {
      case 'nps': answers[q.key] = (8 + variant) % 11; break;
      case 'agreement': answers[q.key] = variant % 2 ? 'cant_say' : 4; break;
      case 'smiley3': answers[q.key] = 2; break;
      case 'smiley5': answers[q.key] = 4; break;
      case 'single_choice': answers[q.key] = q.options[variant % q.options.length].key; break;
      case 'multi_choice': answers[q.key] = q.options.slice(0, Math.min(2, q.options.length)).map((o) => o.key); break;
      case 'open_text':
        answers[q.key] = markerUsed ? 'Muuta sanottavaa' : marker;
        markerUsed = true;
        break;
      default: break;
    }
  }
  return answers;
}

// The same answers as form fields: [[name, value], ...] with q.<key> names
// (multi choice repeats the name).
export function validFormFields(survey, opts = {}) {
  const api = validApiAnswers(survey, opts);
  const fields = [];
  for (const [key, v] of Object.entries(api)) {
    if (Array.isArray(v)) for (const x of v) fields.push([`q.${key}`, x]);
    else fields.push([`q.${key}`, String(v)]);
  }
  return fields;
}

// Checks that stored answers (as the API returns them) equal what was sent.
export function answersMatch(stored, sent) {
  const norm = (v) => (Array.isArray(v) ? [...v].map(String).sort() : String(v));
  for (const [k, v] of Object.entries(sent)) {
    if (JSON.stringify(norm(stored?.[k])) !== JSON.stringify(norm(v))) return `${k}: sent ${JSON.stringify(v)}, stored ${JSON.stringify(stored?.[k])}`;
  }
  return null;
}
