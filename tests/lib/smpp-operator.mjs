// A simulated mobile operator for end-to-end SMS tests: an SMPP 3.4 server (npm `smpp`)
// that Kannel's bearerbox binds to as a transceiver. It plays the operator's SMSC and the
// phones behind it:
//
//   const op = await startOperator({ port: 0 });      // 127.0.0.1, a free port
//   // ... Kannel connects to op.port (see tests/lib/kannel.mjs) ...
//   const sms = await op.waitForMessage((m) => m.to === '+358401234567', 10000);
//   sms.text;                                         // decoded, parts reassembled
//   await op.reply('+358401234567', '16100', '9');    // the phone answers (MO deliver_sm)
//   await op.stop();                                  // the operator goes down ...
//   await op.start();                                 // ... and comes back on the same port
//
// Each received submit_sm (or, for concatenated texts, each complete set of parts) becomes
// an entry of `op.messages`:
//   { to, from, text, at, messageIds, dataCoding, parts, registeredDelivery }
// `to`/`from` get a leading '+' when the address has TON 1 (international); alphanumeric
// senders (TON 5) are kept as they are. Texts are decoded from the reassembled octets
// (so an escape or surrogate pair split between parts survives): data_coding 0 and 1 as
// the GSM 03.38 default alphabet (one septet per octet, as Kannel sends them), 3 as
// Latin-1, 8 as UCS-2/UTF-16BE. Concatenation is recognised by the UDH information
// elements 0x00 (8-bit reference) and 0x08 (16-bit reference).
//
// Delivery reports: while `op.deliveryReports` is true (the default), every submit_sm
// that asks for one (registered_delivery bit 0 or 1 set — Kannel sets it when the
// dlr-mask asks for a final state) gets a deliver_sm receipt after `op.receiptDelayMs`:
// esm_class 0x04, text `id:<message id> sub:001 dlvrd:001 submit date:… done date:…
// stat:<op.receiptStatus> err:000 text:…`, plus the receipted_message_id and
// message_state TLVs. `op.receiptStatus` is 'DELIVRD' unless a test changes it
// (e.g. 'UNDELIV'). `op.receipts` lists the receipts sent.
//
// `op.rejectSubmits = status` makes the next submit_sm answers carry that SMPP error
// status (e.g. 0x58 ESME_RTHROTTLED) instead of accepting, until set back to 0.
//
// The server answers bind_transceiver/bind_transmitter/bind_receiver (any credentials
// unless `systemId`/`password` were given), enquire_link and unbind; anything else gets
// generic_nack.
import smpp from 'smpp';

// Raw short_message octets: the `smpp` package decodes short_message into {udh, message}
// while parsing; this wrapper keeps the undecoded octets on the PDU (non-enumerable) so
// that concatenated parts can be joined before decoding. Installed once per process.
const RAW = Symbol.for('kaiku.smpp.rawShortMessage');
(function keepRawShortMessage() {
  const filter = smpp.filters.message;
  if (filter[RAW]) return;
  const decode = filter.decode;
  filter.decode = function decodeKeepingRaw(value, skipUdh) {
    // Parameters (short_message) are filtered with one argument, TLVs with two.
    if (arguments.length === 1 && Buffer.isBuffer(value)) {
      Object.defineProperty(this, RAW, { value, enumerable: false, configurable: true });
    }
    return decode.call(this, value, skipUdh);
  };
  filter[RAW] = true;
})();

const ESM_UDHI = 0x40;
const ESM_RECEIPT = 0x04;
const TON_INTERNATIONAL = 1;
const TON_ALPHANUMERIC = 5;

// Message ids unique within this process (also across operator restarts, so that a
// late receipt never matches a message of an earlier run).
let nextMessageId = 100000 + Math.floor(Math.random() * 100000) * 1000;

// Decodes message octets of the given data_coding to a JS string.
export function decodeText(octets, dataCoding) {
  const dc = dataCoding ?? 0;
  // Data coding groups (GSM 03.38): 0x0X uses the low bits as the alphabet; 0xF0 class
  // group: bit 2 = 8-bit data, else GSM 7-bit.
  let alphabet;
  if ((dc & 0xf0) === 0xf0) alphabet = dc & 0x04 ? 'binary' : 'gsm';
  else if ((dc & 0xc0) === 0x00 || (dc & 0xc0) === 0x40) {
    const low = (dc & 0xc0) === 0x40 ? (dc & 0x0c) >> 2 : dc & 0x0f;
    if ((dc & 0xc0) === 0x40) alphabet = low === 2 ? 'ucs2' : low === 1 ? 'binary' : 'gsm';
    else alphabet = { 0: 'gsm', 1: 'gsm', 3: 'latin1', 4: 'binary', 8: 'ucs2' }[low] ?? 'binary';
  } else alphabet = 'binary';
  switch (alphabet) {
    case 'gsm':
      return smpp.gsmCoder.decode(octets, 0x00);
    case 'latin1':
      return Buffer.from(octets).toString('latin1');
    case 'ucs2': {
      const b = Buffer.from(octets);
      const even = b.length - (b.length % 2);
      return Buffer.from(b.subarray(0, even)).swap16().toString('utf16le');
    }
    default:
      return Buffer.from(octets).toString('latin1');
  }
}

