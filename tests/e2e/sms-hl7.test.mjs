// Visit-triggered SMS surveys end to end, with real components: HL7 v2 ADT messages
// over MLLP (@medplum/hl7) into `kaiku serve`, Kannel's bearerbox + smsbox, an SMPP
// operator and phones (npm smpp), and a steered server clock. The story of issue 4:
// A03 discharge -> ACK AA -> scheduled -> nothing before the next day 12:00 ->
// the SMS in the patient's language -> "9" -> follow-up -> text -> thanks -> an answer
// with channel sms on the right touchpoint, and no phone number or identity code in
// the answers, events, reports, export, database tables or the server's log.
// Also: duplicates, every eligibility reason HL7 v2 can carry, opt-out, delivery
// reports, and every message of ../shared/testdata/hl7v2.
//
// Skipped when Kannel is not installed. Run:
//   KAIKU_BIN=$PWD/build/kaiku node --test --test-concurrency=1 tests/e2e/sms-hl7.test.mjs
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAck } from '../lib/mllp.mjs';
import { REPO, runKaiku } from '../lib/server.mjs';
import {
  LINK_BASE, adt, controlId, databaseBytes, helsinkiDate, helsinkiDayAt, helsinkiTime, leaks, person, secretsOf, smsSkip, sqlite,
  sqliteDump, startSmsStack, waitUntil,
} from '../lib/sms-stack.mjs';

const OID = (n) => `1.2.246.10.99887766.10.${n}`;
// Demo units (models/demo/org.yaml) and their SMS touchpoints (touchpoints.yaml).
const TK_MERIKAUPUNKI = { code: OID(11), unit: 'tk-merikaupunki', touchpoint: 'tk-vastaanotto-tekstiviesti', mode: 'reply' };
const TK_KOIVULA = { code: OID(12), unit: 'tk-koivula', touchpoint: 'tk-vastaanotto-tekstiviesti', mode: 'reply' };
const YHTEISPAIVYSTYS = { code: OID(31), unit: 'yhteispaivystys', touchpoint: 'paivystys-tekstiviesti', mode: 'reply' };
const SYNNYTYS = { code: OID(28), unit: 'ks-synnytysosasto', touchpoint: 'synnytys', mode: 'link' };
const SISATAUDIT_POLI = { code: OID(21), unit: 'ks-sisataudit-poli', touchpoint: 'poliklinikka-tekstiviesti' }; // sampled 50 %
const DIGI = { code: OID(14), unit: 'digitaalinen-terveysasema' };  // no SMS touchpoint
const SENDER = 'LIFECARE^LANSIRANNIKKO';
const HL7_CORPUS = path.resolve(REPO, '..', 'shared', 'testdata', 'hl7v2');

const DECISIONS = ['scheduled', 'excluded', 'unmapped', 'duplicate', 'rejected'];

let s;            // the stack
let base;         // the server's clock at the start: day D0 09:00 Helsinki
let visitTime;    // D0 08:30
let sendAt;       // D1 12:00
const people = [];   // everyone whose number or identity must never leak
const story = {};    // name -> {person, id, ack, event, place}

function newPerson(opts) {
  const p = person(opts);
  people.push(p);
  return p;
}

// Sends `text`, checks the ACK is `code` for control id `id`, returns the parsed ACK.
async function sendExpecting(text, id, codes = ['AA']) {
  const ackText = await s.hl7(text);
  const ack = parseAck(ackText);
  assert.ok(codes.includes(ack.code), `ACK for ${id}: expected ${codes.join('/')}, got ${ack.code} ${ack.text} ${ack.errors.join(' ')}\n${ackText.replaceAll('\r', '\n')}`);
  if (id !== null) assert.equal(ack.controlId, id, 'MSA-2 echoes MSH-10');
  return ack;
}

// Sends an A03 (or other trigger) for `p` at `place`; returns {id, text, ack, event}.
async function discharge(p, place, extra = {}) {
  const id = extra.id ?? controlId();
  const text = adt({ person: p, unit: place.code, visitId: extra.visitId ?? `V-${id}`, visitTime: extra.visitTime ?? visitTime, id, ...extra });
  const ack = await sendExpecting(text, id, extra.codes);
  const events = await s.eventOf(id);
  assert.equal(events.length, 1, `one event for message ${id}: ${JSON.stringify(events)}`);
  return { id, text, ack, event: events[0], person: p, place };
}

