// The other two doors of visit events, end to end with real components: FHIR R4
// Encounters posted by fhir-kit-client (create, Bundle transaction and batch, retried
// POSTs, the official R4 examples) and CSV batches through `kaiku events import`,
// each ending in an SMS the next day after 12:00 (Kannel + SMPP operator sim), a reply
// and an answer with channel sms. Also the CSV error report and, on a copy of the demo
// model with consent required and a daily cap of 1, the no_consent and daily_cap
// reasons.
//
// Skipped when Kannel is not installed. Run:
//   KAIKU_BIN=$PWD/build/kaiku node --test --test-concurrency=1 tests/e2e/sms-fhir-csv.test.mjs
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, RESPONSE_KEY } from 'fhir-kit-client';
import { MODEL, REPO, runKaiku } from '../lib/server.mjs';
import {
  helsinkiDayAt, leaks, person, secretsOf, smsSkip, startSmsStack,
} from '../lib/sms-stack.mjs';

const OID = (n) => `1.2.246.10.99887766.10.${n}`;
const TK_MERIKAUPUNKI = { code: OID(11), unit: 'tk-merikaupunki', touchpoint: 'tk-vastaanotto-tekstiviesti' };
const TK_SALMELA = { code: OID(13), unit: 'tk-salmela', touchpoint: 'tk-vastaanotto-tekstiviesti' };
const YHTEISPAIVYSTYS = { code: OID(31), unit: 'yhteispaivystys', touchpoint: 'paivystys-tekstiviesti' };
const SALMELAN_PAIVYSTYS = { code: OID(32), unit: 'salmelan-paivystys', touchpoint: 'paivystys-tekstiviesti' };
const FHIR_EXAMPLES = path.resolve(REPO, '..', 'shared', 'testdata', 'fhir-r4-examples');
const VISIT_SYSTEM = 'urn:oid:1.2.246.10.99887766.99.1';   // the county's visit numbers (fictional)

let s;
let client;          // fhir-kit-client with the integration user's token
let visitTime;
const people = [];
const story = {};

function newPerson(opts) {
  const p = person(opts);
  people.push(p);
  return p;
}

const iso = (ms) => new Date(ms).toISOString();

function patientOf(p, id = 'pat') {
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ system: 'urn:oid:1.2.246.21', value: p.hetu }],
    name: [{ family: 'Testinen', given: ['Maija'] }],
    birthDate: p.birth,
    telecom: [{ system: 'phone', value: p.phone, use: 'mobile' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: p.language }] }, preferred: true }],
  };
}

// A finished Encounter with its Patient contained and the unit as the
// serviceProvider's identifier (an OID).
function encounterOf(p, place, { visitId, end = visitTime, status = 'finished', security } = {}) {
  const enc = {
    resourceType: 'Encounter',
    status,
    identifier: [{ system: VISIT_SYSTEM, value: visitId }],
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    contained: [patientOf(p)],
    subject: { reference: '#pat' },
    serviceProvider: { identifier: { system: 'urn:ietf:rfc:3986', value: `urn:oid:${place.code}` } },
    period: { start: iso(end - 3600e3), end: iso(end) },
  };
  if (security) enc.meta = { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: security }] };
  return enc;
}

let visitCounter = 0;
const newVisitId = () => `FV-${process.pid}-${++visitCounter}`;

async function maxEventId() {
  return (await s.events()).reduce((m, e) => Math.max(m, Number(e.id)), 0);
}

async function eventsAfter(id, params) {
  return (await s.events(params)).filter((e) => Number(e.id) > id);
}

// POST through fhir-kit-client; resolves {status, body} also for errors.
async function fhir(fn) {
  try {
    const body = await fn();
    return { status: body[RESPONSE_KEY]?.status, body };
  } catch (e) {
    if (!e.response) throw e;
    return { status: e.response.status, body: e.response.data };
  }
}