// True when every character of `text` is in the GSM 03.38 default alphabet (incl. the
// extension table reached by escape).
export function isGsmText(text) {
  return smpp.gsmCoder.GSM.charRegex.test(text);
}

// Encodes `text` for a deliver_sm: {octets, dataCoding}. coding 'auto' picks GSM when
// the text fits the default alphabet, else UCS-2.
export function encodeText(text, coding = 'auto') {
  const dc = coding === 'auto' ? (isGsmText(text) ? 0 : 8) : coding;
  if (dc === 0 || dc === 1) return { octets: smpp.gsmCoder.encode(text, 0x00), dataCoding: 0 };
  if (dc === 3) return { octets: Buffer.from(text, 'latin1'), dataCoding: 3 };
  if (dc === 8) return { octets: Buffer.from(text, 'utf16le').swap16(), dataCoding: 8 };
  throw new Error(`encodeText: unsupported data_coding ${dc}`);
}

// Splits `octets` (with UDHI set) into {udh: [{iei, data}], body}.
function splitUdh(octets) {
  const udhl = octets[0];
  const ies = [];
  let i = 1;
  while (i + 1 < udhl + 1) {
    const iei = octets[i];
    const len = octets[i + 1];
    ies.push({ iei, data: octets.subarray(i + 2, i + 2 + len) });
    i += 2 + len;
  }
  return { udh: ies, body: octets.subarray(udhl + 1) };
}

// {ref, total, seq} from a concatenation IE, or null.
function concatInfo(udh) {
  for (const { iei, data } of udh) {
    if (iei === 0x00 && data.length === 3) return { ref: data[0], total: data[1], seq: data[2] };
    if (iei === 0x08 && data.length === 4) return { ref: data.readUInt16BE(0), total: data[2], seq: data[3] };
  }
  return null;
}

// An address with '+' when its TON says international.
function addressOf(addr, ton) {
  if (ton === TON_INTERNATIONAL && addr && !addr.startsWith('+')) return '+' + addr;
  return addr;
}

// SMPP address fields for a number: '+358…' → TON 1 (international) without the '+';
// digits only ('0401234567', '16100') → TON 0 (unknown); anything else ('Kaiku') →
// TON 5 (alphanumeric).
function smppAddress(number) {
  const s = String(number);
  if (s.startsWith('+')) return { addr: s.slice(1), ton: TON_INTERNATIONAL, npi: 1 };
  if (/^[0-9]+$/.test(s)) return { addr: s, ton: 0, npi: 1 };
  return { addr: s, ton: TON_ALPHANUMERIC, npi: 0 };
}