function assertDecision(ev, decision, reasons, what) {
  assert.equal(ev.decision, decision, `${what}: decision ${ev.decision} ${JSON.stringify(ev.reasons)} ${ev.detail ?? ''}`);
  if (reasons) assert.deepEqual([...ev.reasons].sort(), [...reasons].sort(), `${what}: reasons of ${JSON.stringify(ev)}`);
}

describe('SMS survey after an HL7 v2 discharge (MLLP -> Kaiku -> Kannel -> operator -> phone)', { skip: smsSkip }, () => {
  before(async () => {
    base = helsinkiDayAt(Date.now(), 1, 9, 0);
    visitTime = base - 30 * 60e3;
    sendAt = helsinkiDayAt(visitTime, 1, 12, 0);
    s = await startSmsStack({ startTime: base });
  });

  after(async () => {
    await s?.stop();
  });

  test('A03 discharges are acknowledged AA after storage and scheduled for the next day at 12:00', async () => {
    const cases = {
      fi: [newPerson({ language: 'fi' }), TK_MERIKAUPUNKI],
      sv: [newPerson({ language: 'sv' }), YHTEISPAIVYSTYS],
      reprompt: [newPerson({ language: 'fi' }), TK_KOIVULA],
      optout: [newPerson({ language: 'fi' }), TK_MERIKAUPUNKI],
      link: [newPerson({ language: 'fi' }), SYNNYTYS],
      cancelled: [newPerson({ language: 'fi' }), TK_MERIKAUPUNKI],
    };
    for (const [name, [p, place]] of Object.entries(cases)) {
      story[name] = await discharge(p, place);
      const ev = story[name].event;
      assertDecision(ev, 'scheduled', [], name);
      assert.equal(ev.source, 'mllp');
      assert.equal(ev.sender, SENDER);
      assert.equal(ev.trigger, 'A03');
      assert.equal(ev.unit, place.unit, `${name}: unit`);
      assert.equal(ev.touchpoint, place.touchpoint, `${name}: touchpoint`);
      assert.equal(ev.visit_date, helsinkiDate(visitTime), `${name}: visit_date = the Helsinki day of PV1-45`);
      assert.equal(ev.visit_time, undefined, `${name}: no exact visit time in the API`);
      assert.equal(Date.parse(ev.send_at), sendAt, `${name}: send_at ${ev.send_at} is the next day 12:00 Helsinki`);
      assert.ok(Date.parse(ev.received_at) >= base - 60e3, `${name}: received_at ${ev.received_at} on the server's clock`);
    }
    // The cancellation (A11, same visit) of the last one: excluded/cancelled.
    const c = story.cancelled;
    const id = controlId();
    await sendExpecting(adt({ trigger: 'A11', person: c.person, unit: c.place.code, visitId: `V-${c.id}`, visitTime, id }), id);
    const [a11] = await s.eventOf(id);
    assertDecision(a11, 'excluded', ['cancelled'], 'A11 cancelling the visit');
    assert.equal(a11.trigger, 'A11');
    // The events API filters by decision and source.
    const scheduled = await s.events({ decision: 'scheduled', source: 'mllp' });
    assert.ok(scheduled.every((e) => e.decision === 'scheduled' && e.source === 'mllp'));
    assert.ok(story.fi.event.id && scheduled.some((e) => e.id === story.fi.event.id));
    assert.deepEqual(await s.events({ source: 'fhir' }), []);
  });

  test('the same message again is acknowledged AA and recorded as a duplicate; a reused id with other content is not', async () => {
    const first = story.fi;
    const ack = await sendExpecting(first.text, first.id);
    assert.equal(ack.code, 'AA');
    const events = await s.eventOf(first.id);
    assert.equal(events.length, 2, 'both copies are recorded');
    const dup = events.find((e) => e.id !== first.event.id);
    assertDecision(dup, 'duplicate', ['duplicate'], 'resent message');
    assert.equal(dup.duplicate_of, first.event.id);
    // Real senders reuse control ids: same MSH-10, another patient -> a new event.
    const other = newPerson();
    const text = adt({ person: other, unit: TK_MERIKAUPUNKI.code, visitId: `V-other-${first.id}`, visitTime, id: first.id });
    await sendExpecting(text, first.id);
    const after3 = await s.eventOf(first.id);
    assert.equal(after3.length, 3);
    const third = after3.find((e) => e.id !== first.event.id && e.id !== dup.id);
    assertDecision(third, 'scheduled', [], 'same control id, other content');
    story.reusedId = { person: other, event: third };
  });

  test('every eligibility rule HL7 v2 can carry ends in its decision and reason code', async () => {
    const cases = [
      ['turvakielto (PD1-12 = Y)', newPerson(), TK_MERIKAUPUNKI, { nonDisclosure: true }, 'excluded', ['turvakielto']],
      ['under 18', newPerson({ birth: `${new Date().getUTCFullYear() - 10}-03-15` }), TK_MERIKAUPUNKI, {}, 'excluded', ['under_age']],
      ['deceased (PID-30 = Y)', newPerson(), TK_MERIKAUPUNKI, { deceased: true }, 'excluded', ['deceased']],
      ['no mobile number', newPerson(), TK_MERIKAUPUNKI, { phones: [] }, 'excluded', ['no_mobile']],
      ['two mobile numbers', newPerson(), TK_MERIKAUPUNKI,
        { phones: [`^PRN^CP^^^^^^^^^${newPerson().phone}`, `^ORN^CP^^^^^^^^^${newPerson().national}`] }, 'excluded', ['several_mobiles']],
      ['sensitive service (PV1-10 psykiatria)', newPerson(), TK_MERIKAUPUNKI, { service: 'psykiatria' }, 'excluded', ['sensitive_service']],
      ['visit too old to survey', newPerson(), TK_MERIKAUPUNKI, { visitTime: base - 10 * 86400e3 }, 'excluded', ['too_old']],
      ['admission (A01) is not a completed visit', newPerson(), TK_MERIKAUPUNKI, { trigger: 'A01' }, 'excluded', ['not_completed']],
      ['unknown unit code', newPerson(), { code: '1.2.246.10.11111111.1' }, {}, 'unmapped', ['unknown_unit']],
      ['a unit without an SMS touchpoint', newPerson(), DIGI, {}, 'unmapped', ['no_touchpoint']],
      // A second visit within 30 days at the same touchpoint (the fi story person was
      // surveyed at tk-merikaupunki, this is tk-koivula: same touchpoint).
      ['follow-up visit within 30 days', story.fi.person, TK_KOIVULA, {}, 'excluded', ['follow_up_visit']],
      // Another touchpoint, but the person was contacted (sv story, päivystys) already.
      ['contact cap across touchpoints', story.sv.person, TK_MERIKAUPUNKI, {}, 'excluded', ['contact_cap']],
    ];
    const failures = [];
    for (const [what, p, place, extra, decision, reasons] of cases) {
      const r = await discharge(p, place, extra);
      try {
        assertDecision(r.event, decision, reasons, what);
      } catch (e) {
        failures.push(e.message);
      }
      if (place.unit) assert.equal(r.event.unit, place.unit, `${what}: unit`);
    }
    // Several hard rules at once are all listed.
    const both = await discharge(newPerson(), TK_MERIKAUPUNKI, { nonDisclosure: true, deceased: true, phones: [] });
    try {
      assertDecision(both.event, 'excluded', ['turvakielto', 'deceased', 'no_mobile'], 'three hard rules');
    } catch (e) {
      failures.push(e.message);
    }
    // Sampling (50 % at the outpatient clinics) is deterministic per visit: some are
    // sampled, some not, and a replay under a new message id decides the same.
    const sampled = [];
    for (let i = 0; i < 16; i++) sampled.push(await discharge(newPerson(), SISATAUDIT_POLI));
    const outcomes = sampled.map((r) => r.event.decision);
    assert.ok(outcomes.includes('scheduled') && outcomes.includes('excluded'),
      `16 visits at a 50 % touchpoint: ${JSON.stringify(sampled.map((r) => [r.event.decision, r.event.reasons]))}`);
    for (const r of sampled.filter((x) => x.event.decision === 'excluded')) {
      try {
        assertDecision(r.event, 'excluded', ['not_sampled'], 'outside the sample');
      } catch (e) {
        failures.push(e.message);
      }
    }
    story.sampled = sampled.filter((r) => r.event.decision === 'scheduled');
    // Unreadable and unsupported messages are answered and recorded as rejected.
    const garbageId = controlId('G');
    const garbage = `MSH|^~\\&|LIFECARE|LANSIRANNIKKO|KAIKU|X|20261124||ADT^A03|${garbageId}|P|2.5\rPID|this is|not\rZZ`;
    const gAck = parseAck(await s.hl7(garbage));
    assert.ok(['AR', 'AE'].includes(gAck.code), `garbage: ACK ${gAck.code}`);
    const a28id = controlId();
    const a28 = adt({ trigger: 'A28', person: newPerson(), unit: TK_MERIKAUPUNKI.code, visitTime, id: a28id });
    const a28ack = parseAck(await s.hl7(a28));
    assert.ok(['AA', 'AR'].includes(a28ack.code), `A28: ACK ${a28ack.code}`);
    const [a28ev] = await s.eventOf(a28id);
    assert.ok(a28ev, 'the A28 is recorded');
    try {
      assertDecision(a28ev, 'rejected', ['unsupported_event'], 'ADT^A28');
    } catch (e) {
      failures.push(e.message);
    }
    const rejected = await s.events({ decision: 'rejected' });
    assert.ok(rejected.some((e) => e.reasons.includes('unreadable') && e.detail),
      `the unreadable message is recorded with its reason: ${JSON.stringify(rejected)}`);
    assert.deepEqual(failures, []);
  });

  test('nothing is sent before the next day 12:00; at 12:05 each patient gets one SMS in their language', async () => {
    await s.clock.set(helsinkiDayAt(visitTime, 1, 11, 0));
    await s.settle();
    assert.deepEqual(s.op.messages.map((m) => ({ to: m.to, text: m.text })), [], 'no SMS at 11:00');

    await s.clock.set(helsinkiDayAt(visitTime, 1, 12, 5));
    const fi = await s.nthMessageTo(story.fi.person.phone, 1);
    const sv = await s.nthMessageTo(story.sv.person.phone, 1);
    // Finnish, reply mode: the model's NPS question and "reply 0-10", GSM 7-bit.
    assert.match(fi.text, /Kiitos käynnistäsi/);
    assert.match(fi.text, /Kuinka todennäköisesti suosittelisit/);
    assert.match(fi.text, /Vastaa numerolla 0.10/);
    assert.match(fi.text, /LOPETA/);
    assert.equal(fi.dataCoding, 0, 'Finnish text fits GSM 7-bit');
    assert.ok(!/[–—]/.test(fi.text), 'no en dash in a GSM text');
    // Swedish.
    assert.match(sv.text, /Tack för ditt besök/);
    assert.match(sv.text, /Hur sannolikt skulle du rekommendera/);
    assert.match(sv.text, /Svara med en siffra 0.10/);
    assert.match(sv.text, /SLUTA/);
    assert.equal(sv.dataCoding, 0);
    assert.equal(fi.from, sv.from, 'one sender id');
    // Link mode: a personal /i/{token} link that opens the survey.
    const link = await s.nthMessageTo(story.link.person.phone, 1);
    const m = new RegExp(`${LINK_BASE.replaceAll('.', '\\.')}/i/([A-Za-z0-9_-]+)`).exec(link.text);
    assert.ok(m, `link-mode SMS carries ${LINK_BASE}/i/TOKEN: ${link.text}`);
    const page = await s.srv.fetch(`/i/${m[1]}`);
    assert.equal(page.status, 200, `GET /i/${m[1]}`);
    await page.text();
    for (const name of ['reprompt', 'optout']) await s.nthMessageTo(story[name].person.phone, 1);
    await s.nthMessageTo(story.reusedId.person.phone, 1);
    for (const r of story.sampled) await s.nthMessageTo(r.person.phone, 1);
    await s.settle();
    // Exactly one each; nothing to the cancelled visit or to the excluded people.
    const expected = new Set([story.fi, story.sv, story.link, story.reprompt, story.optout, story.reusedId, ...story.sampled]
      .map((x) => x.person.phone));
    for (const msg of s.op.messages) {
      assert.ok(expected.has(msg.to), `unexpected SMS to ${msg.to}: ${msg.text}`);
    }
    for (const phone of expected) assert.equal(s.messagesTo(phone).length, 1, `one SMS to ${phone}`);
    assert.equal(s.messagesTo(story.cancelled.person.phone).length, 0, 'nothing for the cancelled visit');
  });

  test('reply "9" -> follow-up question -> text -> thanks (Finnish)', async () => {
    const p = story.fi.person;
    const invite = s.messagesTo(p.phone)[0];
    assert.equal(await s.op.reply(p.phone, invite.from, '9'), 0);
    const followup = await s.nthMessageTo(p.phone, 2);
    assert.match(followup.text, /Kiitos!/);
    assert.match(followup.text, /Vastaa omin sanoin/);
    assert.equal(await s.op.reply(p.phone, invite.from, 'Hoitaja oli ystävällinen, mutta odotin 40 min.'), 0);
    const thanks = await s.nthMessageTo(p.phone, 3);
    assert.match(thanks.text, /Kiitos palautteestasi/);
    await s.settle(600);
    assert.equal(s.messagesTo(p.phone).length, 3);
  });

  test('reply "nio" -> follow-up -> text -> thanks (Swedish)', async () => {
    const p = story.sv.person;
    const invite = s.messagesTo(p.phone)[0];
    await s.op.reply(p.phone, invite.from, 'nio');
    const followup = await s.nthMessageTo(p.phone, 2);
    assert.match(followup.text, /Tack!/);
    assert.match(followup.text, /Svara med egna ord/);
    await s.op.reply(p.phone, invite.from, 'Bra bemötande på jouren.');
    const thanks = await s.nthMessageTo(p.phone, 3);
    assert.match(thanks.text, /Tack för din respons/);
  });

  test('an unreadable reply gets one re-prompt, then "8" is taken', async () => {
    const p = story.reprompt.person;
    const invite = s.messagesTo(p.phone)[0];
    await s.op.reply(p.phone, invite.from, 'hmm?');
    const reprompt = await s.nthMessageTo(p.phone, 2);
    assert.match(reprompt.text, /Emme saaneet vastauksestasi selvää/);
    await s.op.reply(p.phone, invite.from, '8');
    const followup = await s.nthMessageTo(p.phone, 3);
    assert.match(followup.text, /Vastaa omin sanoin/);
  });

  test('LOPETA is confirmed, and a later visit of that person is excluded as opted_out', async () => {
    const p = story.optout.person;
    const invite = s.messagesTo(p.phone)[0];
    await s.op.reply(p.phone, invite.from, 'LOPETA');
    const confirm = await s.nthMessageTo(p.phone, 2);
    assert.match(confirm.text, /Et saa enää palautekyselyitä/);
    const later = await discharge(p, YHTEISPAIVYSTYS, { visitTime: s.clock.now() - 60e3 });
    assert.equal(later.event.decision, 'excluded');
    assert.ok(later.event.reasons.includes('opted_out'), `reasons ${JSON.stringify(later.event.reasons)}`);
    // The number alone is enough too: another identity with the same number.
    const twin = { ...newPerson(), phone: p.phone, subscriber: p.subscriber };
    const byNumber = await discharge(twin, YHTEISPAIVYSTYS, { visitTime: s.clock.now() - 60e3 });
    assert.ok(byNumber.event.reasons.includes('opted_out'), `same number: ${JSON.stringify(byNumber.event)}`);
    // A score after opting out starts nothing.
    await s.op.reply(p.phone, invite.from, '10');
    await s.settle(1000);
    assert.equal(s.messagesTo(p.phone).length, 2, 'no message after the confirmation');
  });

  test('the answers are stored with channel sms on the right touchpoint and unit', async () => {
    const { items } = await s.responsesWithText({ channel: 'sms' });
    const find = (tp, nps) => items.find((r) => r.touchpoint === tp && r.answers?.nps === nps);
    const fi = find(TK_MERIKAUPUNKI.touchpoint, 9);
    assert.ok(fi, `an sms answer nps 9 at ${TK_MERIKAUPUNKI.touchpoint}: ${JSON.stringify(items)}`);
    assert.equal(fi.channel, 'sms');
    assert.equal(fi.unit, TK_MERIKAUPUNKI.unit);
    assert.equal(fi.language, 'fi');
    const open = items.find((r) => r.supplements === fi.id);
    assert.ok(open, `the open answer supplements the score: ${JSON.stringify(items)}`);
    assert.equal(open.answers.open_improve, 'Hoitaja oli ystävällinen, mutta odotin 40 min.');
    assert.equal(open.channel, 'sms');
    assert.equal(open.touchpoint, TK_MERIKAUPUNKI.touchpoint);
    const sv = find(YHTEISPAIVYSTYS.touchpoint, 9);
    assert.ok(sv, 'the Swedish "nio" is stored as 9');
    assert.equal(sv.unit, YHTEISPAIVYSTYS.unit);
    assert.equal(sv.language, 'sv');
    const re = find(TK_KOIVULA.touchpoint, 8);
    assert.ok(re && re.unit === TK_KOIVULA.unit, 'the score after the re-prompt');
  });

  test('delivery reports reach Kaiku: every message handed over ends delivered', async () => {
    const handedOver = s.op.messages.length;
    const rows = await waitUntil(async () => {
      const r = await sqlite(s.dataDir, "select state, count(*) as n from outbox group by state");
      const by = Object.fromEntries(r.map((x) => [x.state, x.n]));
      return (by.delivered ?? 0) === handedOver && !by.sent && !by.sending ? by : undefined;
    }, { timeoutMs: 20000, what: `${handedOver} delivered outbox rows`,
      describe: async () => JSON.stringify(await sqlite(s.dataDir, 'select kind, state, attempts, last_dlr, last_detail from outbox')) });
    assert.equal(rows.failed ?? 0, 0);
    assert.equal(rows.uncertain ?? 0, 0);
    assert.ok((rows.cancelled ?? 0) >= 1, `the cancelled visit's message: ${JSON.stringify(rows)}`);
    assert.equal(s.op.receipts.length, s.op.submits.filter((p) => p.registeredDelivery & 1).length);
    assert.doesNotMatch(s.srv.output, /sms.*(dlr|delivery report).*(error|fail|not found)/i);
  });

  test('no phone number or identity code in answers, events, reports, export, tables or logs', async () => {
    const secrets = secretsOf(people);
    const where = {};
    where['GET /api/v1/responses'] = (await s.responsesWithText()).text;
    where['GET /api/v1/events'] = (await s.eventsWithText()).text;
    const token = await s.token('admin');
    for (const q of ['', 'group_by=touchpoint', 'group_by=unit', `unit=${TK_MERIKAUPUNKI.unit}`]) {
      const r = await s.srv.api('GET', `/api/v1/reports/indicators?${q}`, { token });
      assert.equal(r.status, 200, `reports ${q}: ${r.text}`);
      where[`GET /api/v1/reports/indicators?${q}`] = r.text;
    }
    for (const format of ['jsonl', 'csv']) {
      const r = await runKaiku(['export', '--data', s.dataDir, '--format', format], { timeoutMs: 120000 });
      assert.equal(r.code, 0, `kaiku export --format ${format}: ${r.stderr}`);
      assert.match(r.stdout, /sms/, `the export (${format}) has the sms answers`);
      where[`kaiku export --format ${format}`] = r.stdout;
    }
    where['sqlite3 select * from responses'] = JSON.stringify(await sqlite(s.dataDir, 'select * from responses'));
    where['sqlite3 select * from events'] = JSON.stringify(await sqlite(s.dataDir, 'select * from events'));
    where['sqlite3 .dump (every table)'] = await sqliteDump(s.dataDir, []);
    where['database file + WAL bytes'] = await databaseBytes(s.dataDir);
    where['kaiku serve stdout+stderr'] = s.srv.output;
    where['Kannel logs'] = await s.kannel.logs(1e9);
    const found = Object.entries(where).map(([k, text]) => [k, leaks(text, secrets)]).filter(([, l]) => l.length);
    // Kannel necessarily sees the numbers (it sends the SMS); report it apart.
    const ours = found.filter(([k]) => k !== 'Kannel logs');
    assert.deepEqual(ours, [], `personal data found: ${JSON.stringify(ours)}`);
    assert.ok(where['sqlite3 select * from responses'].includes('sms'), 'the responses table was read');
  });

  test('after the 14 reply days the numbers are gone from the contact store; a late reply is still stored, marked late', async () => {
    const p = story.reusedId.person;   // invited, never answered
    assert.equal(s.messagesTo(p.phone).length, 1);
    const contactsBefore = (await sqlite(s.dataDir, 'select count(*) as n from contacts'))[0].n;
    assert.ok(contactsBefore > 0, 'contacts are kept while the dialogues run');
    await s.clock.advance(15 * 86400e3);
    // The purge runs at every start (and hourly on the server's clock).
    await s.srv.stop();
    await s.srv.restart();
    const contactsAfter = (await sqlite(s.dataDir, 'select count(*) as n from contacts'))[0].n;
    assert.equal(contactsAfter, 0, 'every sealed number is deleted after reply_days');
    await s.op.reply(p.phone, s.messagesTo(p.phone)[0].from, '6');
    const late = await waitUntil(async () => {
      const rows = await sqlite(s.dataDir, 'select id from responses where late = 1');
      return rows.length ? rows : undefined;
    }, { timeoutMs: 15000, what: 'a response marked late', describe: () => s.context() });
    assert.equal(late.length, 1);
    const { items } = await s.responsesWithText({ channel: 'sms' });
    const r = items.find((x) => String(x.id) === String(late[0].id));
    assert.ok(r, 'the late answer is listed');
    assert.equal(r.answers.nps, 6);
    assert.equal(r.touchpoint, TK_MERIKAUPUNKI.touchpoint);
    await s.settle(1000);
    assert.equal(s.messagesTo(p.phone).length, 1, 'nothing is sent to a number that was deleted');
  });

  test('every message in ../shared/testdata/hl7v2 is acknowledged and recorded with a decision', { skip: existsSync(HL7_CORPUS) ? false : `${HL7_CORPUS} is absent` }, async () => {
    const files = [];
    const walk = (dir) => {
      for (const name of readdirSync(dir).sort()) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(HL7_CORPUS);
    // Message files: those whose text (after a byte-order mark) begins with MSH.
    const messages = files.filter((f) => /^\uFEFF?\s*MSH/.test(readFileSync(f, 'utf8')));
    assert.ok(messages.length >= 10, `HL7 files found: ${messages.length}`);
    const summary = [];
    for (const f of messages) {
      const bytes = readFileSync(f);
      const text = bytes.toString('utf8');
      const before = await s.events();
      const maxId = before.reduce((m, e) => Math.max(m, Number(e.id)), 0);
      const ackText = await s.hl7(text);
      const ack = parseAck(ackText);
      const rel = path.relative(HL7_CORPUS, f);
      assert.ok(['AA', 'AR'].includes(ack.code), `${rel}: ACK ${ack.code} ${ack.text}`);
      const mshId = /MSH\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|([^|\r\n]*)/.exec(text)?.[1];
      assert.equal(ack.controlId, mshId, `${rel}: MSA-2`);
      const fresh = (await s.events()).filter((e) => Number(e.id) > maxId);
      assert.equal(fresh.length, 1, `${rel}: one new event, got ${JSON.stringify(fresh)}`);
      const ev = fresh[0];
      assert.ok(DECISIONS.includes(ev.decision), `${rel}: decision ${ev.decision}`);
      assert.equal(ev.source, 'mllp');
      if (ev.decision === 'rejected') assert.ok(ev.detail, `${rel}: a rejected event says why`);
      if (ack.code === 'AR') assert.equal(ev.decision, 'rejected', `${rel}: AR means rejected`);
      summary.push(`${rel}: ${ack.code} ${ev.decision}(${ev.reasons.join(',')})`);
    }
    console.log(`# hl7v2 corpus:\n#   ${summary.join('\n#   ')}`);
  });
});

describe('the send moment over the wire: daylight-saving changes, quiet hours, late reports', { skip: smsSkip }, () => {
  let t;
  // The next changes of the clocks in Finland (last Sundays of March and October, at
  // 03:00/04:00 local time), both within a year, so that the CLI's tokens stay valid.
  const lastSunday = (year, month) => {
    for (let d = 31; ; d--) {
      const day = new Date(Date.UTC(year, month - 1, d));
      if (day.getUTCMonth() === month - 1 && day.getUTCDay() === 0) return d;
    }
  };
  const next = (month) => {
    const y = new Date().getUTCFullYear();
    for (const year of [y, y + 1]) {
      const d = lastSunday(year, month);
      if (helsinkiTime(year, month, d - 1, 8, 0) > Date.now() + 86400e3) return { year, d };
    }
    throw new Error('no daylight-saving change within a year');
  };
  const spring = next(3);
  const autumn = next(10);
  const pad = (n) => String(n).padStart(2, '0');

  before(async () => {
    const first = Math.min(helsinkiTime(spring.year, 3, spring.d - 1, 9, 0), helsinkiTime(autumn.year, 10, autumn.d - 1, 9, 0));
    t = await startSmsStack({ startTime: first });
  });
  after(async () => {
    await t?.stop();
  });

  async function a03(p, visitTime) {
    const id = controlId('D');
    const ack = parseAck(await t.hl7(adt({ person: p, unit: TK_MERIKAUPUNKI.code, visitId: `V-${id}`, visitTime, id })));
    assert.equal(ack.code, 'AA');
    const [ev] = await t.eventOf(id);
    assert.equal(ev.decision, 'scheduled', JSON.stringify(ev));
    return ev;
  }

  const springTests = () => {
    const { year: Y, d: D } = spring;
    test('a visit the day before summer time starts is sent at 12:00 summer time (09:00 UTC), never in quiet hours', async () => {
      await t.clock.set(helsinkiTime(Y, 3, D - 1, 9, 0));
      const p = person();
      const ev = await a03(p, helsinkiTime(Y, 3, D - 1, 8, 30));
      assert.equal(ev.send_at.slice(0, 19), `${Y}-03-${pad(D)}T09:00:00`, `send_at ${ev.send_at}`);
      // The day it is due, but only at 20:30 (quiet hours): nothing.
      await t.clock.set(helsinkiTime(Y, 3, D, 20, 30));
      await t.settle();
      assert.equal(t.messagesTo(p.phone).length, 0, 'no SMS in quiet hours');
      await t.clock.set(helsinkiTime(Y, 3, D + 1, 11, 0));
      await t.settle();
      assert.equal(t.messagesTo(p.phone).length, 0, 'no SMS before 12:00 the next day either');
      await t.clock.set(helsinkiTime(Y, 3, D + 1, 12, 5));
      await t.nthMessageTo(p.phone, 1);
    });

    test('a visit reported late goes at the next moment within sending hours', async () => {
      // Now 12:05, two days after the visit: send at once.
      await t.clock.set(helsinkiTime(Y, 3, D + 1, 12, 5));
      const now = t.clock.now();
      const ev = await a03(person(), helsinkiTime(Y, 3, D - 1, 8, 30));
      const at = Date.parse(ev.send_at);
      assert.ok(at >= now - 120e3 && at <= now + 120e3, `send_at ${ev.send_at} is about now (${new Date(now).toISOString()})`);
      // Reported at 21:00 (quiet hours) the day after the visit: the next day at 12:00.
      await t.clock.set(helsinkiTime(Y, 3, D + 1, 21, 0));
      const late = await a03(person(), helsinkiTime(Y, 3, D, 8, 0));
      assert.equal(Date.parse(late.send_at), helsinkiTime(Y, 3, D + 2, 12, 0), `send_at ${late.send_at}`);
    });
  };

  const autumnTests = () => {
    const { year: Y, d: D } = autumn;
    test('a visit the day before winter time is sent at 12:00 winter time (10:00 UTC)', async () => {
      await t.clock.set(helsinkiTime(Y, 10, D - 1, 9, 0));
      const p = person();
      const ev = await a03(p, helsinkiTime(Y, 10, D - 1, 8, 30));
      assert.equal(ev.send_at.slice(0, 19), `${Y}-10-${pad(D)}T10:00:00`, `send_at ${ev.send_at}`);
      await t.clock.set(helsinkiTime(Y, 10, D, 11, 55));
      await t.settle();
      assert.equal(t.messagesTo(p.phone).length, 0);
      await t.clock.set(helsinkiTime(Y, 10, D, 12, 5));
      await t.nthMessageTo(p.phone, 1);
    });
  };

  // In calendar order, so that the server's clock only moves forward.
  if (spring.year * 12 + 3 < autumn.year * 12 + 10) {
    springTests();
    autumnTests();
  } else {
    autumnTests();
    springTests();
  }
});
