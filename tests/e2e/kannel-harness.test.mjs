// Proves the SMS harness with real Kannel alone (no Kaiku): the simulated operator
// (tests/lib/smpp-operator.mjs), bearerbox + smsbox (tests/lib/kannel.mjs) and a small
// HTTP server here standing in for Kaiku's MO and DLR endpoints. Skipped when Kannel is
// not installed.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { BEARERBOX, kannelAvailable, startKannel } from '../lib/kannel.mjs';
import { startOperator } from '../lib/smpp-operator.mjs';

const PHONE = '+358401234567';
const SERVICE_NUMBER = '16100';

// Records every request: {path, query: {name: value}, at}. waitFor(predicate) resolves
// with the first matching request (already seen or arriving within timeoutMs).
async function startReceiver() {
  const requests = [];
  const waiters = new Set();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), at: new Date() });
    for (const w of [...waiters]) w();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    requests,
    waitFor(predicate, timeoutMs = 15000) {
      const hit = requests.find(predicate);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const check = () => {
          const h = requests.find(predicate);
          if (!h) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(h);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: no matching request within ${timeoutMs} ms; got ${JSON.stringify(requests.map((r) => r.query))}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

const skip = kannelAvailable() ? false
  : `Kannel is not installed (${BEARERBOX} missing): apt-get install kannel, or scripts/install-deps.sh --test`;

describe('Kannel + simulated SMPP operator', { skip }, () => {
  let op;
  let kannel;
  let recv;

  before(async () => {
    recv = await startReceiver();
    op = await startOperator({ port: 0 });
    kannel = await startKannel({ smscPort: op.port, moUrl: `${recv.url}/sms/mo` });
  });

  after(async () => {
    try {
      await kannel?.stop();
    } finally {
      await op?.stop();
      await recv?.close();
    }
  });

  const dlrUrl = (ref) => `${recv.url}/dlr?ref=${ref}&status=%d`;

  test('Kannel binds to the operator as an SMPP transceiver', () => {
    assert.ok(op.online);
    assert.equal(op.binds[0].command, 'bind_transceiver');
    assert.equal(op.binds[0].systemId, 'kaiku');
  });

  test('UCS-2 text arrives exactly, and both delivery reports carry our own reference', async () => {
    const text = 'Hyvää päivää – €';
    const r = await kannel.send({ from: 'Kaiku', to: PHONE, text, coding: 2, charset: 'UTF-8', dlrMask: 31, dlrUrl: dlrUrl('abc') });
    assert.deepEqual(r, { status: 202, body: '0: Accepted for delivery' });
    const sms = await op.waitForMessage((m) => m.text === text);
    assert.equal(sms.to, PHONE);
    assert.equal(sms.from, 'Kaiku');
    assert.equal(sms.dataCoding, 8);
    assert.equal(sms.parts, 1);
    // Two callbacks: 8 = accepted by the SMSC, 1 = delivered (the operator's receipt).
    await recv.waitFor((q) => q.path === '/dlr' && q.query.ref === 'abc' && q.query.status === '8');
    await recv.waitFor((q) => q.path === '/dlr' && q.query.ref === 'abc' && q.query.status === '1');
  });

  test('GSM 7-bit keeps ä ö å € {} but turns an en dash into ?', async () => {
    const r = await kannel.send({ from: 'Kaiku', to: PHONE, text: 'Kiitos käynnistä – åäö € {gsm}', coding: 0 });
    assert.equal(r.body, '0: Accepted for delivery');
    const sms = await op.waitForMessage((m) => m.text.endsWith('{gsm}'));
    assert.equal(sms.text, 'Kiitos käynnistä ? åäö € {gsm}');
    assert.equal(sms.dataCoding, 0);
  });

  test('a 300-character GSM text is split by Kannel and reassembled by the operator', async () => {
    let text = '';
    for (let i = 0; text.length < 300; i++) text += `Osa ${i}: äö. `;
    text = text.slice(0, 299) + '!';
    assert.equal(text.length, 300);
    const r = await kannel.send({ from: 'Kaiku', to: PHONE, text, coding: 0, dlrMask: 31, dlrUrl: dlrUrl('long') });
    assert.equal(r.body, '0: Accepted for delivery');
    const sms = await op.waitForMessage((m) => m.text.startsWith('Osa 0:'));
    assert.equal(sms.text, text);
    assert.equal(sms.parts, 2);
    // Kannel asks for a receipt on the first part only, so one final DLR for the message.
    const parts = sms.messageIds.map((id) => op.submits.find((p) => p.messageId === id));
    assert.deepEqual(parts.map((p) => Boolean(p.registeredDelivery & 0x01)), [true, false]);
    await recv.waitFor((q) => q.query.ref === 'long' && q.query.status === '1');
    assert.equal(recv.requests.filter((q) => q.query.ref === 'long' && q.query.status === '1').length, 1);
  });

  test('a long UCS-2 text is reassembled too', async () => {
    const text = 'Miten onnistuimme – vastaa 0–10. '.repeat(5).trim();
    assert.ok(text.length > 70);
    await kannel.send({ from: 'Kaiku', to: PHONE, text, coding: 2 });
    const sms = await op.waitForMessage((m) => m.dataCoding === 8 && m.text.startsWith('Miten'));
    assert.equal(sms.text, text);
    assert.equal(sms.parts, Math.ceil(text.length / 67));
  });

  test('MO "9" from the phone reaches the get-url with the + prefix and the service number', async () => {
    assert.equal(await op.reply(PHONE, SERVICE_NUMBER, '9'), 0);
    const mo = await recv.waitFor((q) => q.path === '/sms/mo' && q.query.text === '9');
    assert.equal(mo.query.from, PHONE);
    assert.equal(mo.query.to, SERVICE_NUMBER);
    assert.equal(mo.query.smsc, 'opsim');
  });

  test('numbers: Kannel adds + only for international (TON 1) numbers and does not normalise', async () => {
    await op.reply('0401234567', SERVICE_NUMBER, 'kansallinen');
    const mo = await recv.waitFor((q) => q.query.text === 'kansallinen');
    assert.equal(mo.query.from, '0401234567');
    await kannel.send({ from: SERVICE_NUMBER, to: '0401234567', text: 'paikallinen' });
    const sms = await op.waitForMessage((m) => m.text === 'paikallinen');
    assert.equal(sms.to, '0401234567');
    assert.equal(sms.from, SERVICE_NUMBER);
  });

  test('MO texts in UCS-2, GSM and Latin-1 all arrive as UTF-8, spaces and newlines kept', async () => {
    await op.reply(PHONE, SERVICE_NUMBER, 'Yhdeksän', { coding: 8 });
    await recv.waitFor((q) => q.query.text === 'Yhdeksän');
    await op.reply(PHONE, SERVICE_NUMBER, 'Nio, tack! €', { coding: 0 });
    await recv.waitFor((q) => q.query.text === 'Nio, tack! €');
    await op.reply(PHONE, SERVICE_NUMBER, 'Hyvä  palvelu', { coding: 3 });
    await recv.waitFor((q) => q.query.text === 'Hyvä  palvelu');
    await op.reply(PHONE, SERVICE_NUMBER, '10  –  kiitos\nhyvä 😀', { coding: 8 });
    await recv.waitFor((q) => q.query.text === '10  –  kiitos\nhyvä 😀');
    // Kannel answers nothing itself (max-messages = 0): no submit_sm to the phone from MO.
    assert.equal(op.messages.filter((m) => m.to === PHONE && m.from === SERVICE_NUMBER).length, 0);
  });

  test('sendsms refuses a wrong password and an empty receiver', async () => {
    const bad = await kannel.send({ from: 'Kaiku', to: PHONE, text: 'x', password: 'wrong' });
    assert.equal(bad.status, 403);
    const empty = await kannel.send({ from: 'Kaiku', to: '', text: 'x' });
    assert.equal(empty.status, 400);
  });

  test('operator down: sendsms queues, and the message goes out once after it returns', async () => {
    await op.stop();
    await kannel.until(async () => !(await kannel.smscOnline()), 15000, 'SMSC link down');
    const text = 'Jonossa odottava viesti';
    const r = await kannel.send({ from: 'Kaiku', to: PHONE, text, coding: 0, dlrMask: 31, dlrUrl: dlrUrl('queued') });
    assert.deepEqual(r, { status: 202, body: '3: Queued for later delivery' });
    assert.equal(op.messages.filter((m) => m.text === text).length, 0);
    await op.start();
    await kannel.waitForSmsc();
    await op.waitForMessage((m) => m.text === text, 20000);
    await recv.waitFor((q) => q.query.ref === 'queued' && q.query.status === '1', 20000);
    assert.equal(op.messages.filter((m) => m.text === text).length, 1);
  });

  test('Kannel killed with a queued message: the store file keeps it across the restart', async () => {
    await op.stop();
    await kannel.until(async () => !(await kannel.smscOnline()), 15000, 'SMSC link down');
    const text = 'Säilötty viesti';
    const r = await kannel.send({ from: 'Kaiku', to: PHONE, text, coding: 0, dlrMask: 31, dlrUrl: dlrUrl('stored') });
    assert.equal(r.body, '3: Queued for later delivery');
    await kannel.kill();
    await kannel.start({ waitForSmsc: false });
    await op.start();
    await kannel.waitForSmsc();
    await op.waitForMessage((m) => m.text === text, 20000);
    await recv.waitFor((q) => q.query.ref === 'stored' && q.query.status === '1', 20000);
    assert.equal(op.messages.filter((m) => m.text === text).length, 1);
  });
});