// YYMMDDhhmm in UTC, the date format of SMPP receipts.
function receiptDate(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

const MESSAGE_STATE = { DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, ACCEPTD: 6, UNKNOWN: 7, REJECTD: 8 };

class Operator {
  constructor({ port = 0, host = '127.0.0.1', deliveryReports = true, systemId = null, password = null,
    receiptDelayMs = 20, log = null } = {}) {
    this.host = host;
    this.port = port;
    this.deliveryReports = deliveryReports;
    this.receiptStatus = 'DELIVRD';
    this.receiptDelayMs = receiptDelayMs;
    this.rejectSubmits = 0;
    this.systemId = systemId;
    this.password = password;
    this.log = log;               // optional function(line) for tracing
    this.messages = [];           // complete MT messages (see header)
    this.submits = [];            // every submit_sm part: {messageId, to, from, dataCoding, esmClass, octets, at}
    this.receipts = [];           // receipts sent: {messageId, to, from, stat, at}
    this.mo = [];                 // MO messages injected: {from, to, text, dataCoding, at, status}
    this.binds = [];              // {command, systemId, at}
    this.server = null;
    this.sessions = new Set();
    this.bound = new Set();
    this.waiters = new Set();
    this.pendingParts = new Map();
    this.timers = new Set();
  }

  trace(line) {
    if (this.log) this.log(`[operator] ${line}`);
  }

  // Listens (again) on this.port (0 = pick a free one the first time). Resolves this.
  async start() {
    if (this.server) return this;
    const server = smpp.createServer((session) => this.onSession(session));
    server.on('error', (e) => this.trace(`server error: ${e.message}`));
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = server.address().port;
    this.trace(`listening on ${this.host}:${this.port}`);
    return this;
  }

  // Closes the listener and every connection (Kannel sees the link drop). Messages and
  // receipts seen so far are kept; start() brings the operator back on the same port.
  async stop() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const server = this.server;
    this.server = null;
    for (const s of this.sessions) s.destroy();
    this.sessions.clear();
    this.bound.clear();
    if (server) await new Promise((resolve) => server.close(() => resolve()));
    this.trace('stopped');
  }

  // True while a bound ESME (Kannel) is connected.
  get online() {
    return this.bound.size > 0;
  }

  // Resolves when an ESME is bound (at once if one is).
  waitForBind(timeoutMs = 20000) {
    return this.waitFor(() => (this.online ? true : undefined), timeoutMs, 'an SMPP bind');
  }

  // Resolves with the first message in `messages` (already there or arriving within
  // timeoutMs) for which predicate(message) is true; rejects with a list of what did
  // arrive otherwise.
  waitForMessage(predicate = () => true, timeoutMs = 15000) {
    return this.waitFor(() => this.messages.find(predicate), timeoutMs, 'a matching submit_sm',
      () => `messages so far: ${JSON.stringify(this.messages.map(({ to, from, text }) => ({ to, from, text })))}`);
  }

  // Generic wait: resolves with check()'s first non-undefined value.
  waitFor(check, timeoutMs, what, describe = () => '') {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          const v = check();
          if (v === undefined) return;
          clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          resolve(v);
        },
      };
      waiter.timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`operator: no ${what} within ${timeoutMs} ms; ${describe()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  notify() {
    for (const w of [...this.waiters]) w.check();
  }

  later(fn, ms) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  onSession(session) {
    this.sessions.add(session);
    session.on('error', (e) => this.trace(`session error: ${e.message}`));
    session.on('close', () => {
      this.sessions.delete(session);
      this.bound.delete(session);
    });
    const onBind = (pdu) => {
      const ok = (this.systemId === null || pdu.system_id === this.systemId)
        && (this.password === null || pdu.password === this.password);
      this.binds.push({ command: pdu.command, systemId: pdu.system_id, ok, at: new Date() });
      this.trace(`${pdu.command} system_id=${pdu.system_id} ${ok ? 'accepted' : 'refused'}`);
      if (!ok) {
        session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
        return;
      }
      session.send(pdu.response({ system_id: 'kaiku-operator-sim' }));
      this.bound.add(session);
      this.notify();
    };
    session.on('bind_transceiver', onBind);
    session.on('bind_transmitter', onBind);
    session.on('bind_receiver', onBind);
    session.on('enquire_link', (pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu) => {
      this.bound.delete(session);
      session.send(pdu.response(), () => session.close());
    });
    session.on('submit_sm', (pdu) => this.onSubmit(session, pdu));
    session.on('deliver_sm_resp', () => {});
    session.on('enquire_link_resp', () => {});
    session.on('unknown', (pdu) => session.send(pdu.response()));
    session.on('pdu', (pdu) => {
      const known = ['bind_transceiver', 'bind_transmitter', 'bind_receiver', 'enquire_link', 'unbind',
        'submit_sm', 'deliver_sm_resp', 'enquire_link_resp', 'unbind_resp', 'generic_nack', 'unknown'];
      if (!known.includes(pdu.command) && !pdu.isResponse()) {
        session.send(new smpp.PDU('generic_nack', { sequence_number: pdu.sequence_number,
          command_status: smpp.ESME_RINVCMDID }));
      }
    });
  }

  onSubmit(session, pdu) {
    if (!this.bound.has(session)) {
      session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
      return;
    }
    if (this.rejectSubmits) {
      this.trace(`submit_sm rejected with status ${this.rejectSubmits}`);
      session.send(pdu.response({ command_status: this.rejectSubmits }));
      return;
    }
    const messageId = String(nextMessageId++);
    session.send(pdu.response({ message_id: messageId }));
    const at = new Date();
    let octets = pdu[RAW] ?? Buffer.alloc(0);
    if (octets.length === 0 && pdu.message_payload) {
      // Text in the message_payload TLV (Kannel does this only when configured to).
      const mp = pdu.message_payload;
      octets = Buffer.isBuffer(mp) ? mp : Buffer.from(String(mp.message ?? ''), 'latin1');
    }
    const to = addressOf(pdu.destination_addr, pdu.dest_addr_ton);
    const from = addressOf(pdu.source_addr, pdu.source_addr_ton);
    const part = { messageId, to, from, dataCoding: pdu.data_coding, esmClass: pdu.esm_class,
      registeredDelivery: pdu.registered_delivery, octets: Buffer.from(octets), at };
    this.submits.push(part);
    this.trace(`submit_sm ${messageId} ${from} -> ${to} dc=${pdu.data_coding} esm=${pdu.esm_class} ${octets.length} octets`);

    let udh = [];
    let body = part.octets;
    if (pdu.esm_class & ESM_UDHI && body.length > 0) ({ udh, body } = splitUdh(body));
    const concat = concatInfo(udh);
    if (concat && concat.total > 1) {
      const key = `${from}|${to}|${concat.ref}|${concat.total}`;
      let set = this.pendingParts.get(key);
      if (!set) {
        set = new Map();
        this.pendingParts.set(key, set);
      }
      set.set(concat.seq, { ...part, body });
      if (set.size === concat.total) {
        this.pendingParts.delete(key);
        const parts = [...set.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
        this.addMessage(parts, Buffer.concat(parts.map((p) => p.body)));
      }
    } else {
      this.addMessage([{ ...part, body }], body);
    }

    if (this.deliveryReports && (pdu.registered_delivery & 0x03)) {
      this.later(() => this.sendReceipt(session, part), this.receiptDelayMs);
    }
  }

  addMessage(parts, octets) {
    const first = parts[0];
    const msg = {
      to: first.to,
      from: first.from,
      text: decodeText(octets, first.dataCoding),
      at: parts[parts.length - 1].at,
      messageIds: parts.map((p) => p.messageId),
      dataCoding: first.dataCoding,
      parts: parts.length,
      registeredDelivery: first.registeredDelivery,
    };
    this.messages.push(msg);
    this.trace(`message to ${msg.to}: ${JSON.stringify(msg.text)}`);
    this.notify();
  }

  sendReceipt(session, part) {
    if (!this.sessions.has(session)) return;
    const stat = this.receiptStatus;
    const now = new Date();
    const text = `id:${part.messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} `
      + `submit date:${receiptDate(part.at)} done date:${receiptDate(now)} stat:${stat} err:000 text:`;
    const src = smppAddress(part.to);
    const dst = smppAddress(part.from);
    session.deliver_sm({
      source_addr_ton: src.ton, source_addr_npi: src.npi, source_addr: src.addr,
      dest_addr_ton: dst.ton, dest_addr_npi: dst.npi, destination_addr: dst.addr,
      esm_class: ESM_RECEIPT,
      data_coding: 0,
      short_message: Buffer.from(text, 'ascii'),
      receipted_message_id: part.messageId,
      message_state: MESSAGE_STATE[stat] ?? MESSAGE_STATE.UNKNOWN,
    });
    this.receipts.push({ messageId: part.messageId, to: part.to, from: part.from, stat, at: now });
    this.trace(`receipt ${part.messageId} stat:${stat}`);
  }

  // A phone `fromPhone` ('+358401234567') sends `text` to `toNumber` (the service
  // number): a deliver_sm to the bound ESME. opts.coding: 'auto' (GSM if it fits, else
  // UCS-2), 0 (GSM), 3 (Latin-1) or 8 (UCS-2). Resolves with the deliver_sm_resp
  // command_status (0 = accepted); rejects when no ESME is bound within opts.timeoutMs.
  async reply(fromPhone, toNumber, text, { coding = 'auto', timeoutMs = 20000 } = {}) {
    await this.waitForBind(timeoutMs);
    const session = [...this.bound][0];
    const { octets, dataCoding } = encodeText(text, coding);
    if (octets.length > 254) throw new Error('operator.reply: text too long for one short_message');
    const src = smppAddress(fromPhone);
    const dst = smppAddress(toNumber);
    const entry = { from: fromPhone, to: toNumber, text, dataCoding, at: new Date(), status: null };
    this.mo.push(entry);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`operator.reply: no deliver_sm_resp within ${timeoutMs} ms`)), timeoutMs);
      const sent = session.deliver_sm({
        source_addr_ton: src.ton, source_addr_npi: src.npi, source_addr: src.addr,
        dest_addr_ton: dst.ton, dest_addr_npi: dst.npi, destination_addr: dst.addr,
        esm_class: 0,
        data_coding: dataCoding,
        short_message: octets,
      }, (resp) => {
        clearTimeout(timer);
        entry.status = resp.command_status;
        this.trace(`MO ${fromPhone} -> ${toNumber} ${JSON.stringify(text)} status ${resp.command_status}`);
        resolve(resp.command_status);
      });
      if (!sent) {
        clearTimeout(timer);
        reject(new Error('operator.reply: the SMPP connection is not writable'));
      }
    });
  }
}

// Starts the simulated operator; see the header for the API. Options: port (0 = free),
// host ('127.0.0.1'), deliveryReports (true), systemId/password (null = accept any),
// receiptDelayMs (20), log (function for a trace of PDUs).
export async function startOperator(opts = {}) {
  const op = new Operator(opts);
  await op.start();
  return op;
}