function assertOutcome(r, what) {
  assert.ok(r.status >= 400 && r.status < 500, `${what}: status ${r.status}`);
  assert.equal(r.body?.resourceType, 'OperationOutcome', `${what}: ${JSON.stringify(r.body)}`);
  assert.ok(Array.isArray(r.body.issue) && r.body.issue.length > 0, `${what}: issues`);
  for (const i of r.body.issue) {
    assert.ok(i.severity && i.code, `${what}: issue severity and code ${JSON.stringify(i)}`);
    assert.ok(typeof i.diagnostics === 'string' && i.diagnostics.length > 5, `${what}: diagnostics ${JSON.stringify(i)}`);
  }
}

const CSV_HEADER = 'source_system,event_id,event,visit_id,visit_time,unit_code_system,unit_code,visit_type,service,'
  + 'person_id,birth_date,age,mobile,language,municipality,non_disclosure,deceased,consent';

function csvRow({ p, id, visitId, place, time, event = 'completed', mobile, nonDisclosure = 'false', consent = '' }) {
  return ['SOSIAALI', id, event, visitId, iso(time), 'oid', place.code, '', '', p.hetu, p.birth, '',
    mobile ?? p.national, p.language, '091', nonDisclosure, 'false', consent].join(',');
}

// The data dir's model is the served one; the CLI writes into the same database.
async function importCsv(text, extraArgs = []) {
  const file = path.join(s.tmp, `events-${++visitCounter}.csv`);
  await writeFile(file, text);
  return runKaiku(['events', 'import', file, '--data', s.dataDir, ...extraArgs], { timeoutMs: 120000 });
}

