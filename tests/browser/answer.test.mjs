// A person answering with a real browser: the survey in four languages by clicking,
// the kiosk with one tap, everything without JavaScript, and a 320 px phone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from '../lib/server.mjs';
import { useBrowser, tick, watchThirdParty } from '../lib/browser.mjs';
import { allResponses } from '../lib/flows.mjs';
import { LANGS, answersMatch, kioskTouchpoint, loadModel, newKey, surveyOf, text, touchpointFor, validApiAnswers } from '../lib/model.mjs';

const bctx = useBrowser({ after });
let model;
let admin;
let tp;
let survey;
const ctx = useServer({ before, after }, async () => {
  await bctx.launch();
  model = await loadModel(ctx.srv);
  admin = await ctx.srv.token('admin');
  tp = touchpointFor(model, 'web');
  survey = surveyOf(model, tp);
});

// Fills every question of `s` on the open page as validApiAnswers describes.
async function fillSurvey(page, s, marker) {
  const answers = validApiAnswers(s, { marker });
  for (const q of s.questions) {
    const v = answers[q.key];
    if (v === undefined) continue;
    const name = `q.${q.key}`;
    if (q.type === 'open_text') {
      await page.locator(`textarea[name="${name}"]`).fill(String(v));
    } else if (Array.isArray(v)) {
      for (const x of v) await tick(page, `input[name="${name}"][value="${x}"]`);
    } else {
      await tick(page, `input[name="${name}"][value="${v}"]`);
    }
  }
  if (await page.locator('input[name="respondent"][value="self"]').count()) {
    await tick(page, 'input[name="respondent"][value="self"]');
  }
  return answers;
}

// The submit button of the survey form (not a language link, not a kiosk face).
function submitButton(page) {
  return page.locator('form[method="post" i] button:not([type="button"]):not([type="reset"]):not([name="face"]), form[method="post" i] input[type="submit"]').last();
}

async function storedWith(marker, query) {
  const items = await allResponses(ctx.srv, admin, query);
  return items.filter((i) => Object.values(i.answers ?? {}).includes(marker));
}

