// QR codes and printable posters.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from '../lib/server.mjs';
import { assertRespondentPage } from '../lib/checks.mjs';
import { getPage } from '../lib/flows.mjs';
import { decodeEntities, textContent } from '../lib/html.mjs';
import { loadModel, text } from '../lib/model.mjs';

let model;
let tp;
const ctx = useServer({ before, after }, async () => {
  model = await loadModel(ctx.srv);
  tp = model.touchpoints.find((t) => t.channels.includes('qr')) ?? model.touchpoints[0];
});

describe('QR and poster', () => {
  test('GET /s/{tp}/qr.svg is a standalone SVG', async () => {
    const res = await ctx.srv.fetch(`/s/${tp.id}/qr.svg`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const svg = await res.text();
    assert.match(svg, /^(<\?xml[^>]*>\s*)?<svg\b[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>\s*$/);
    assert.match(svg, /viewBox="/);
    assert.ok(!/<script|xlink:href="http|href="http|<foreignObject/i.test(svg), 'SVG with scripts or external references');
    assert.ok(/<path\b|<rect\b/.test(svg), 'no modules drawn');
    const again = await (await ctx.srv.fetch(`/s/${tp.id}/qr.svg`)).text();
    assert.equal(again, svg, 'the QR code is deterministic');
  });

  test('unknown touchpoint -> 404 for qr.svg and the poster', async () => {
    assert.equal((await ctx.srv.fetch('/s/no-such-touchpoint/qr.svg')).status, 404);
    assert.equal((await ctx.srv.fetch('/s/no-such-touchpoint/juliste')).status, 404);
  });

  // A poster is per unit: a touchpoint with several units needs `u` (see below).
  const withUnit = (p) => (tp.units.length > 1 ? `${p}${p.includes('?') ? '&' : '?'}u=${encodeURIComponent(tp.units[0])}` : p);
  for (const [p, lang] of [['juliste?lang=fi', 'fi'], ['juliste?lang=sv', 'sv'], ['affisch', 'sv']]) {
    test(`poster /s/{tp}/${p} in ${lang}`, async () => {
      const { res, html } = await getPage(ctx.srv, `/s/${tp.id}/${withUnit(p)}`);
      assert.equal(res.status, 200);
      assertRespondentPage(res, html, { lang, what: `poster ${p}` });
      assert.ok(/<svg\b/.test(html) || /<img\b[^>]*src="[^"]*qr\.svg/.test(html), 'poster has no QR code');
      const t = textContent(html);
      assert.ok(t.includes(text(tp.name, lang)), `poster lacks the ${lang} touchpoint name "${text(tp.name, lang)}"`);
      // The printed URL is the survey with c=qr.
      const urls = decodeEntities(html).match(/https?:\/\/[^\s"<]+\/s\/[^\s"<]+/g) ?? [];
      assert.ok(urls.some((u) => u.includes(`/s/${tp.id}`) && /[?&]c=qr/.test(u)), `poster does not print the survey URL with c=qr: ${urls}`);
    });
  }

  test('QR code and poster carry the unit and the variant into the survey URL', async () => {
    const multi = model.touchpoints.find((t) => t.units.length > 1 && t.channels.includes('qr'));
    if (multi) {
      const unit = multi.units[1];
      const { res, html } = await getPage(ctx.srv, `/s/${multi.id}/juliste?lang=fi&u=${encodeURIComponent(unit)}`);
      assert.equal(res.status, 200);
      const urls = decodeEntities(html).match(/https?:\/\/[^\s"<]+\/s\/[^\s"<]+/g) ?? [];
      assert.ok(urls.some((u) => u.includes(`/s/${multi.id}?`) && u.includes(`u=${encodeURIComponent(unit)}`) && /[?&]c=qr/.test(u)),
        `the poster URL lacks u=${unit}: ${urls}`);
      assert.notEqual(await (await ctx.srv.fetch(`/s/${multi.id}/qr.svg?u=${encodeURIComponent(unit)}`)).text(),
        await (await ctx.srv.fetch(`/s/${multi.id}/qr.svg?u=${encodeURIComponent(multi.units[0])}`)).text());
      assert.equal((await ctx.srv.fetch(`/s/${multi.id}/qr.svg?u=no-such-unit`)).status, 404);
      // Without u: a page linking to each unit's poster, no QR code choosing for them.
      const list = await getPage(ctx.srv, `/s/${multi.id}/juliste?lang=fi`);
      assert.equal(list.res.status, 200);
      assertRespondentPage(list.res, list.html, { lang: 'fi', what: 'poster unit list' });
      for (const u of multi.units) {
        assert.ok(decodeEntities(list.html).includes(`/s/${multi.id}/juliste?u=${encodeURIComponent(u)}`), `no link to the poster of ${u}`);
      }
    }
    const withChild = model.touchpoints.find((t) => t.child_survey && t.channels.includes('qr'))
      ?? model.touchpoints.find((t) => t.child_survey);
    if (withChild) {
      const u = withChild.units.length > 1 ? `&u=${encodeURIComponent(withChild.units[0])}` : '';
      const { res, html } = await getPage(ctx.srv, `/s/${withChild.id}/juliste?lang=fi&v=child${u}`);
      assert.equal(res.status, 200);
      const urls = decodeEntities(html).match(/https?:\/\/[^\s"<]+\/s\/[^\s"<]+/g) ?? [];
      assert.ok(urls.some((x) => x.includes(`/s/${withChild.id}?`) && /[?&]v=child\b/.test(x)), `no v=child in ${urls}`);
    }
    assert.equal((await ctx.srv.fetch(`/s/${tp.id}/qr.svg?v=nonsense`)).status, 404);
  });
});
