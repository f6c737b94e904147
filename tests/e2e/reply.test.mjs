// Replies to customers and alerts to managers, end to end on the real binary with
// real peers: an SMTP relay (npm smtp-server, messages parsed with mailparser) and
// the SMS stack (Kannel bearerbox + smsbox and the simulated SMPP operator).
//  - a detractor (NPS 0-6) who asks to be contacted raises an alert: the unit's
//    manager gets an e-mail naming the unit and linking to the case, without the
//    comment or the contact details;
//  - the manager replies by e-mail (arrives with the right From/To, UTF-8 intact) and
//    by SMS (arrives at the operator), and the case is answered;
//  - a reply to a case without a contact request is 409.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

import { apiSubmit } from '../lib/flows.mjs';
import { loadModel, newKey, surveyOf, touchpointFor, validApiAnswers } from '../lib/model.mjs';
import { runKaiku, issueToken } from '../lib/server.mjs';
import { helsinkiParts, helsinkiTime, smsSkip, sqlite, sqliteDump, startSmsStack, waitUntil } from '../lib/sms-stack.mjs';

const FROM_ADDRESS = 'palaute@hyvaks.example';
const FROM = `Keski-Suomen hyvinvointialue <${FROM_ADDRESS}>`;
const MANAGER_EMAIL = 'anna.manageri@hyvaks.example';
const CUSTOMER_EMAIL = 'maija.testinen@example.fi';
const CUSTOMER_PHONE = '+358457654321';

// An SMTP relay on a free loopback port that keeps every message it accepts.
async function startSmtp() {
  const mails = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            mailFrom: session.envelope.mailFrom && session.envelope.mailFrom.address,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            parsed,
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { mails, port: server.server.address().port, stop: () => new Promise((r) => server.close(r)) };
}