describe('SMS survey after a FHIR Encounter and after a CSV batch', { skip: smsSkip }, () => {
  before(async () => {
    // The server starts on the system time: `kaiku events import` decides on the
    // system clock, so both must agree while the events come in.
    s = await startSmsStack({ startTime: Date.now() });
    visitTime = s.clock.now() - 30 * 60e3;
    const token = await s.token('integration');
    client = new Client({ baseUrl: `${s.srv.url}/fhir`, customHeaders: { authorization: `Bearer ${token}` } });
  });
  after(async () => {
    await s?.stop();
  });

  test('POST /fhir/Encounter with fhir-kit-client: 201, scheduled; the retried POST: 200, no second event', async () => {
    const p = newPerson({ language: 'fi' });
    const visitId = newVisitId();
    const body = encounterOf(p, TK_MERIKAUPUNKI, { visitId });
    const since = await maxEventId();
    const options = { headers: { 'if-none-exist': `identifier=${VISIT_SYSTEM}|${visitId}` } };
    const r = await fhir(() => client.create({ resourceType: 'Encounter', body, options }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const events = await eventsAfter(since);
    assert.equal(events.length, 1, JSON.stringify(events));
    const ev = events[0];
    story.fhir = { person: p, place: TK_MERIKAUPUNKI, event: ev };
    assert.equal(ev.source, 'fhir');
    assert.equal(ev.decision, 'scheduled', JSON.stringify(ev));
    assert.equal(ev.unit, TK_MERIKAUPUNKI.unit);
    assert.equal(ev.touchpoint, TK_MERIKAUPUNKI.touchpoint);
    assert.equal(Date.parse(ev.send_at), helsinkiDayAt(visitTime, 1, 12, 0));
    // The same POST again (a client retry): 200 and no second event that counts
    // (a duplicate is recorded, pointing at the first).
    const again = await fhir(() => client.create({ resourceType: 'Encounter', body, options }));
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body[RESPONSE_KEY]?.headers.get('location') ?? null, r.body[RESPONSE_KEY]?.headers.get('location') ?? null,
      'the retry answers with the first Location');
    const retryEvents = await eventsAfter(since);
    assert.deepEqual(retryEvents.map((e) => e.decision), ['scheduled', 'duplicate'], JSON.stringify(retryEvents));
    assert.equal(retryEvents[1].duplicate_of, ev.id);
  });

  test('an Encounter POSTed twice without If-None-Exist is recognised by Encounter.identifier', async () => {
    const p = newPerson({ language: 'fi' });
    const body = encounterOf(p, TK_SALMELA, { visitId: newVisitId() });
    const since = await maxEventId();
    const first = await fhir(() => client.create({ resourceType: 'Encounter', body }));
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const again = await fhir(() => client.create({ resourceType: 'Encounter', body }));
    assert.equal(again.status, 200, JSON.stringify(again.body));
    const events = await eventsAfter(since);
    assert.deepEqual(events.map((e) => e.decision), ['scheduled', 'duplicate'], JSON.stringify(events));
    story.fhirNoHeader = { person: p, place: TK_SALMELA };
    // An update of the same visit (in-progress -> finished) is a new event, not a retry.
    const p2 = newPerson();
    const visitId = newVisitId();
    const since2 = await maxEventId();
    const r1 = await fhir(() => client.create({ resourceType: 'Encounter', body: encounterOf(p2, TK_SALMELA, { visitId, status: 'in-progress' }) }));
    assert.equal(r1.status, 201, JSON.stringify(r1.body));
    const r2 = await fhir(() => client.create({ resourceType: 'Encounter', body: encounterOf(p2, TK_SALMELA, { visitId }) }));
    assert.equal(r2.status, 201, JSON.stringify(r2.body));
    const ev2 = await eventsAfter(since2);
    assert.deepEqual(ev2.map((e) => [e.trigger, e.decision]), [['in-progress', 'excluded'], ['finished', 'scheduled']], JSON.stringify(ev2));
    assert.deepEqual(ev2[0].reasons, ['not_completed']);
    story.fhirUpdated = { person: p2, place: TK_SALMELA };
  });

  test('a transaction Bundle (Patient, Organization, Encounter by urn:uuid) and a batch with one bad entry', async () => {
    const p = newPerson({ language: 'sv' });
    const since = await maxEventId();
    const pat = patientOf(p, undefined);
    delete pat.id;
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:7d2d7a4e-1b1c-4b8e-9c55-0c1f3a9f0001', resource: pat, request: { method: 'POST', url: 'Patient' } },
        {
          fullUrl: 'urn:uuid:7d2d7a4e-1b1c-4b8e-9c55-0c1f3a9f0002',
          resource: { resourceType: 'Organization', identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:oid:${YHTEISPAIVYSTYS.code}` }], name: 'Yhteispäivystys' },
          request: { method: 'POST', url: 'Organization' },
        },
        {
          fullUrl: 'urn:uuid:7d2d7a4e-1b1c-4b8e-9c55-0c1f3a9f0003',
          resource: {
            resourceType: 'Encounter', status: 'finished',
            identifier: [{ system: VISIT_SYSTEM, value: newVisitId() }],
            class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
            subject: { reference: 'urn:uuid:7d2d7a4e-1b1c-4b8e-9c55-0c1f3a9f0001' },
            serviceProvider: { reference: 'urn:uuid:7d2d7a4e-1b1c-4b8e-9c55-0c1f3a9f0002' },
            period: { start: iso(visitTime - 7200e3), end: iso(visitTime) },
          },
          request: { method: 'POST', url: 'Encounter' },
        },
      ],
    };
    const r = await fhir(() => client.transaction({ body: bundle }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.resourceType, 'Bundle');
    assert.equal(r.body.type, 'transaction-response');
    assert.equal(r.body.entry?.length, 3, JSON.stringify(r.body));
    for (const e of r.body.entry) assert.match(e.response?.status ?? '', /^2\d\d/, JSON.stringify(e));
    const events = await eventsAfter(since);
    assert.equal(events.length, 1, JSON.stringify(events));
    assert.equal(events[0].decision, 'scheduled', JSON.stringify(events[0]));
    assert.equal(events[0].unit, YHTEISPAIVYSTYS.unit);
    story.bundle = { person: p, place: YHTEISPAIVYSTYS, event: events[0] };
    // The same transaction again: no second event.
    const again = await fhir(() => client.transaction({ body: bundle }));
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal((await eventsAfter(since)).filter((e) => e.decision === 'scheduled').length, 1);

    // A batch: a good Encounter and one without status. The good one is taken.
    const good = newPerson();
    const sinceBatch = await maxEventId();
    const bad = encounterOf(newPerson(), TK_SALMELA, { visitId: newVisitId() });
    delete bad.status;
    const batch = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: encounterOf(good, TK_SALMELA, { visitId: newVisitId() }), request: { method: 'POST', url: 'Encounter' } },
        { resource: bad, request: { method: 'POST', url: 'Encounter' } },
      ],
    };
    const b = await fhir(() => client.batch({ body: batch }));
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.equal(b.body.type, 'batch-response');
    assert.match(b.body.entry[0].response.status, /^20[01]/);
    assert.match(b.body.entry[1].response.status, /^4\d\d/);
    assert.equal(b.body.entry[1].response.outcome?.resourceType, 'OperationOutcome', JSON.stringify(b.body.entry[1]));
    assert.match(JSON.stringify(b.body.entry[1].response.outcome), /status/);
    const batchEvents = await eventsAfter(sinceBatch);
    assert.ok(batchEvents.some((e) => e.decision === 'scheduled' && e.unit === TK_SALMELA.unit), JSON.stringify(batchEvents));
    story.batch = { person: good, place: TK_SALMELA };
  });

  test('FHIR eligibility: a restricted label is turvakielto, a deceased patient is excluded', async () => {
    const since = await maxEventId();
    const r1 = await fhir(() => client.create({ resourceType: 'Encounter', body: encounterOf(newPerson(), TK_MERIKAUPUNKI, { visitId: newVisitId(), security: 'R' }) }));
    assert.equal(r1.status, 201, JSON.stringify(r1.body));
    const dead = encounterOf(newPerson(), TK_MERIKAUPUNKI, { visitId: newVisitId() });
    dead.contained[0].deceasedBoolean = true;
    const r2 = await fhir(() => client.create({ resourceType: 'Encounter', body: dead }));
    assert.equal(r2.status, 201, JSON.stringify(r2.body));
    const events = await eventsAfter(since);
    assert.deepEqual(events.map((e) => [e.decision, e.reasons]), [['excluded', ['turvakielto']], ['excluded', ['deceased']]]);
  });

  test('every example in ../shared/testdata/fhir-r4-examples is accepted or refused with an OperationOutcome', { skip: existsSync(FHIR_EXAMPLES) ? false : `${FHIR_EXAMPLES} is absent` }, async () => {
    const files = (await readdir(FHIR_EXAMPLES)).filter((f) => f.endsWith('.json')).sort();
    assert.ok(files.length >= 5);
    const summary = [];
    for (const f of files) {
      const body = JSON.parse(await readFile(path.join(FHIR_EXAMPLES, f), 'utf8'));
      const since = await maxEventId();
      const isBundle = f.startsWith('Bundle-');
      const r = await fhir(() => (isBundle ? client.transaction({ body }) : client.create({ resourceType: 'Encounter', body })));
      if (f.startsWith('Patient-')) {
        assertOutcome(r, `${f} posted to /fhir/Encounter`);
        assert.match(JSON.stringify(r.body), /Encounter/, `${f}: the outcome says an Encounter was expected`);
      } else if (r.status >= 400) {
        assertOutcome(r, f);
      } else {
        assert.ok([200, 201].includes(r.status), `${f}: status ${r.status}`);
        const events = await eventsAfter(since);
        if (f.startsWith('Encounter-')) {
          assert.ok(events.length === 1 || r.status === 200, `${f}: one event: ${JSON.stringify(events)}`);
          for (const e of events) assert.ok(['scheduled', 'excluded', 'unmapped', 'duplicate'].includes(e.decision), `${f}: ${e.decision}`);
        }
      }
      const events = await eventsAfter(since);
      summary.push(`${f}: ${r.status} ${r.status >= 400 ? (r.body.issue ?? []).map((i) => i.diagnostics).join(' | ').slice(0, 160)
        : events.map((e) => `${e.decision}(${e.reasons.join(',')})`).join(' ')}`);
    }
    console.log(`# fhir-r4-examples:\n#   ${summary.join('\n#   ')}`);
  });

  test('malformed requests get an OperationOutcome, and no token gets 401', async () => {
    const r = await s.srv.api('POST', '/fhir/Encounter', { token: await s.token('integration'), rawBody: '{"resourceType": "Encounter", "status": ', headers: { 'content-type': 'application/fhir+json' } });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body?.resourceType, 'OperationOutcome', r.text);
    const anon = await s.srv.api('POST', '/fhir/Encounter', { body: encounterOf(newPerson(), TK_MERIKAUPUNKI, { visitId: newVisitId() }) });
    assert.equal(anon.status, 401, anon.text);
    const staff = await s.srv.api('POST', '/fhir/Encounter', { token: await s.token('analyst'), body: encounterOf(newPerson(), TK_MERIKAUPUNKI, { visitId: newVisitId() }) });
    assert.equal(staff.status, 403, `an analyst may not post events: ${staff.text}`);
  });

  test('a CSV batch through `kaiku events import`: a line per row, a summary, scheduled events', async () => {
    const fi = newPerson({ language: 'fi' });
    const sv = newPerson({ language: 'sv' });
    const turva = newPerson();
    const since = await maxEventId();
    const csv = [CSV_HEADER,
      csvRow({ p: fi, id: 'r1', visitId: 'CV-1', place: SALMELAN_PAIVYSTYS, time: visitTime }),
      csvRow({ p: sv, id: 'r2', visitId: 'CV-2', place: TK_SALMELA, time: visitTime }),
      csvRow({ p: turva, id: 'r3', visitId: 'CV-3', place: TK_SALMELA, time: visitTime, nonDisclosure: 'kyllä' }),
    ].join('\r\n') + '\r\n';
    const r = await importCsv(csv);
    assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^line 2: event \d+ scheduled$/m);
    assert.match(r.stdout, /^line 3: event \d+ scheduled$/m);
    assert.match(r.stdout, /^line 4: event \d+ excluded \(turvakielto\)$/m);
    assert.match(r.stdout, /rows=3 recorded=3 row_errors=0/);
    assert.deepEqual(leaks(r.stdout + r.stderr, secretsOf([fi, sv, turva])), [], 'the CLI prints no personal data');
    const events = await eventsAfter(since, { source: 'csv' });
    assert.deepEqual(events.map((e) => [e.decision, e.unit]),
      [['scheduled', SALMELAN_PAIVYSTYS.unit], ['scheduled', TK_SALMELA.unit], ['excluded', TK_SALMELA.unit]]);
    // CSV and FHIR message ids may carry personal data: only a keyed hash is kept.
    for (const e of events) assert.match(e.message_id, /^h:[0-9a-f]{32}$/, 'a keyed hash, not the row id');
    assert.equal(new Set(events.map((e) => e.message_id)).size, 3, 'one id per row');
    for (const e of events.slice(0, 2)) assert.equal(Date.parse(e.send_at), helsinkiDayAt(visitTime, 1, 12, 0));
    story.csvFi = { person: fi, place: SALMELAN_PAIVYSTYS };
    story.csvSv = { person: sv, place: TK_SALMELA };
    // The same file again: every row a duplicate, nothing new scheduled.
    const again = await importCsv(csv);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /duplicate=3/);
  });

  test('a CSV with bad rows: errors on stderr name the line and column, the good rows are recorded, exit 2', async () => {
    const ok = newPerson();
    const lines = [CSV_HEADER,
      csvRow({ p: ok, id: 'b1', visitId: 'BV-1', place: TK_MERIKAUPUNKI, time: visitTime }),
      csvRow({ p: newPerson(), id: 'b2', visitId: 'BV-2', place: TK_MERIKAUPUNKI, time: visitTime }).replace(/,\d{4}-\d\d-\d\dT[^,]*,oid,/, ',eilen,oid,'),
      csvRow({ p: newPerson(), id: 'b3', visitId: 'BV-3', place: TK_MERIKAUPUNKI, time: visitTime, mobile: 'soita minulle' }),
      csvRow({ p: newPerson(), id: 'b4', visitId: 'BV-4', place: TK_MERIKAUPUNKI, time: visitTime, consent: 'ehkä' }),
      'SOSIAALI,b5,completed,BV-5',
    ];
    const secrets = secretsOf(people);
    const r = await importCsv(lines.join('\n') + '\n');
    assert.equal(r.code, 2, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /:3: visit_time: /);
    assert.match(r.stderr, /:4: mobile: /);
    assert.match(r.stderr, /:5: consent: /);
    assert.match(r.stderr, /:6(: [a-z_]+)?: .*(column|field|expected)/i);
    assert.match(r.stdout, /^line 2: event \d+ scheduled$/m);
    assert.match(r.stdout, /rows=5 recorded=1 row_errors=4/);
    assert.deepEqual(leaks(r.stderr + r.stdout, secrets), [], 'the error report repeats no personal data');
    assert.doesNotMatch(r.stderr, /soita minulle|eilen|ehkä/, 'errors never repeat a cell value');
    // The bad rows are kept as rejected events with their reason.
    const rejected = (await s.events({ source: 'csv', decision: 'rejected' })).filter((e) => /line [3-6]/.test(e.detail ?? ''));
    assert.equal(rejected.length, 4, JSON.stringify(rejected));
    story.csvOk = { person: ok, place: TK_MERIKAUPUNKI };
  });

  test('next day: nothing at 11:00; at 12:05 the FHIR and CSV patients get their SMS; replies become answers', async () => {
    const who = ['fhir', 'fhirNoHeader', 'fhirUpdated', 'bundle', 'batch', 'csvFi', 'csvSv', 'csvOk'];
    await s.clock.set(helsinkiDayAt(visitTime, 1, 11, 0));
    await s.settle();
    assert.deepEqual(s.op.messages.map((m) => m.to), [], 'no SMS before 12:00');
    await s.clock.set(helsinkiDayAt(visitTime, 1, 12, 5));
    for (const k of who) await s.nthMessageTo(story[k].person.phone, 1);
    const svText = s.messagesTo(story.bundle.person.phone)[0].text;
    assert.match(svText, /Tack för ditt besök/, 'Swedish from Patient.communication');
    assert.match(s.messagesTo(story.csvSv.person.phone)[0].text, /Tack för ditt besök/, 'Swedish from the CSV language column');
    assert.match(s.messagesTo(story.fhir.person.phone)[0].text, /Kiitos käynnistäsi/);
    // The CSV number was national (0…): sent in international form.
    assert.equal(s.messagesTo(story.csvFi.person.phone)[0].to, story.csvFi.person.phone);
    // Dialogues: the FHIR patient and the CSV patient answer.
    for (const [k, score, comment] of [['fhir', '9', 'Lääkäri kuunteli.'], ['csvFi', ' 10!', 'Nopea palvelu.'], ['bundle', 'sju', 'Lång väntetid.']]) {
      const p = story[k].person;
      const invite = s.messagesTo(p.phone)[0];
      await s.op.reply(p.phone, invite.from, score);
      await s.nthMessageTo(p.phone, 2);
      await s.op.reply(p.phone, invite.from, comment);
      await s.nthMessageTo(p.phone, 3);
    }
    // A score with a comment after it ("9/10 bra bemötande") needs no follow-up: thanks at once.
    const sv = story.csvSv.person;
    await s.op.reply(sv.phone, s.messagesTo(sv.phone)[0].from, '9/10 bra bemötande');
    const svThanks = await s.nthMessageTo(sv.phone, 2);
    assert.match(svThanks.text, /Tack för din respons/);
    const { items, text } = await s.responsesWithText({ channel: 'sms' });
    const expect = [[story.fhir, 9, 'Lääkäri kuunteli.'], [story.csvFi, 10, 'Nopea palvelu.'], [story.bundle, 7, 'Lång väntetid.'],
      [story.csvSv, 9, 'bra bemötande']];
    for (const [st, nps, comment] of expect) {
      const score = items.find((r) => r.touchpoint === st.place.touchpoint && r.unit === st.place.unit && r.answers.nps === nps);
      assert.ok(score, `answer nps ${nps} at ${st.place.unit}: ${JSON.stringify(items)}`);
      assert.equal(score.channel, 'sms');
      const open = items.find((r) => r.supplements === score.id);
      assert.equal(open?.answers?.open_improve, comment);
    }
    assert.deepEqual(leaks(text + (await s.eventsWithText()).text + s.srv.output, secretsOf(people)), [],
      'no phone number or identity code in responses, events or the server log');
  });
});

