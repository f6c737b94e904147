// Hostile input over the real port: oversized bodies, broken encodings, unknown
// fields, script in text fields, slow and garbage requests, floods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';

import { useServer } from '../lib/server.mjs';
import { assertEscaped, assertProblem, assertRespondentPage, assertSecurityHeaders } from '../lib/checks.mjs';
import { allResponses, answerSurvey, apiSubmit, assertHealthy, getPage, rawRequest, rawStatus, surveyFields } from '../lib/flows.mjs';
import { formBody, postFormTo } from '../lib/html.mjs';
import { kioskTouchpoint, loadModel, newKey, openTextQuestion, surveyOf, touchpointFor, touchpointsFor } from '../lib/model.mjs';

let model;
let admin;
let integration;
let tp;
let survey;
const ctx = useServer({ before, after }, async () => {
  model = await loadModel(ctx.srv);
  admin = await ctx.srv.token('admin');
  integration = await ctx.srv.token('integration');
  tp = touchpointFor(model, 'web');
  survey = surveyOf(model, tp);
});
const SCRIPT = '<script>alert(1)</script>';


function rawPost(path, body, { contentType = 'application/x-www-form-urlencoded', extraHeaders = '' } = {}) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${ctx.srv.port}\r\nContent-Type: ${contentType}\r\n`
    + `Content-Length: ${buf.length}\r\nConnection: close\r\n${extraHeaders}\r\n`;
  return rawRequest(ctx.srv.port, Buffer.concat([Buffer.from(head, 'latin1'), buf]));
}

describe('size limits', () => {
  test('an oversized form body -> 413 and the server lives', async () => {
    const big = 'q.x=' + 'a'.repeat(2 * 1024 * 1024);
    let status;
    try {
      const res = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, big);
      status = res.status;
      await res.text();
    } catch (e) {
      // The server may close the connection after answering 413 early; check raw.
      const r = await rawRequest(ctx.srv.port, `POST /s/${tp.id} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${big.length}\r\n\r\n`);
      status = rawStatus(r.data);
    }
    assert.equal(status, 413);
    await assertHealthy(ctx.srv);
  });

  test('a huge Content-Length is refused before the body arrives', async () => {
    const r = await rawRequest(ctx.srv.port,
      `POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${integration}\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{`,
      { timeoutMs: 10000 });
    assert.equal(rawStatus(r.data), 413, `answer: ${r.data.slice(0, 200)}`);
    assert.match(r.data, /\r\ncontent-type: application\/problem\+json/i, 'API 413 is not problem+json');
    // A respondent form gets a friendly page in the customer's language.
    const f = await rawRequest(ctx.srv.port,
      `POST /s/${tp.id} HTTP/1.1\r\nHost: x\r\nAccept-Language: sv\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000000\r\n\r\nk=`,
      { timeoutMs: 10000 });
    assert.equal(rawStatus(f.data), 413);
    assert.match(f.data, /\r\ncontent-type: text\/html/i, `form 413 is not an HTML page: ${f.data.slice(0, 300)}`);
    assert.match(f.data, /<html[^>]*lang="sv"/, 'form 413 page not in the customer\'s language');
    assert.match(f.data, /\r\ncontent-security-policy: /i, 'form 413 page without CSP');
    await assertHealthy(ctx.srv);
  });

  test('an oversized JSON body -> 413 problem+json', async () => {
    const body = JSON.stringify({ touchpoint: tp.id, channel: 'web', language: 'fi', submission_key: newKey(), answers: { x: 'y'.repeat(3 * 1024 * 1024) } });
    let r;
    try {
      r = await ctx.srv.api('POST', '/api/v1/responses', { token: integration, rawBody: body });
    } catch {
      r = null;
    }
    if (r) assertProblem(r, 413, 'big JSON');
    await assertHealthy(ctx.srv);
  });

  test('an over-long open-text answer -> 422, not stored', async () => {
    const ot = openTextQuestion(survey);
    const max = ot.max_length ?? 2000;
    const page = await getPage(ctx.srv, `/s/${tp.id}`);
    const marker = `long-${newKey()}`;
    const fields = surveyFields(page.form, survey, { marker }).map(([k, v]) => [k, k === `q.${ot.key}` ? marker + 'x'.repeat(max + 10) : v]);
    const res = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, fields);
    assert.equal(res.status, 422);
    await res.text();
  });

  test('a giant header block or request line -> 4xx, no hang', async () => {
    const longLine = await rawRequest(ctx.srv.port, `GET /s/${'a'.repeat(200000)} HTTP/1.1\r\nHost: x\r\n\r\n`, { timeoutMs: 10000 });
    assert.ok(longLine.closed || rawStatus(longLine.data) >= 400, 'long request line');
    if (rawStatus(longLine.data)) assert.ok([400, 404, 413, 414, 431].includes(rawStatus(longLine.data)), longLine.data.slice(0, 100));
    const manyHeaders = Array.from({ length: 2000 }, (_, i) => `X-H${i}: ${'v'.repeat(50)}`).join('\r\n');
    const big = await rawRequest(ctx.srv.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${manyHeaders}\r\n\r\n`, { timeoutMs: 10000 });
    assert.ok(big.closed || rawStatus(big.data) >= 400, 'header flood');
    if (rawStatus(big.data)) assert.ok([400, 413, 431].includes(rawStatus(big.data)), big.data.slice(0, 100));
    await assertHealthy(ctx.srv);
  });
});

