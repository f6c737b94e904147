// The feedback inbox end to end on the real binary: responses with comments and
// contact requests submitted through the survey and feedback forms open cases; a
// unit manager lists and filters them (kind, band, theme, status, full text), takes
// one, writes a note and closes it (the contact details are gone); scope is
// enforced at the API (another unit's case 404, a filter on it 403); an analyst
// reads but cannot handle (403); overdue per unit after the clock moves 15 days on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { useServer } from '../lib/server.mjs';
import { answerSurvey, getPage } from '../lib/flows.mjs';
import { postFormTo } from '../lib/html.mjs';
import { leafUnits, loadModel, newKey, subtreeIds, surveyOf, touchpointFor } from '../lib/model.mjs';
import { SteeredClock } from '../lib/sms-stack.mjs';

const clockDir = mkdtempSync(path.join(tmpdir(), 'kaiku-cases-clock-'));
const clockFile = path.join(clockDir, 'offset');
writeFileSync(clockFile, '0\n');
const clock = new SteeredClock(clockFile);
after(() => rmSync(clockDir, { recursive: true, force: true }));

const PHONE = '040-1234567';
let model;
let tp;
let unitA; // the manager's unit
let unitB; // outside the manager's scope
let manager;
let analyst;
let admin;
const ctx = useServer(
  { before, after },
  async () => {
    model = await loadModel(ctx.srv);
    tp = touchpointFor(model, 'web', (s, t) => t.units.length === 1 && s.questions.some((q) => q.type === 'open_text'));
    unitA = tp.units[0];
    const mine = new Set(subtreeIds(model, unitA));
    unitB = leafUnits(model).find((u) => !mine.has(u.id)).id;
    manager = await ctx.srv.token('unit_manager', unitA);
    analyst = await ctx.srv.token('analyst');
    admin = await ctx.srv.token('admin');
  },
  { extraArgs: ['--clock-offset-file', clockFile] },
);

function sqlite(sql) {
  return execFileSync('sqlite3', ['-readonly', path.join(ctx.srv.dataDir, 'kaiku.db'), sql], { encoding: 'utf8' }).trim();
}

// Sends the free-form feedback form for `unit`; resolves when stored (303).
async function feedback(unit, kind, text, contact) {
  const { form } = await getPage(ctx.srv, '/palaute');
  const fields = [...Object.entries(form.hidden), ['unit', unit], ['kind', kind], ['text', text], ['respondent', 'self']];
  if (contact) {
    fields.push(['contact.wanted', 'yes'], ['contact.name', contact.name], ['contact.phone', contact.phone], ['contact.consent', 'yes']);
  }
  const res = await postFormTo(`${ctx.srv.url}/palaute`, fields);
  assert.equal(res.status, 303, `feedback form answered ${res.status}: ${res.status === 303 ? '' : (await res.text()).slice(0, 1500)}`);
}

async function list(token, query = {}) {
  const q = new URLSearchParams(query);
  return ctx.srv.api('GET', `/api/v1/cases${q.size ? `?${q}` : ''}`, { token });
}

async function ids(token, query) {
  const r = await list(token, query);
  assert.equal(r.status, 200, r.text);
  return r.body.cases.map((c) => c.id);
}

