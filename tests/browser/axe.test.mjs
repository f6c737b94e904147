// axe-core on every respondent page: zero WCAG 2.1 A/AA violations.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from '../lib/server.mjs';
import { axeViolations, formatViolations, tick, useBrowser } from '../lib/browser.mjs';
import { apiSubmit, rawRequest, rawStatus } from '../lib/flows.mjs';
import { LANGS, kioskTouchpoint, leafUnits, loadModel, newKey, surveyOf, touchpointFor } from '../lib/model.mjs';

const bctx = useBrowser({ after });
let model;
let context;
let tp;
let ktp;
let integration;
const ctx = useServer({ before, after }, async () => {
  await bctx.launch();
  model = await loadModel(ctx.srv);
  integration = await ctx.srv.token('integration');
  tp = touchpointFor(model, 'web');
  ktp = kioskTouchpoint(model, { withFollowup: true });
  // axe is injected as an inline script; the pages' CSP (rightly) forbids that.
  context = await bctx.browser.newContext({ bypassCSP: true });
});

after(async () => {
  await context?.close().catch(() => {});
});

// Opens `path` (or runs `navigate(page)`), expects `status`, runs axe, asserts no violations.
async function audit(where, { path, status = 200, navigate }) {
  const page = await context.newPage();
  try {
    let res;
    if (navigate) res = await navigate(page);
    else res = await page.goto(ctx.srv.url + path);
    if (status !== undefined && res) assert.equal(res.status(), status, `${where}: HTTP ${res.status()}`);
    const v = await axeViolations(page);
    assert.equal(v.length, 0, formatViolations(v, `${where} (${page.url()})`));
  } finally {
    await page.close();
  }
}

function submit(page) {
  return page.locator('form[method="post" i] button:not([type="button"]):not([name="face"]), form[method="post" i] input[type="submit"]').last();
}