describe('broken encodings', () => {
  test('broken %-encoding in a form body -> 400 with a message', async () => {
    const page = await getPage(ctx.srv, `/s/${tp.id}`);
    const ot = openTextQuestion(survey);
    const body = formBody(surveyFields(page.form, survey, {})) + `&q.${ot.key}=100%ZZ%`;
    const res = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, body);
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.ok(html.length > 0);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    await assertHealthy(ctx.srv);
  });

  test('invalid UTF-8 in a form body -> 400', async () => {
    const page = await getPage(ctx.srv, `/s/${tp.id}`);
    const ot = openTextQuestion(survey);
    for (const bad of ['%FF%FE', '%C3%28', '%E2%82', '%ED%A0%80', '%C0%AF', '%F8%88%80%80%80']) {
      const body = formBody(surveyFields(page.form, survey, { marker: `utf-${newKey()}` }).filter(([k]) => k !== `q.${ot.key}`))
        + `&q.${ot.key}=bad${bad}`;
      const res = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, body);
      assert.ok([400, 422].includes(res.status), `${bad}: ${res.status}`);
      await res.text();
    }
    // Raw (not %-encoded) invalid bytes too.
    const raw = Buffer.concat([Buffer.from(formBody(Object.entries(page.form.hidden)) + `&q.${ot.key}=`), Buffer.from([0xff, 0xc3, 0x28])]);
    const r = await rawPost(`/s/${tp.id}`, raw);
    assert.ok([400, 422].includes(rawStatus(r.data)), `raw bytes: ${r.data.slice(0, 100)}`);
    await assertHealthy(ctx.srv);
  });

  test('invalid UTF-8 in JSON -> 400 problem with a detail', async () => {
    const json = Buffer.concat([
      Buffer.from(`{"touchpoint":"${tp.id}","channel":"web","language":"fi","submission_key":"${newKey()}","answers":{"x":"`),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}}'),
    ]);
    const res = await fetch(`${ctx.srv.url}/api/v1/responses`, {
      method: 'POST', headers: { authorization: `Bearer ${integration}`, 'content-type': 'application/json' }, body: json,
    });
    const text = await res.text();
    const r = { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
    assertProblem(r, 400, 'invalid UTF-8 JSON');
    await assertHealthy(ctx.srv);
  });

  test('broken %-encoding or bad bytes in the path and query never crash', async () => {
    const paths = [`/s/${tp.id}?lang=%ZZ`, '/s/%ZZ', '/s/%FF%FE', `/s/${tp.id}?lang=%FF`, '/palaute?haku=%E2%82', '/palaute?haku=%',
      `/s/${tp.id}/../../etc/passwd`, '/static/../../../etc/passwd', '/static/%2e%2e/%2e%2e/etc/passwd', `/s/${tp.id}%00`];
    for (const p of paths) {
      const r = await rawRequest(ctx.srv.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      const st = rawStatus(r.data);
      assert.ok(st > 0 && st < 500, `${p} -> ${st}`);
      assert.ok(!r.data.includes('root:x:0'), `${p} served /etc/passwd`);
    }
    await assertHealthy(ctx.srv);
  });
});

