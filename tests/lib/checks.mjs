// Assertions shared by end-to-end tests.
import assert from 'node:assert/strict';

import { attrs, htmlLang } from './html.mjs';

// Asserts an RFC 9457 problem response (srv.api result) with `statuses`.
export function assertProblem(r, statuses, what = '') {
  const want = Array.isArray(statuses) ? statuses : [statuses];
  assert.ok(want.includes(r.status), `${what}: expected status ${want.join('|')}, got ${r.status}: ${r.text.slice(0, 400)}`);
  const ct = r.headers.get('content-type') ?? '';
  assert.match(ct, /^application\/problem\+json/, `${what}: content-type ${ct}`);
  assert.ok(r.body && typeof r.body === 'object', `${what}: body is not JSON: ${r.text.slice(0, 200)}`);
  for (const k of ['type', 'title', 'status', 'detail']) assert.ok(k in r.body, `${what}: problem lacks "${k}": ${r.text}`);
  assert.equal(r.body.status, r.status, `${what}: problem.status differs from the HTTP status`);
  assert.equal(typeof r.body.title, 'string');
  assert.ok(String(r.body.detail).length > 0, `${what}: empty detail`);
}

// Asserts the strict headers every respondent page carries.
export function assertSecurityHeaders(headers, what = '') {
  const csp = headers.get('content-security-policy');
  assert.ok(csp, `${what}: no Content-Security-Policy`);
  const directives = new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...vals] = d.split(/\s+/);
    return [name.toLowerCase(), vals];
  }));
  assert.ok(directives.get('default-src')?.includes("'self'") || directives.get('default-src')?.includes("'none'"),
    `${what}: CSP default-src is not 'self'/'none': ${csp}`);
  const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
  assert.ok(!scriptSrc.includes("'unsafe-inline'") && !scriptSrc.includes("'unsafe-eval'") && !scriptSrc.includes('*'),
    `${what}: CSP allows unsafe scripts: ${csp}`);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `${what}: CSP frame-ancestors: ${csp}`);
  assert.equal(headers.get('x-content-type-options')?.toLowerCase(), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(headers.get('referrer-policy')?.toLowerCase(), 'no-referrer', `${what}: Referrer-Policy`);
}

// Asserts a respondent HTML page: text/html UTF-8, <html lang>, no third-party loads,
// no scripts at all, one stylesheet /static/kaiku.css.
export function assertRespondentPage(res, html, { lang, what = '' } = {}) {
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/i, `${what}: content-type`);
  assertSecurityHeaders(res.headers, what);
  const pageLang = htmlLang(html);
  assert.ok(pageLang, `${what}: <html> has no lang attribute`);
  if (lang) {
    const ok = lang === 'fi-x-selko' ? ['fi', 'fi-x-selko'].includes(pageLang) : pageLang === lang;
    assert.ok(ok, `${what}: <html lang="${pageLang}">, want ${lang}`);
  }
  assert.ok(!/<script\b/i.test(html), `${what}: page has a <script> element`);
  for (const tag of html.match(/<(?:img|link|iframe|source|video|audio|embed|object)\b[^>]*>/gi) ?? []) {
    const a = attrs(tag);
    for (const k of ['src', 'href', 'data', 'srcset']) {
      if (a[k] && /^(?:https?:)?\/\//i.test(a[k])) assert.fail(`${what}: loads from a third party: ${tag}`);
    }
  }
  const sheets = (html.match(/<link\b[^>]*>/gi) ?? []).map(attrs).filter((a) => (a.rel ?? '').includes('stylesheet'));
  assert.equal(sheets.length, 1, `${what}: ${sheets.length} stylesheets, want 1`);
  assert.match(sheets[0].href, /^\/static\/kaiku\.css(\?|$)/, `${what}: stylesheet ${sheets[0].href}`);
}

// Asserts `html` never contains `needle` unescaped (e.g. a <script> a customer wrote).
export function assertEscaped(html, needle, what = '') {
  assert.ok(!html.includes(needle), `${what}: page contains unescaped ${JSON.stringify(needle)}`);
}