describe('replies and alerts', { skip: smsSkip }, () => {
  let smtp;
  let s;
  let model;
  let tp;
  let unit;
  let manager;
  let integration;
  let detractorCase;

  before(async () => {
    smtp = await startSmtp();
    // Early afternoon in Helsinki today: within SMS sending hours.
    const today = helsinkiParts(Date.now());
    s = await startSmsStack({
      startTime: helsinkiTime(today.y, today.m, today.d, 13, 0),
      serveArgs: ['--smtp-url', `smtp://127.0.0.1:${smtp.port}`, '--smtp-from', FROM],
    });
    model = await loadModel(s.srv);
    tp = touchpointFor(model, 'web', (sv, t) => t.units.length === 1 && sv.questions.some((q) => q.type === 'nps') &&
      sv.questions.some((q) => q.type === 'contact_request') && sv.questions.some((q) => q.type === 'open_text'));
    unit = tp.units[0];
    const add = await runKaiku(['user', 'add', '--data', s.srv.dataDir, '--login', 'anna', '--role', 'unit_manager',
      '--unit', unit, '--email', MANAGER_EMAIL, '--password-stdin'], { input: 'correct horse battery staple\n' });
    assert.equal(add.code, 0, add.stderr);
    manager = await issueToken(s.srv.dataDir, 'anna');
    integration = await s.srv.token('integration');
  });

  after(async () => {
    try {
      await s?.stop();
    } finally {
      await smtp?.stop();
    }
  });

  const mailsTo = (address) => smtp.mails.filter((m) => m.rcptTo.includes(address));

  test('a detractor asking for contact alerts the unit manager by e-mail, without the comment or contact', async () => {
    const survey = surveyOf(model, tp);
    const nps = survey.questions.find((q) => q.type === 'nps');
    const comment = `Odotin kaksi tuntia ${newKey().slice(0, 6)}`;
    assert.ok(nps);
    const answers = validApiAnswers(survey, { marker: comment });
    answers[nps.key] = 3;  // a detractor
    const body = {
      touchpoint: tp.id, channel: 'web', language: 'fi', respondent: 'self', unit, submission_key: newKey(), answers,
      contact: { name: 'Maija Testinen', phone: CUSTOMER_PHONE, email: CUSTOMER_EMAIL, consent: true },
    };
    const stored = await s.srv.api('POST', '/api/v1/responses', { token: integration, body });
    assert.equal(stored.status, 201, stored.text);
    detractorCase = stored.body.id;

    const got = await s.srv.api('GET', `/api/v1/cases/${detractorCase}`, { token: manager });
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.alert, true, got.text);
    assert.deepEqual([...got.body.can_reply].sort(), ['email', 'sms']);

    const mail = await waitUntil(() => mailsTo(MANAGER_EMAIL)[0], {
      what: `an alert e-mail to ${MANAGER_EMAIL}`,
      describe: async () => `${smtp.mails.length} mails: ${JSON.stringify(smtp.mails.map((m) => m.rcptTo))}\n${await s.context()}`,
    });
    assert.equal(mail.mailFrom, FROM_ADDRESS);
    assert.equal(mail.parsed.from.value[0].address, FROM_ADDRESS);
    assert.equal(mail.parsed.to.value[0].address, MANAGER_EMAIL);
    const unitName = model.units.find((u) => u.id === unit).name.fi;
    assert.match(mail.parsed.subject, /hälytys/);
    assert.ok(mail.parsed.subject.includes(unitName), mail.parsed.subject);
    assert.ok(mail.parsed.text.includes(`/app/cases/${detractorCase}`), mail.parsed.text);
    assert.ok(mail.parsed.text.includes('pyysi yhteydenottoa'), mail.parsed.text);
    for (const secret of [comment, CUSTOMER_EMAIL, CUSTOMER_PHONE, '457654321', 'Maija']) {
      assert.ok(!mail.parsed.text.includes(secret), `alert e-mail carries ${secret}`);
    }
    // Exactly one, even after more passes of the worker.
    await s.settle(2500);
    assert.equal(mailsTo(MANAGER_EMAIL).length, 1);
  });

  test('the manager replies by e-mail: From, To and UTF-8 text arrive intact', async () => {
    const take = await s.srv.api('POST', `/api/v1/cases/${detractorCase}/assign`, { token: manager, body: { user: 'me' } });
    assert.equal(take.status, 200, take.text);
    const text = 'Hyvä Maija,\nkiitos palautteestasi – pahoittelemme odotusta. Soitamme teille ensi viikolla.\n.\nÄäkköset: åäö ÅÄÖ € 🙂\nYstävällisin terveisin, Anna';
    const r = await s.srv.api('POST', `/api/v1/cases/${detractorCase}/reply`, { token: manager, body: { channel: 'email', text } });
    assert.equal(r.status, 202, r.text);
    assert.deepEqual(r.body, { reply: { channel: 'email', status: 'queued' } });
    const mail = await waitUntil(() => mailsTo(CUSTOMER_EMAIL)[0], {
      what: `a reply e-mail to ${CUSTOMER_EMAIL}`,
      describe: () => s.context(),
    });
    assert.equal(mail.mailFrom, FROM_ADDRESS);
    assert.deepEqual(mail.rcptTo, [CUSTOMER_EMAIL]);
    assert.equal(mail.parsed.from.value[0].name, 'Keski-Suomen hyvinvointialue');
    assert.equal(mail.parsed.from.value[0].address, FROM_ADDRESS);
    assert.equal(mail.parsed.to.value[0].address, CUSTOMER_EMAIL);
    assert.match(mail.parsed.subject, /^Vastaus palautteeseesi/);
    assert.ok(mail.parsed.messageId.includes('@hyvaks.example'), mail.parsed.messageId);
    // The whole text, byte for byte (line breaks as sent), the lone dot line included.
    assert.ok(mail.parsed.text.replace(/\r\n/g, '\n').startsWith(text), JSON.stringify(mail.parsed.text));
    const after = await s.srv.api('GET', `/api/v1/cases/${detractorCase}`, { token: manager });
    assert.equal(after.body.status, 'answered', after.text);
    assert.ok(after.body.history.some((h) => h.kind === 'reply'), after.text);
  });

  test('the manager replies by SMS: it reaches the phone through Kannel', async () => {
    const text = 'Hei Maija, soitamme huomenna klo 10 – terveisin Anna, terveysasema';
    const r = await s.srv.api('POST', `/api/v1/cases/${detractorCase}/reply`, { token: manager, body: { channel: 'sms', text } });
    assert.equal(r.status, 202, r.text);
    assert.deepEqual(r.body, { reply: { channel: 'sms', status: 'queued' } });
    const sms = await s.nthMessageTo(CUSTOMER_PHONE, 1);
    assert.equal(sms.text, text.replace('–', '-'));
    // The operator's delivery receipt comes back through Kannel's dlr-url.
    await waitUntil(async () => {
      const rows = await sqlite(s.srv.dataDir, "SELECT state FROM outbox WHERE kind = 'reply'");
      return rows.length === 1 && rows[0].state === 'delivered';
    }, { what: 'the reply SMS delivered', describe: () => s.context() });
    // The outboxes hold neither the number, the address nor the texts in the clear
    // (sealed; the sent e-mail's address and body are deleted). The case keeps the
    // contact the customer left until it is closed, and its history the reply text.
    const dump = await sqliteDump(s.srv.dataDir, ['outbox', 'contacts', 'mail']);
    for (const secret of ['457654321', CUSTOMER_EMAIL, MANAGER_EMAIL, 'soitamme huomenna', 'pahoittelemme odotusta']) {
      assert.ok(!dump.includes(secret), `${secret} is in the outbox, contacts or mail table`);
    }
    const mailRows = await sqlite(s.srv.dataDir, 'SELECT state, sealed_to IS NULL AS gone FROM mail');
    assert.ok(mailRows.length >= 2 && mailRows.every((m) => m.state === 'sent' && m.gone === 1), JSON.stringify(mailRows));
  });

  test('a reply without a contact request is 409; too long an SMS is 400', async () => {
    const survey = surveyOf(model, tp);
    const plain = await apiSubmit(s.srv, integration, tp, survey, { marker: `Hyvä palvelu ${newKey().slice(0, 6)}` });
    assert.equal(plain.status, 201, plain.text);
    const id = plain.body.id;
    const take = await s.srv.api('POST', `/api/v1/cases/${id}/assign`, { token: manager, body: { user: 'me' } });
    assert.equal(take.status, 200, take.text);
    for (const channel of ['sms', 'email']) {
      const r = await s.srv.api('POST', `/api/v1/cases/${id}/reply`, { token: manager, body: { channel, text: 'Kiitos' } });
      assert.equal(r.status, 409, r.text);
    }
    const long = await s.srv.api('POST', `/api/v1/cases/${detractorCase}/reply`, {
      token: manager, body: { channel: 'sms', text: 'x'.repeat(460) },
    });
    assert.equal(long.status, 400, long.text);
    assert.match(long.body.detail, /SMS parts/);
  });
});