describe('unknown fields', () => {
  test('unknown form fields are ignored', async () => {
    const page = await getPage(ctx.srv, `/s/${tp.id}`);
    const marker = `unknown-${newKey()}`;
    const fields = [...surveyFields(page.form, survey, { marker }), ['zzz', '1'], ['q.no_such_question', '5'], ['__proto__', 'x']];
    const res = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, fields);
    assert.equal(res.status, 303);
    const items = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).filter((i) => Object.values(i.answers).includes(marker));
    assert.equal(items.length, 1);
    assert.ok(!('no_such_question' in items[0].answers));
  });

  test('unknown JSON fields are rejected', async () => {
    const r = await apiSubmit(ctx.srv, integration, tp, survey, { extra: { is_admin: true } });
    assertProblem(r, [400, 422], 'unknown top-level JSON field');
    const r2 = await apiSubmit(ctx.srv, integration, tp, survey, { extra: { contact: { name: 'A', phone: '0401234567', consent: true, ssn: '010101-123A' } } });
    assertProblem(r2, [400, 422], 'unknown contact field');
  });

  test('duplicate JSON keys, deep nesting and huge numbers do not crash', async () => {
    const bodies = [
      `{"touchpoint":"${tp.id}","touchpoint":"other","channel":"web","language":"fi","submission_key":"${newKey()}","answers":{}}`,
      '['.repeat(100000) + ']'.repeat(100000),
      '{"a":'.repeat(50000) + '1' + '}'.repeat(50000),
      `{"touchpoint":"${tp.id}","channel":"web","language":"fi","submission_key":"${newKey()}","answers":{"nps":1e999999}}`,
      `{"touchpoint":"${tp.id}","channel":"web","language":"fi","submission_key":"${newKey()}","answers":{"nps":99999999999999999999999}}`,
      '\u0000\u0001',
      '',
    ];
    for (const [i, b] of bodies.entries()) {
      const r = await ctx.srv.api('POST', '/api/v1/responses', { token: integration, rawBody: b });
      // The first body is well-formed apart from the repeated key: refusing or taking one value are both fine.
      if (i === 0) assert.ok(r.status < 500, `duplicate keys -> ${r.status}`);
      else assert.ok(r.status >= 400 && r.status < 500, `body ${b.slice(0, 40)}… -> ${r.status}`);
    }
    await assertHealthy(ctx.srv);
  });
});

describe('script in text fields', () => {
  test('stored verbatim, returned as a JSON string, never rendered unescaped', async () => {
    const marker = `${SCRIPT}<img src=x onerror=alert(2)>"'&-${newKey()}`;
    const { res } = await answerSurvey(ctx.srv, tp, survey, { marker });
    assert.equal(res.status, 303);
    const items = (await allResponses(ctx.srv, admin, { touchpoint: tp.id })).filter((i) => Object.values(i.answers).includes(marker));
    assert.equal(items.length, 1, 'script text not stored verbatim');

    // Re-rendered after a validation error: escaped.
    const page = await getPage(ctx.srv, `/s/${tp.id}`);
    const nps = survey.questions.find((q) => q.type === 'nps');
    const fields = surveyFields(page.form, survey, { marker }).map(([k, v]) => [k, nps && k === `q.${nps.key}` ? '99' : v]);
    const bad = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, [...fields, ['contact.name', SCRIPT], ['contact.email', SCRIPT]]);
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assertEscaped(html, SCRIPT, '422 re-render');
    assertEscaped(html, '<img src=x', '422 re-render');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the text is kept, escaped');
  });

  test('script in query strings, paths and feedback search is escaped everywhere', async () => {
    const enc = encodeURIComponent(SCRIPT);
    const kiosk = (() => { try { return kioskTouchpoint(model); } catch { return null; } })();
    const paths = [
      `/s/${tp.id}?lang=${enc}`, `/s/${tp.id}?v=${enc}`, `/s/${tp.id}?c=${enc}`, `/s/${enc}`, `/s/${tp.id}/kiitos?lang=${enc}`,
      `/palaute?haku=${enc}`, `/feedback?haku=${enc}`, `/palaute?haku=${enc}&unit=${enc}`, `/i/${enc}`, `/k/${enc}`,
      kiosk ? `/k/${kiosk.id}/jatko?r=${enc}` : null, `/no/such/${enc}`, `/saavutettavuus?x=${enc}`,
      `/s/${tp.id}/juliste?lang=${enc}`,
    ].filter(Boolean);
    for (const p of paths) {
      const res = await ctx.srv.fetch(p);
      const body = await res.text();
      assert.ok(res.status < 500, `${p} -> ${res.status}`);
      assertEscaped(body, SCRIPT, p);
      assertEscaped(body, '<script', p);
      if (/text\/html/.test(res.headers.get('content-type') ?? '')) assertSecurityHeaders(res.headers, p);
    }
  });

  test('a hostile Host header never reaches the poster or the QR code raw', async () => {
    for (const p of [`/s/${tp.id}/juliste?lang=fi`, `/s/${tp.id}/qr.svg`]) {
      const r = await rawRequest(ctx.srv.port, `GET ${p} HTTP/1.1\r\nHost: evil.example"><script>alert(1)</script>\r\nConnection: close\r\n\r\n`);
      const st = rawStatus(r.data);
      assert.ok(st > 0 && st < 500, `${p} -> ${st}`);
      assertEscaped(r.data, '<script>alert(1)', p);
    }
  });

  test('feedback text with script is stored verbatim and not echoed raw', async () => {
    const page = await getPage(ctx.srv, '/palaute');
    const unit = model.units.find((u) => u.parent);
    const fields = [...Object.entries(page.form.hidden), ['unit', unit.id], ['kind', 'praise'], ['text', `${SCRIPT} kiitos`], ['respondent', 'self']];
    const ok = await postFormTo(`${ctx.srv.url}/palaute`, fields);
    assert.equal(ok.status, 303);
    const bad = await postFormTo(`${ctx.srv.url}/palaute`, [...fields.filter(([k]) => k !== 'kind' && k !== 'k'), ['k', newKey()], ['kind', SCRIPT]]);
    assert.ok(bad.status >= 400 && bad.status < 500);
    assertEscaped(await bad.text(), SCRIPT, 'feedback 422');
    const fb = await allResponses(ctx.srv, admin, { channel: 'feedback' });
    assert.ok(fb.some((i) => Object.values(i.answers).includes(`${SCRIPT} kiitos`)), 'feedback text stored verbatim');
  });
});