describe('axe-core: WCAG 2.1 A and AA', () => {
  for (const lang of LANGS) {
    test(`survey page ${lang}`, () => audit(`survey ${lang}`, { path: `/s/${tp.id}?lang=${lang}` }));
  }

  test('children\'s and relatives\' survey variants', async () => {
    const child = model.touchpoints.find((t) => t.child_survey);
    const rel = model.touchpoints.find((t) => t.relative_survey);
    if (child) await audit('child survey', { path: `/s/${child.id}?v=child&lang=fi` });
    if (rel) await audit('relative survey', { path: `/s/${rel.id}?v=relative&lang=sv` });
  });

  for (const lang of ['fi', 'sv']) {
    test(`survey with validation errors ${lang}`, () => audit(`survey 422 ${lang}`, {
      status: 422,
      navigate: async (page) => {
        await page.goto(`${ctx.srv.url}/s/${tp.id}?lang=${lang}`);
        const nps = page.locator('input[type="radio"]').first();
        const name = await nps.getAttribute('name');
        if (name) await tick(page, `input[name="${name}"]`);
        const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), submit(page).click()]);
        await page.waitForLoadState('load');
        return res;
      },
    }));
  }

  for (const lang of ['fi', 'sv', 'en', 'fi-x-selko']) {
    test(`thank-you page ${lang}`, () => audit(`thank-you ${lang}`, { path: `/s/${tp.id}/kiitos?lang=${lang}` }));
  }

  test('kiosk start page', () => audit('kiosk', { path: `/k/${ktp.id}?lang=fi` }));

  test('kiosk follow-up and thanks', async () => {
    let followUrl;
    await audit('kiosk follow-up', {
      navigate: async (page) => {
        await page.goto(`${ctx.srv.url}/k/${ktp.id}?lang=sv`);
        const [res] = await Promise.all([page.waitForURL(/\/jatko/), page.locator('button[name="face"]').first().click()]);
        followUrl = page.url();
        return res;
      },
    });
    assert.ok(followUrl);
    await audit('kiosk thanks', { path: `/k/${ktp.id}/kiitos?lang=sv` });
  });

  test('feedback form, search results, errors, thanks', async () => {
    const unit = leafUnits(model)[0];
    await audit('feedback fi', { path: '/palaute' });
    await audit('feedback sv', { path: '/respons' });
    await audit('feedback en', { path: '/feedback' });
    await audit('feedback search', { path: `/palaute?haku=${encodeURIComponent(unit.name.fi.split(' ')[0])}` });
    await audit('feedback search, no hits', { path: '/palaute?haku=zzqqxx' });
    await audit('feedback 422', {
      status: 422,
      navigate: async (page) => {
        await page.goto(`${ctx.srv.url}/palaute`);
        const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), submit(page).click()]);
        await page.waitForLoadState('load');
        return res;
      },
    });
    await audit('feedback thanks', { path: '/palaute/kiitos' });
    await audit('feedback thanks sv', { path: '/palaute/kiitos?lang=sv' });
  });

  for (const p of ['/saavutettavuus', '/tillganglighet', '/accessibility']) {
    test(`accessibility statement ${p}`, () => audit(p, { path: p }));
  }

  test('invitation page and the 410 page after use', async () => {
    const r = await ctx.srv.api('POST', '/api/v1/invitations', {
      token: integration,
      body: { touchpoint: tp.id, unit: tp.units[0], event_ref: `ev-${newKey()}`, language: 'fi', channel: tp.channels[0], ttl_hours: 2 },
    });
    assert.equal(r.status, 201, r.text);
    await audit('invitation', { path: r.body.url });
    // Use it: answer the NPS question (enough if others are optional; else the test
    // fills every radio group's first option).
    const page = await context.newPage();
    try {
      await page.goto(ctx.srv.url + r.body.url);
      const names = await page.evaluate(() => [...new Set([...document.querySelectorAll('input[type=radio]')].map((i) => i.name))]);
      for (const n of names) await tick(page, `input[name="${n}"]`);
      await Promise.all([page.waitForURL(/kiitos/), submit(page).click()]);
    } finally {
      await page.close();
    }
    await audit('410 used invitation', { path: r.body.url, status: 410 });
  });

  test('404 page', async () => {
    await audit('404 fi', { path: '/s/no-such-touchpoint', status: 404 });
    await audit('404 sv', { path: '/s/no-such-touchpoint?lang=sv', status: 404 });
    await audit('404 other path', { path: '/no/such/page', status: 404 });
  });

  test('error pages 400, 413 and 429', async () => {
    // Produce each page with a real request from Node, then show that exact response
    // in the browser at a same-origin URL (so the stylesheet loads) and audit it.
    const bodies = [];
    const form = `k=${newKey()}&lang=fi&q.nps=100%ZZ`;
    const r400 = await fetch(`${ctx.srv.url}/s/${tp.id}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    bodies.push(['400 bad encoding', r400.status, await r400.text(), 400]);
    const raw = await rawRequest(ctx.srv.port, `POST /s/${tp.id} HTTP/1.1\r\nHost: 127.0.0.1:${ctx.srv.port}\r\n`
      + 'Content-Type: application/x-www-form-urlencoded\r\nAccept-Language: sv\r\nContent-Length: 100000000\r\nConnection: close\r\n\r\n');
    assert.equal(rawStatus(raw.data), 413, raw.data.slice(0, 200));
    bodies.push(['413 too large', 413, Buffer.from(raw.data.slice(raw.data.indexOf('\r\n\r\n') + 4), 'latin1').toString('utf8'), 413]);
    const target = model.touchpoints.filter((t) => t.channels.includes('web')).at(-2);
    let r429 = null;
    for (let i = 0; i < 500 && !r429; i++) {
      const r = await fetch(`${ctx.srv.url}/s/${target.id}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `k=${newKey()}&lang=sv` });
      const text = await r.text();
      if (r.status === 429) r429 = text;
    }
    assert.ok(r429, 'no 429 page produced');
    bodies.push(['429 rate limited', 429, r429, 429]);
    for (const [what, status, html, want] of bodies) {
      assert.equal(status, want, what);
      const url = `${ctx.srv.url}/__error_page_${status}`;
      await audit(what, {
        status,
        navigate: async (page) => {
          await page.route(url, (route) => route.fulfill({ status, contentType: 'text/html; charset=utf-8', body: html }));
          return page.goto(url);
        },
      });
    }
  });

  test('poster pages', async () => {
    await audit('poster fi', { path: `/s/${tp.id}/juliste?lang=fi` });
    await audit('poster sv', { path: `/s/${tp.id}/juliste?lang=sv` });
  });

  test('public pages: you said, we did, and results', async () => {
    // One published action and enough answers for shown figures (plus suppressed ones elsewhere).
    const unit = tp.units[0];
    const area = model.units.find((u) => u.id === unit)?.parent || unit;
    for (let i = 0; i < 6; i++) {
      const r = await apiSubmit(ctx.srv, integration, tp, surveyOf(model, tp));
      assert.equal(r.status, 201, r.text);
    }
    const admin = await ctx.srv.token('admin');
    const made = await ctx.srv.api('POST', '/api/v1/actions', {
      token: admin,
      body: {
        unit, done_on: '2026-10-01', published: true,
        title: { fi: 'Takaisinsoittopalvelu', sv: 'Återuppringning' },
        description: { fi: 'Puhelinjonoon voi jättää soittopyynnön.' },
        reason: { fi: 'Jonot olivat pitkiä.', sv: 'Köerna var långa.' },
      },
    });
    assert.equal(made.status, 201, made.text);
    for (const p of ['/sanoitte-teimme', `/sanoitte-teimme/${area}`, `/ni-sade-vi-gjorde/${area}`, `/you-said-we-did/${unit}`,
      `/tulokset/${unit}`, `/resultat/${area}`, `/results/${model.units.find((u) => !u.parent).id}`]) {
      await audit(p, { path: p });
    }
  });
});