describe('answering in the browser', () => {
  for (const lang of LANGS) {
    test(`survey in ${lang}: click, submit, thank-you page`, async () => {
      const context = await bctx.browser.newContext({ locale: lang === 'fi-x-selko' ? 'fi-FI' : `${lang}-FI` });
      const page = await context.newPage();
      const foreign = watchThirdParty(page, ctx.srv.url);
      try {
        await page.goto(`${ctx.srv.url}/s/${tp.id}?lang=${lang}`);
        assert.equal(await page.locator('h1').count(), 1, 'one h1');
        assert.ok((await page.textContent('body')).includes(text(survey.title, lang)));
        const marker = `browser-${lang}-${newKey()}`;
        const answers = await fillSurvey(page, survey, marker);
        await Promise.all([page.waitForURL(/\/kiitos/), submitButton(page).click()]);
        const u = new URL(page.url());
        assert.equal(u.pathname, `/s/${tp.id}/kiitos`);
        assert.equal(u.searchParams.get('lang'), lang);
        const htmlLang = await page.getAttribute('html', 'lang');
        assert.ok(lang === 'fi-x-selko' ? ['fi', 'fi-x-selko'].includes(htmlLang) : htmlLang === lang);
        assert.ok(await page.locator('h1').isVisible());
        const found = await storedWith(marker, { touchpoint: tp.id });
        assert.equal(found.length, 1);
        assert.equal(found[0].language, lang);
        assert.equal(answersMatch(found[0].answers, answers), null);
        assert.deepEqual(foreign, [], 'requests to third parties');
      } finally {
        await context.close();
      }
    });
  }

  test('Back after sending, then Send again, does not store the answer twice', async () => {
    // Chromium restores the typed answers when going back; if the page is fetched
    // anew (Cache-Control: no-store) the hidden one-time key is a new one, and the
    // same answers are stored again.
    const context = await bctx.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${ctx.srv.url}/s/${tp.id}?lang=fi`);
      const k1 = await page.inputValue('input[name="k"]');
      const marker = `back-${newKey()}`;
      await fillSurvey(page, survey, marker);
      await Promise.all([page.waitForURL(/\/kiitos/), submitButton(page).click()]);
      await page.goBack();
      const k2 = await page.inputValue('input[name="k"]');
      const restored = await page.inputValue(`textarea[name="q.${survey.questions.find((q) => q.type === 'open_text').key}"]`);
      await Promise.all([page.waitForLoadState('load'), submitButton(page).click()]);
      await page.waitForLoadState('load');
      const n = (await storedWith(marker, { touchpoint: tp.id })).length;
      assert.equal(n, 1, `Back + Send stored the answer ${n} times (key before ${k1}, after Back ${k2}, `
        + `answers restored: ${restored === marker}; the survey page is sent with `
        + `Cache-Control: ${(await page.request.get(`${ctx.srv.url}/s/${tp.id}`)).headers()['cache-control']})`);
    } finally {
      await context.close();
    }
  });

  test('the language switch on the page works', async () => {
    const context = await bctx.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${ctx.srv.url}/s/${tp.id}?lang=fi`);
      await Promise.all([page.waitForURL(/lang=sv/), page.locator('a[href*="lang=sv"]').first().click()]);
      assert.equal(await page.getAttribute('html', 'lang'), 'sv');
      assert.ok((await page.textContent('body')).includes(text(survey.title, 'sv')));
    } finally {
      await context.close();
    }
  });

  test('validation errors are shown next to the fields and in a summary', async () => {
    const context = await bctx.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${ctx.srv.url}/s/${tp.id}?lang=fi`);
      const resp = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), submitButton(page).click()]);
      assert.equal(resp[0].status(), 422);
      await page.waitForLoadState('load');
      const invalid = page.locator('[aria-invalid="true"]');
      assert.ok(await invalid.count() > 0, 'no aria-invalid field');
      const summaryLinks = page.locator('a[href^="#"]');
      assert.ok(await summaryLinks.count() > 0);
      // Following a summary link lands on an existing element.
      const href = await page.locator('main a[href^="#"]').first().getAttribute('href');
      assert.ok(href && (await page.locator(href.replace(/^#(.*)$/, '[id="$1"]')).count()) === 1, `summary link ${href} points nowhere`);
    } finally {
      await context.close();
    }
  });

  test('kiosk: one tap answers', async () => {
    const ktp = kioskTouchpoint(model);
    const ks = surveyOf(model, ktp);
    const context = await bctx.browser.newContext();
    const page = await context.newPage();
    try {
      const before = (await allResponses(ctx.srv, admin, { touchpoint: ktp.id })).length;
      await page.goto(`${ctx.srv.url}/k/${ktp.id}?lang=fi`);
      const faces = page.locator('button[name="face"]');
      assert.ok(await faces.count() >= 3);
      await Promise.all([page.waitForURL(/\/k\/[^/]+\/(jatko|kiitos)/), faces.last().click()]);
      const after = await allResponses(ctx.srv, admin, { touchpoint: ktp.id });
      assert.equal(after.length, before + 1, 'one tap, one response');
      const kq = ks.questions.find((q) => q.key === ks.kiosk_question);
      assert.equal(after.at(-1).answers[kq.key], kq.type === 'smiley3' ? 3 : 5);
      if (page.url().includes('/jatko')) {
        const fq = ks.questions.find((q) => q.key === ks.kiosk_followup);
        await tick(page, `input[name="q.${fq.key}"][value="${fq.options[0].key}"]`);
        await Promise.all([page.waitForURL(/\/kiitos/), submitButton(page).click()]);
        const again = await allResponses(ctx.srv, admin, { touchpoint: ktp.id });
        assert.equal(again.length, before + 2);
        assert.equal(String(again.at(-1).supplements), String(after.at(-1).id));
      }
      // The thank-you page leads back to the start.
      assert.ok(await page.locator(`a[href^="/k/${ktp.id}"]`).count() > 0, 'no link back to the kiosk start');
    } finally {
      await context.close();
    }
  });
});

describe('without JavaScript', () => {
  test('survey, kiosk and feedback work with JavaScript disabled', async () => {
    const context = await bctx.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`${ctx.srv.url}/s/${tp.id}?lang=fi`);
      const marker = `nojs-${newKey()}`;
      await fillSurvey(page, survey, marker);
      await Promise.all([page.waitForURL(/\/kiitos/), submitButton(page).click()]);
      assert.equal((await storedWith(marker, { touchpoint: tp.id })).length, 1);

      const ktp = kioskTouchpoint(model);
      await page.goto(`${ctx.srv.url}/k/${ktp.id}?lang=sv`);
      await Promise.all([page.waitForURL(/\/k\/[^/]+\/(jatko|kiitos)/), page.locator('button[name="face"]').first().click()]);

      // Feedback: search without JS, pick the unit, write, send.
      const unit = model.units.find((u) => u.parent && !model.units.some((c) => c.parent === u.id));
      await page.goto(`${ctx.srv.url}/palaute`);
      await page.locator('input[name="haku"]').fill(unit.name.fi);
      await Promise.all([page.waitForLoadState('load'), page.locator('input[name="haku"]').press('Enter')]);
      assert.match(page.url(), /haku=/);
      await tick(page, `input[name="unit"][value="${unit.id}"]`);
      await tick(page, 'input[name="kind"][value="praise"]');
      const txt = `nojs-feedback-${newKey()}`;
      await page.locator('textarea[name="text"]').fill(txt);
      await tick(page, 'input[name="respondent"][value="self"]');
      await Promise.all([page.waitForURL(/\/palaute\/kiitos/), submitButton(page).click()]);
      const fb = (await allResponses(ctx.srv, admin, { channel: 'feedback' })).filter((i) => Object.values(i.answers).includes(txt));
      assert.equal(fb.length, 1);
      assert.equal(fb[0].unit, unit.id);
    } finally {
      await context.close();
    }
  });
});

describe('kiosk reset and screen-reader structure', () => {
  test('the kiosk returns to its start page by itself (no JavaScript)', async () => {
    const ktp = kioskTouchpoint(model);
    const context = await bctx.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`${ctx.srv.url}/k/${ktp.id}/kiitos?lang=sv`);
      // The thank-you page resets after a few seconds (meta refresh or Refresh header).
      await page.waitForURL((u) => u.pathname === `/k/${ktp.id}` && u.searchParams.get('lang') === 'sv', { timeout: 45000 });
      assert.equal(await page.locator('button[name="face"]').count() >= 3, true);
    } finally {
      await context.close();
    }
  });

  test('radio groups are fieldsets with legends; every field has a label', async () => {
    const context = await bctx.browser.newContext();
    const page = await context.newPage();
    try {
      for (const p of [`/s/${tp.id}?lang=fi`, '/palaute?haku=terveys']) {
        await page.goto(ctx.srv.url + p);
        const problems = await page.evaluate(() => {
          const out = [];
          for (const i of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
            const fs = i.closest('fieldset');
            const legend = fs?.querySelector('legend')?.textContent.trim();
            if (!legend) out.push(`${i.name}=${i.value}: not in a fieldset with a legend`);
          }
          for (const el of document.querySelectorAll('input:not([type=hidden]), textarea, select')) {
            const label = [...(el.labels ?? [])].map((l) => l.textContent.trim()).join(' ') || el.getAttribute('aria-label');
            if (!label) out.push(`${el.name}: no label`);
          }
          return out;
        });
        assert.deepEqual(problems, [], p);
      }
    } finally {
      await context.close();
    }
  });
});

describe('small screens and touch targets', () => {
  test('320 px wide: no horizontal scrolling; large targets', async () => {
    const context = await bctx.browser.newContext({ viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const ktp = kioskTouchpoint(model);
    try {
      for (const p of [`/s/${tp.id}?lang=fi`, `/s/${tp.id}?lang=sv`, `/s/${tp.id}/kiitos?lang=fi`, `/k/${ktp.id}?lang=fi`,
        '/palaute', `/s/no-such?lang=fi`, '/saavutettavuus']) {
        await page.goto(ctx.srv.url + p);
        const { scrollWidth, clientWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
        }));
        assert.ok(scrollWidth <= clientWidth, `${p}: scrollWidth ${scrollWidth} > ${clientWidth} at 320 px`);
      }
      await page.goto(`${ctx.srv.url}/s/${tp.id}?lang=fi`);
      const btn = await submitButton(page).boundingBox();
      assert.ok(btn.height >= 44, `submit button ${btn.height} px high, want >= 44`);
      const small = await page.evaluate(() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')].map((i) => {
        const l = i.labels?.[0];
        const r = (l ?? i).getBoundingClientRect();
        return { name: i.name, value: i.value, w: r.width, h: r.height };
      }).filter((r) => r.w < 24 || r.h < 24));
      assert.deepEqual(small, [], 'radio/checkbox targets under 24x24 px');
      await page.goto(`${ctx.srv.url}/k/${ktp.id}?lang=fi`);
      for (const b of await page.locator('button[name="face"]').all()) {
        const box = await b.boundingBox();
        assert.ok(box.height >= 44 && box.width >= 44, `kiosk face ${box.width}x${box.height}`);
      }
    } finally {
      await context.close();
    }
  });
});