describe('headers and slow clients', () => {
  test('respondent pages carry strict security headers', async () => {
    const kiosk = (() => { try { return kioskTouchpoint(model); } catch { return null; } })();
    const pages = [`/s/${tp.id}`, `/s/${tp.id}/kiitos`, '/palaute', '/feedback', '/respons', '/palaute/kiitos',
      '/saavutettavuus', '/tillganglighet', '/accessibility', '/s/no-such-tp', `/s/${tp.id}/juliste?lang=fi`,
      kiosk ? `/k/${kiosk.id}` : null, kiosk ? `/k/${kiosk.id}/kiitos` : null, '/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'].filter(Boolean);
    for (const p of pages) {
      const res = await ctx.srv.fetch(p);
      const html = await res.text();
      assertRespondentPage(res, html, { what: p });
    }
    const css = await ctx.srv.fetch('/static/kaiku.css');
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.equal(css.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(!/@import|url\(\s*['"]?https?:/i.test(await css.text()), 'stylesheet loads from a third party');
  });

  test('the stored response never reaches the server log with personal data', async () => {
    const secret = `Matti Meikäläinen 0401234567 ${newKey()}`;
    const page = await getPage(ctx.srv, `/s/${tp.id}`);
    const fields = [...surveyFields(page.form, survey, { marker: secret }), ['contact.wanted', 'yes'], ['contact.name', secret],
      ['contact.phone', '040 123 4567'], ['contact.consent', 'yes']];
    const res = await postFormTo(`${ctx.srv.url}/s/${tp.id}`, fields);
    assert.ok([303, 422].includes(res.status));
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!ctx.srv.output.includes(secret), 'open text / contact name in the server log');
    assert.ok(!ctx.srv.output.includes('040 123 4567'), 'phone number in the server log');
  });

  test('slow and garbage requests do not hang the server', async () => {
    // Slowloris: many connections that never finish their headers.
    const sockets = [];
    for (let i = 0; i < 50; i++) {
      const s = net.connect(ctx.srv.port, '127.0.0.1');
      s.on('error', () => {});
      s.write(`GET /s/${tp.id} HTTP/1.1\r\nHost: x\r\nX-Slow: `);
      sockets.push(s);
    }
    // Connections that send nothing at all.
    for (let i = 0; i < 20; i++) {
      const s = net.connect(ctx.srv.port, '127.0.0.1');
      s.on('error', () => {});
      sockets.push(s);
    }
    // Garbage.
    const garbage = [
      Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10]),
      'NOT-HTTP\r\n\r\n',
      'GET\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n',
      'POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n',
      'POST /s/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
      `\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03`,
    ];
    const results = await Promise.all(garbage.map((g) => rawRequest(ctx.srv.port, g, { timeoutMs: 15000 })));
    for (const [i, r] of results.entries()) {
      const st = rawStatus(r.data);
      assert.ok(st === 0 || (st >= 400 && st < 500) || st === 505, `garbage #${i} -> ${r.data.slice(0, 80)}`);
    }
    const t0 = Date.now();
    await assertHealthy(ctx.srv);
    const p = await getPage(ctx.srv, `/s/${tp.id}`);
    assert.equal(p.res.status, 200);
    for (const s of sockets) s.destroy();
    assert.ok(Date.now() - t0 < 10000, 'the server was slow to answer while slow clients were connected');
  });
});

describe('HTTP protocol', () => {
  test('pipelined keep-alive requests are all answered, in order', async () => {
    const one = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
    const r = await rawRequest(ctx.srv.port, one + one + `GET /s/${tp.id} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, { timeoutMs: 10000 });
    const statuses = [...r.data.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    assert.deepEqual(statuses, [200, 200, 200], r.data.slice(0, 300));
  });

  test('HEAD, unknown methods and wrong content types', async () => {
    const head = await ctx.srv.fetch('/healthz', { method: 'HEAD' });
    assert.ok([200, 405].includes(head.status), `HEAD /healthz -> ${head.status}`);
    for (const [method, p] of [['PUT', `/s/${tp.id}`], ['DELETE', '/api/v1/responses'], ['PATCH', '/palaute']]) {
      const res = await ctx.srv.fetch(p, { method, body: method === 'DELETE' ? undefined : 'x' });
      await res.text();
      assert.ok([404, 405].includes(res.status), `${method} ${p} -> ${res.status}`);
      if (res.status === 405) assert.ok(res.headers.get('allow'), `${method} ${p}: 405 without Allow`);
    }
    const json = await ctx.srv.fetch(`/s/${tp.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"k":"x"}' });
    await json.text();
    assert.ok([400, 415].includes(json.status), `JSON to the form -> ${json.status}`);
    const fd = new FormData();
    fd.append('k', newKey());
    const multi = await ctx.srv.fetch(`/s/${tp.id}`, { method: 'POST', body: fd });
    await multi.text();
    assert.ok([400, 415].includes(multi.status), `multipart to the form -> ${multi.status}`);
    const form = await ctx.srv.fetch('/api/v1/responses', { method: 'POST', headers: { authorization: `Bearer ${integration}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    const t = await form.text();
    assert.ok([400, 415].includes(form.status), `urlencoded to the API -> ${form.status} ${t.slice(0, 100)}`);
    await assertHealthy(ctx.srv);
  });

  test('secrets never reach the server log', async () => {
    const inv = await ctx.srv.api('POST', '/api/v1/invitations', {
      token: integration, body: { touchpoint: tp.id, unit: tp.units[0], event_ref: `ev-${newKey()}`, language: 'fi', channel: tp.channels[0], ttl_hours: 2 },
    });
    assert.equal(inv.status, 201, inv.text);
    await (await ctx.srv.fetch(inv.body.url)).text();
    await (await ctx.srv.fetch(`${inv.body.url}/../x?token=${inv.body.token}`)).text();
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!ctx.srv.output.includes(inv.body.token), 'an invitation token in the server log');
    assert.ok(!ctx.srv.output.includes(integration), 'a bearer token in the server log');
    assert.ok(!ctx.srv.output.includes(admin), 'a bearer token in the server log');
  });
});

// Last: the flood trips the rate limit for this client and touchpoint.
describe('rate limiting', () => {
  test('a flood from one client to one touchpoint eventually gets 429', async () => {
    const target = touchpointsFor(model, 'web').at(-1);
    const s = surveyOf(model, target);
    const page = await getPage(ctx.srv, `/s/${target.id}`);
    const base = surveyFields(page.form, s, {}).filter(([k]) => k !== 'k');
    let got429 = null;
    let sent = 0;
    const MAX = 3000;
    async function worker() {
      while (!got429 && sent < MAX) {
        sent++;
        const res = await postFormTo(`${ctx.srv.url}/s/${target.id}`, [...base, ['k', newKey()]]);
        const body = await res.text();
        if (res.status === 429) got429 = { res, body };
        else assert.ok([303].includes(res.status), `flood POST -> ${res.status}`);
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.ok(got429, `no 429 after ${sent} POSTs from one client to one touchpoint`);
    assert.match(got429.res.headers.get('content-type') ?? '', /text\/html/);
    assert.ok(got429.res.headers.get('retry-after'), '429 without Retry-After');
    assertSecurityHeaders(got429.res.headers, '429 page');
    // Health checks and other touchpoints keep working.
    await assertHealthy(ctx.srv);
    const other = touchpointsFor(model, 'web').find((t) => t.id !== target.id);
    const o = await getPage(ctx.srv, `/s/${other.id}`);
    assert.equal(o.res.status, 200);
  });
});