describe('no_consent and daily_cap over CSV on a model that requires consent and caps a touchpoint at 1 a day', () => {
  let dir;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kaiku-sms-model-'));
    await mkdir(path.join(dir, 'data'));
    await cp(MODEL, path.join(dir, 'model'), { recursive: true });
    const outreach = path.join(dir, 'model', 'outreach.yaml');
    const o = await readFile(outreach, 'utf8');
    assert.match(o, /consent_required: false/);
    await writeFile(outreach, o.replace('consent_required: false', 'consent_required: true'));
    const tpFile = path.join(dir, 'model', 'touchpoints.yaml');
    const t = await readFile(tpFile, 'utf8');
    assert.match(t, /sms: \{mode: reply, followup_question: open_improve, daily_cap: 300\}/);
    await writeFile(tpFile, t.replaceAll('sms: {mode: reply, followup_question: open_improve, daily_cap: 300}',
      'sms: {mode: reply, followup_question: open_improve, daily_cap: 1}'));
  });
  after(async () => {
    if (dir && !process.env.KAIKU_KEEP_DATA) await rm(dir, { recursive: true, force: true });
  });

  test('rows without consent are excluded no_consent; the second consenting row of the day is daily_cap', async () => {
    const time = Date.now() - 30 * 60e3;
    const [a, b, c] = [person(), person(), person()];
    const csv = [CSV_HEADER,
      csvRow({ p: a, id: 'c1', visitId: 'CC-1', place: TK_MERIKAUPUNKI, time }),
      csvRow({ p: b, id: 'c2', visitId: 'CC-2', place: TK_MERIKAUPUNKI, time, consent: 'kyllä' }),
      csvRow({ p: c, id: 'c3', visitId: 'CC-3', place: TK_SALMELA, time, consent: 'true' }),
    ].join('\n') + '\n';
    const file = path.join(dir, 'events.csv');
    await writeFile(file, csv);
    const r = await runKaiku(['events', 'import', file, '--data', path.join(dir, 'data'), '--model', path.join(dir, 'model')], { timeoutMs: 120000 });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^line 2: event \d+ excluded \(no_consent\)$/m);
    assert.match(r.stdout, /^line 3: event \d+ scheduled$/m);
    assert.match(r.stdout, /^line 4: event \d+ excluded \(daily_cap\)$/m);
  });
});
