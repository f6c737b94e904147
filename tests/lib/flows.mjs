// Common end-to-end flows: open a survey page, answer it, read responses back.
import net from 'node:net';

import { postForm, postFormTo } from './html.mjs';
import { newKey, validApiAnswers, validFormFields } from './model.mjs';

// GET a respondent page; resolves {res, html, form (or null)}.
export async function getPage(srv, p, { headers = {} } = {}) {
  const res = await srv.fetch(p, { headers });
  const html = await res.text();
  let form = null;
  try {
    form = postForm(html);
  } catch {
    form = null;
  }
  return { res, html, form };
}

// Builds the fields of a complete valid answer for the form on a survey page:
// every hidden field as rendered, respondent=self, every question answered.
export function surveyFields(form, survey, opts = {}) {
  const fields = Object.entries(form.hidden);
  if (opts.respondent !== null) fields.push(['respondent', opts.respondent ?? 'self']);
  fields.push(...validFormFields(survey, opts));
  return fields;
}

// Opens /s/{tp} (or `path`), answers every question and POSTs the form to its action.
// Resolves {res, fields, key, page}.
export async function answerSurvey(srv, tp, survey, { lang = 'fi', path, marker, headers } = {}) {
  const p = path ?? `/s/${tp.id}?lang=${encodeURIComponent(lang)}`;
  const page = await getPage(srv, p);
  if (page.res.status !== 200 || !page.form) {
    throw new Error(`GET ${p} answered ${page.res.status} without a POST form:\n${page.html.slice(0, 800)}`);
  }
  const fields = surveyFields(page.form, survey, { marker });
  const action = page.form.attrs.action ? new URL(page.form.attrs.action, srv.url + p).href : srv.url + p;
  const res = await postFormTo(action, fields, { headers });
  return { res, fields, key: page.form.hidden.k, page, action };
}

// POST /api/v1/responses with a fresh key (unless given); resolves srv.api's result
// plus the key and answers.
export async function apiSubmit(srv, token, tp, survey, { key = newKey(), marker, channel, language = 'fi', extra = {} } = {}) {
  const answers = validApiAnswers(survey, { marker });
  const body = {
    touchpoint: tp.id,
    channel: channel ?? (tp.channels.includes('web') ? 'web' : tp.channels[0]),
    language,
    respondent: 'self',
    unit: tp.units[0],
    submission_key: key,
    answers,
    ...extra,
  };
  const r = await srv.api('POST', '/api/v1/responses', { token, body });
  return { ...r, key, answers, sent: body };
}

// Every response visible to `token` matching `query` (object of query params),
// following next_cursor. Throws on a non-200 page.
export async function allResponses(srv, token, query = {}, { limit = 1000 } = {}) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 100000; page++) {
    const q = new URLSearchParams({ ...query, limit: String(limit) });
    if (cursor) q.set('cursor', cursor);
    const r = await srv.api('GET', `/api/v1/responses?${q}`, { token });
    if (r.status !== 200) throw new Error(`GET /api/v1/responses?${q} answered ${r.status}: ${r.text.slice(0, 500)}`);
    items.push(...r.body.items);
    cursor = r.body.next_cursor;
    if (!cursor) break;
    if (!r.body.items.length) throw new Error('next_cursor given with an empty page');
  }
  return items;
}

// Sends raw bytes over TCP and resolves with whatever came back until the server
// closed the connection or `timeoutMs` passed: {data, closed, timedOut}.
export function rawRequest(port, bytes, { timeoutMs = 5000, endAfterWrite = false } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    let closed = false;
    let done = false;
    const sock = net.connect(port, '127.0.0.1');
    const finish = (timedOut) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ data: Buffer.concat(chunks).toString('latin1'), closed, timedOut });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    sock.on('connect', () => {
      sock.write(bytes);
      if (endAfterWrite) sock.end();
    });
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', () => finish(false));
    sock.on('close', () => {
      closed = true;
      finish(false);
    });
  });
}

// Status code of a raw HTTP response text, or 0.
export function rawStatus(data) {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
  return m ? Number(m[1]) : 0;
}

// Asserts the server still answers /healthz with 200 (throws otherwise).
export async function assertHealthy(srv) {
  const r = await srv.fetch('/healthz');
  if (r.status !== 200) throw new Error(`/healthz answered ${r.status} (server unhealthy)\n${srv.tail()}`);
  await r.text();
}