describe('the feedback inbox', () => {
  const marker = `Pysäköintihalli oli täynnä ${newKey().slice(0, 6)}`;
  let contactCase;
  let secondContact;
  let feedbackCase;
  let commentCase;
  let outside;

  test('comments, feedback and contact requests open cases in the unit manager\'s inbox', async () => {
    await feedback(unitA, 'complaint', `Jonotin puhelimessa tunnin, soittakaa ${PHONE}`, { name: 'Maija Meikäläinen', phone: '+358401234567' });
    await feedback(unitA, 'suggestion', marker);
    await feedback(unitA, 'complaint', 'Toinen yhteydenottopyyntö', { name: 'Matti', phone: '+358401112223' });
    await feedback(unitB, 'complaint', 'Toisen yksikön asia');
    const { res } = await answerSurvey(ctx.srv, tp, surveyOf(model, tp), { marker: 'Hoitaja oli ystävällinen' });
    assert.equal(res.status, 303, `survey answered ${res.status}`);

    const r = await list(manager);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.total, 4, r.text);
    assert.equal(r.body.cases.length, 4);
    assert.equal(r.body.next_cursor, null);
    for (const c of r.body.cases) {
      assert.ok(subtreeIds(model, unitA).has(c.unit), `case of ${c.unit} listed to the manager of ${unitA}`);
      assert.equal(c.status, 'new');
      assert.equal(typeof c.unit_name.fi, 'string');
      assert.ok(!c.excerpt.includes(PHONE), `unredacted phone in the excerpt: ${c.excerpt}`);
    }
    const received = r.body.cases.map((c) => Date.parse(c.received_at));
    assert.deepEqual(received, [...received].sort((a, b) => b - a), 'newest first');
    contactCase = r.body.cases.find((c) => c.excerpt.startsWith('Jonotin'));
    secondContact = r.body.cases.find((c) => c.excerpt.startsWith('Toinen'));
    feedbackCase = r.body.cases.find((c) => c.excerpt.startsWith('Pysäköinti'));
    commentCase = r.body.cases.find((c) => c.kind === 'comment');
    assert.ok(contactCase && secondContact && feedbackCase && commentCase, r.text);
    assert.equal(contactCase.kind, 'contact_request');
    assert.equal(contactCase.has_contact, true);
    assert.match(contactCase.excerpt, /\[puhelin\]/);
    assert.equal(feedbackCase.kind, 'feedback');
    assert.equal(feedbackCase.band, 'none');
    assert.equal(commentCase.band, 'passive'); // the form answers 8
    assert.equal(commentCase.nps, 8);
    const days = (c) => (Date.parse(c.due_at) - Date.parse(c.received_at)) / 86400000;
    assert.ok(Math.abs(days(contactCase) - 14) < 0.01, `contact request due in ${days(contactCase)} days`);
    assert.ok(Math.abs(days(feedbackCase) - 30) < 0.01, `feedback due in ${days(feedbackCase)} days`);
    outside = Number(sqlite(`SELECT response_id FROM cases WHERE unit = '${unitB}'`));
    assert.ok(outside > 0, 'the other unit\'s case exists');
  });

  test('filters: kind, band, theme, status, full text; bad parameters are 400 naming them', async () => {
    assert.deepEqual((await ids(manager, { kind: 'contact_request' })).sort(), [contactCase.id, secondContact.id].sort());
    assert.deepEqual(await ids(manager, { band: 'passive' }), [commentCase.id]);
    assert.equal((await ids(manager, { band: 'none' })).length, 3);
    assert.deepEqual(await ids(manager, { q: 'puhelim*' }), [contactCase.id]);
    assert.deepEqual(await ids(manager, { q: marker.split(' ').at(-1) }), [feedbackCase.id]);
    assert.deepEqual(await ids(manager, { q: 'pysäköintihalli' }), [feedbackCase.id]);
    assert.deepEqual(await ids(manager, { q: 'pysakointihalli' }), [], 'ä is its own letter');
    assert.deepEqual(await ids(manager, { status: 'closed' }), []);
    const themed = [contactCase, feedbackCase, commentCase].find((c) => c.themes.length);
    if (themed) {
      const got = await list(manager, { theme: themed.themes[0] });
      assert.equal(got.status, 200, got.text);
      assert.ok(got.body.cases.some((c) => c.id === themed.id));
      assert.ok(got.body.cases.every((c) => c.themes.includes(themed.themes[0])));
    }
    const page = await list(manager, { limit: '2' });
    assert.equal(page.body.cases.length, 2);
    assert.equal(page.body.total, 4);
    const next = await list(manager, { limit: '2', cursor: page.body.next_cursor });
    assert.equal(next.status, 200, next.text);
    assert.equal(next.body.cases.length, 2);
    assert.ok(!next.body.cases.some((c) => page.body.cases.some((p) => p.id === c.id)), 'pages overlap');

    for (const [query, name] of [[{ band: 'grumpy' }, 'band'], [{ status: 'new,done' }, 'status'], [{ limit: '500' }, 'limit'],
      [{ from: '2026-13-01' }, 'from'], [{ theme: 'no_such_theme' }, 'theme'], [{ q: '***' }, 'q'], [{ colour: 'red' }, 'colour']]) {
      const bad = await list(manager, query);
      assert.equal(bad.status, 400, `${JSON.stringify(query)}: ${bad.text}`);
      assert.ok(bad.body.detail.includes(name), `${name} not named: ${bad.body.detail}`);
    }
  });

  test('scope is enforced at the API: another unit\'s case is 404, a filter on it 403', async () => {
    const r = await ctx.srv.api('GET', `/api/v1/cases/${outside}`, { token: manager });
    assert.equal(r.status, 404, r.text);
    const missing = await ctx.srv.api('GET', '/api/v1/cases/99999999', { token: manager });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.detail, r.body.detail.replace(String(outside), '99999999'), 'outside looks like missing');
    const f = await list(manager, { unit: unitB });
    assert.equal(f.status, 403, f.text);
    const take = await ctx.srv.api('POST', `/api/v1/cases/${outside}/assign`, { token: manager, body: { user: 'me' } });
    assert.equal(take.status, 404, take.text);
    const none = await ctx.srv.api('GET', '/api/v1/cases');
    assert.equal(none.status, 401);
  });

  test('an analyst reads cases without contact details and cannot handle them', async () => {
    const r = await ctx.srv.api('GET', `/api/v1/cases/${contactCase.id}`, { token: analyst });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.contact, null);
    assert.ok(!r.text.includes('+358401234567'));
    for (const [p, body] of [['status', { status: 'in_handling' }], ['assign', { user: 'me' }], ['notes', { text: 'x' }]]) {
      const denied = await ctx.srv.api('POST', `/api/v1/cases/${contactCase.id}/${p}`, { token: analyst, body });
      assert.equal(denied.status, 403, `${p}: ${denied.text}`);
    }
  });

  test('the manager takes a contact request, notes it and closes it: the contact is gone', async () => {
    const got = await ctx.srv.api('GET', `/api/v1/cases/${contactCase.id}`, { token: manager });
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.contact.phone, '+358401234567');
    assert.equal(got.body.feedback_kind, 'complaint');
    assert.deepEqual(got.body.history, []);
    assert.ok(!JSON.stringify(got.body.answers).includes(PHONE), 'answers are redacted');

    const early = await ctx.srv.api('POST', `/api/v1/cases/${contactCase.id}/status`, { token: manager, body: { status: 'answered' } });
    assert.equal(early.status, 409, early.text);
    const unknown = await ctx.srv.api('POST', `/api/v1/cases/${contactCase.id}/status`, { token: manager, body: { status: 'in_handling', why: 1 } });
    assert.equal(unknown.status, 400, unknown.text);

    const taken = await ctx.srv.api('POST', `/api/v1/cases/${contactCase.id}/assign`, { token: manager, body: { user: 'me' } });
    assert.equal(taken.status, 200, taken.text);
    assert.equal(taken.body.status, 'in_handling');
    assert.equal(typeof taken.body.assignee.login, 'string');
    const mine = await ids(manager, { assignee: 'me' });
    assert.deepEqual(mine, [contactCase.id]);

    const note = await ctx.srv.api('POST', `/api/v1/cases/${contactCase.id}/notes`, { token: manager, body: { text: 'Soitin, ei vastannut' } });
    assert.equal(note.status, 201, note.text);
    assert.equal(note.body.kind, 'note');
    const empty = await ctx.srv.api('POST', `/api/v1/cases/${contactCase.id}/notes`, { token: manager, body: { text: '' } });
    assert.equal(empty.status, 400);

    const noContact = await ctx.srv.api('POST', `/api/v1/cases/${feedbackCase.id}/reply`, { token: manager, body: { channel: 'sms', text: 'Kiitos' } });
    assert.equal(noContact.status, 409, noContact.text);

    assert.equal(sqlite(`SELECT count(*) FROM contact_requests WHERE response_id = ${contactCase.id}`), '1');
    const closed = await ctx.srv.api('POST', `/api/v1/cases/${contactCase.id}/status`, { token: manager, body: { status: 'closed', note: 'Hoidettu' } });
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.body.status, 'closed');
    assert.equal(closed.body.contact, null);
    assert.equal(sqlite(`SELECT count(*) FROM contact_requests WHERE response_id = ${contactCase.id}`), '0');
    const after = await ctx.srv.api('GET', `/api/v1/cases/${contactCase.id}`, { token: manager });
    assert.equal(after.body.contact, null);
    assert.deepEqual(after.body.history.map((h) => h.kind), ['assign', 'note', 'status']);
    assert.equal(after.body.history[2].status, 'closed');
    assert.equal(after.body.history[2].text, 'Hoidettu');
    assert.deepEqual(await ids(manager, { status: 'closed' }), [contactCase.id]);
    assert.ok(!(await ids(manager)).includes(contactCase.id), 'closed cases leave the default list');

    for (const action of ['cases.list', 'cases.get', 'contact.read', 'case.status']) {
      assert.ok(Number(sqlite(`SELECT count(*) FROM audit_log WHERE action = '${action}'`)) > 0, `no ${action} in the audit log`);
    }
  });

  test('overdue per unit once the clock has moved 15 days on', async () => {
    const before = await ctx.srv.api('GET', '/api/v1/cases/overdue', { token: manager });
    assert.equal(before.status, 200, before.text);
    const mineBefore = before.body.units.find((u) => u.unit === unitA);
    assert.equal(mineBefore.overdue, 0);
    assert.equal(mineBefore.open, 3);
    assert.ok(!before.body.units.some((u) => u.unit === unitB), 'another unit in the manager\'s overdue list');

    await clock.setOffset(15 * 86400000);
    const deadline = Date.now() + 5000;
    let now;
    do {
      now = await ctx.srv.api('GET', '/api/v1/cases/overdue', { token: manager });
      if (now.body.units[0]?.overdue === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    assert.equal(now.status, 200, now.text);
    const mine = now.body.units.find((u) => u.unit === unitA);
    assert.equal(mine.overdue, 1, now.text); // the open contact request (14 days); feedback has 30
    assert.equal(mine.open, 3);
    assert.equal(Date.parse(mine.oldest_due_at), Date.parse(secondContact.due_at));
    assert.deepEqual(await ids(manager, { overdue: 'true' }), [secondContact.id]);
    const one = await list(manager, { overdue: 'true' });
    assert.equal(one.body.cases[0].overdue, true);
    const county = await ctx.srv.api('GET', '/api/v1/cases/overdue', { token: admin });
    assert.ok(county.body.units.some((u) => u.unit === unitB), 'the county sees every unit');
  });
});
