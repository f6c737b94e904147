// The whole SMS stack for end-to-end tests of visit-triggered surveys, with real
// components: the simulated SMPP operator and phones (smpp-operator.mjs), Kannel's
// bearerbox + smsbox (kannel.mjs), and `kaiku serve` with its MLLP listener, /fhir,
// /sms callbacks and a steered clock (--clock-offset-file).
//
//   const s = await startSmsStack();            // operator, Kaiku, Kannel (in that order)
//   await s.clock.set(helsinkiTime(2026, 11, 26, 12, 5));   // the server's "now"
//   const ack = parseAck(await s.hl7(adt({...})));          // HL7 over MLLP (@medplum/hl7)
//   const sms = await s.op.waitForMessage((m) => m.to === person.phone);
//   await s.op.reply(person.phone, sms.from, '9');
//   const events = await s.events({ source: 'mllp' });
//   await s.stop();                              // everything, even after a failure
//
// Start order: Kaiku needs Kannel's sendsms URL and Kannel needs Kaiku's /sms/mo URL,
// so Kannel's sendsms port is chosen first (freePort) and passed to both.
// Also here: Finnish identity codes (henkilötunnus) with a valid check character, an
// HL7 v2 ADT builder, Europe/Helsinki wall-clock helpers, sqlite3 reads and a privacy
// scan (no phone number or identity code in a text).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, kannelAvailable, startKannel, BEARERBOX } from './kannel.mjs';
import { startOperator } from './smpp-operator.mjs';
import { openMllp, sendHl7 } from './mllp.mjs';
import { KaikuServer } from './server.mjs';

export const CALLBACK_KEY = 'e2e-sms-callback-key-0123456789abcdef';
export const KANNEL_USER = 'kaiku';
export const KANNEL_PASSWORD = 'sendsms-secret';
export const LINK_BASE = 'http://127.0.0.1:9';
// The sender of the demo model's LIFECARE rule (completed A03/A04, cancels A11...,
// unit codes are OIDs).
export const LIFECARE = ['LIFECARE', 'LANSIRANNIKKO'];

// node:test `skip` value for the SMS files: false, or why they cannot run.
export const smsSkip = kannelAvailable() ? false
  : `Kannel is not installed (${BEARERBOX} missing): apt-get install kannel, or scripts/install-deps.sh --test`;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `check` (sync or async) every `everyMs` until it returns a value other than
// undefined/false/null; throws after timeoutMs with describe()'s text.
export async function waitUntil(check, { timeoutMs = 20000, everyMs = 100, what = 'a condition', describe } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > deadline) {
      const extra = describe ? `\n${await describe()}` : '';
      throw new Error(`no ${what} within ${timeoutMs} ms${extra}`);
    }
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------
// Time in Europe/Helsinki.

const HELSINKI = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

// {y, m, d, hh, mm, ss} of the instant `ms` on the Helsinki wall clock.
export function helsinkiParts(ms) {
  const p = Object.fromEntries(HELSINKI.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), hh: Number(p.hour), mm: Number(p.minute), ss: Number(p.second) };
}

// The instant (ms) when the Helsinki wall clock shows y-m-d hh:mm (days may overflow:
// d = 32 is the next month). Helsinki is UTC+2 or UTC+3.
export function helsinkiTime(y, m, d, hh = 0, mm = 0) {
  const wall = Date.UTC(y, m - 1, d, hh, mm);   // Date.UTC normalises overflowing days
  const n = new Date(wall);
  for (const off of [3, 2]) {
    const t = wall - off * 3600e3;
    const p = helsinkiParts(t);
    if (p.y === n.getUTCFullYear() && p.m === n.getUTCMonth() + 1 && p.d === n.getUTCDate()
      && p.hh === hh && p.mm === mm) return t;
  }
  return wall - 2 * 3600e3;  // a wall time that does not exist (DST gap)
}

// The Helsinki day of `ms` plus `days`, at hh:mm (an instant in ms).
export function helsinkiDayAt(ms, days, hh, mm = 0) {
  const p = helsinkiParts(ms);
  return helsinkiTime(p.y, p.m, p.d + days, hh, mm);
}

// "YYYY-MM-DD" of the Helsinki day of `ms`.
export function helsinkiDate(ms) {
  const p = helsinkiParts(ms);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

// HL7 v2 TS in UTC with an explicit offset: YYYYMMDDHHMMSS+0000.
export function hl7Time(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}+0000`;
}

// The server's clock: system time + the milliseconds in a file Kaiku re-reads when it
// changes (kaiku serve --clock-offset-file). Written atomically (rename) so that
// the server never reads half a number.
export class SteeredClock {
  constructor(file) {
    this.file = file;
    this.offsetMs = 0;
  }

  // Server "now" in ms (as far as this process can tell).
  now() {
    return Date.now() + this.offsetMs;
  }

  async setOffset(ms) {
    this.offsetMs = Math.round(ms);
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${this.offsetMs}\n`);
    await rename(tmp, this.file);
    await sleep(20);   // distinct mtimes for successive writes
  }

  // Makes the server's clock read `ms` now.
  set(ms) {
    return this.setOffset(ms - Date.now());
  }

  // Moves the server's clock forward by `ms`.
  advance(ms) {
    return this.setOffset(this.offsetMs + ms);
  }
}

// ---------------------------------------------------------------------------------
// People.

const HETU_CHECK = '0123456789ABCDEFHJKLMNPRSTUVWXY';

// A henkilötunnus for `birth` ('YYYY-MM-DD') and the individual number (002..999;
// 900-999 are the numbers used for tests) with its check character.
export function hetu(birth, individual) {
  const [y, m, d] = birth.split('-').map(Number);
  const sign = y >= 2000 ? 'A' : y >= 1900 ? '-' : '+';
  const dd = String(d).padStart(2, '0');
  const mm = String(m).padStart(2, '0');
  const yy = String(y % 100).padStart(2, '0');
  const nnn = String(individual).padStart(3, '0');
  return `${dd}${mm}${yy}${sign}${nnn}${HETU_CHECK[Number(`${dd}${mm}${yy}${nnn}`) % 31]}`;
}

let personCounter = 0;
const runSalt = (process.pid * 7919 + Date.now()) % 9000;

// A fictional person with a unique identity code and mobile number. opts: birth
// ('YYYY-MM-DD', default an adult born 1950-1990), language ('fi'), name.
export function person(opts = {}) {
  const n = ++personCounter;
  const k = (runSalt * 37 + n * 131) % 14600;                   // spread over 40 years
  const birth = opts.birth ?? new Date(Date.UTC(1950, 0, 1) + k * 86400e3).toISOString().slice(0, 10);
  const individual = 900 + ((runSalt + n) % 100);
  const subscriber = `45${String((runSalt * 1000 + n) % 10000000).padStart(7, '0')}`;   // 9 digits, 045...
  return {
    birth,
    hetu: hetu(birth, individual),
    phone: `+358${subscriber}`,       // as Kannel reports it for an international (TON 1) number
    national: `0${subscriber}`,
    subscriber,
    language: opts.language ?? 'fi',
    name: opts.name ?? (opts.language === 'sv' ? 'Öberg^Åsa' : 'Testinen^Maija'),
  };
}

// The strings that must never appear outside the contact store for `people`.
export function secretsOf(people) {
  const out = [];
  for (const p of people) out.push(p.hetu, p.subscriber);
  return out;
}

// The secrets found in `text` (an empty list when none).
export function leaks(text, secrets) {
  return secrets.filter((s) => text.includes(s));
}

// ---------------------------------------------------------------------------------
// HL7 v2.

let controlCounter = 0;
// A message control id unique within this run.
export function controlId(prefix = 'K') {
  return `${prefix}${runSalt}${String(++controlCounter).padStart(5, '0')}`;
}

// One segment from fields[1..]: trailing empty fields dropped.
function segment(id, fields) {
  const f = [...fields];
  while (f.length > 1 && (f[f.length - 1] === '' || f[f.length - 1] === undefined)) f.pop();
  return `${id}|${f.slice(1).map((v) => v ?? '').join('|')}`;
}

// An ADT message as a Finnish patient-record system would send it. Options:
//   trigger ('A03'), id (MSH-10, default a fresh one), sender ([MSH-3, MSH-4]),
//   version ('2.5'), person (person()), phones (PID-13 repetitions; default the
//   person's mobile as an XTN with use PRN, equipment CP and the number in XTN.12;
//   [] for none), language (PID-15, default the person's), birth (PID-7 'YYYY-MM-DD'
//   or null), nonDisclosure (PD1-12 Y), deceased (PID-30 Y), unit (PV1-3.1 point of
//   care code), facility (PV1-3.4), patientClass (PV1-2 'O'), service (PV1-10),
//   visitId (PV1-19), visitTime (ms: PV1-45 discharge, PV1-44 one hour before),
//   eventTime (ms, default visitTime), segEnd ('\r').
export function adt(o) {
  const p = o.person;
  const trigger = o.trigger ?? 'A03';
  const [app, fac] = o.sender ?? LIFECARE;
  const ev = o.eventTime ?? o.visitTime ?? Date.now();
  const structure = { A03: 'ADT_A03', A01: 'ADT_A01', A04: 'ADT_A01', A08: 'ADT_A01', A11: 'ADT_A09', A13: 'ADT_A01' }[trigger] ?? 'ADT_A01';
  const msh = `MSH|^~\\&|${app}|${fac}|KAIKU|LANSIRANNIKKO|${hl7Time(ev)}||ADT^${trigger}^${structure}|`
    + `${o.id ?? controlId()}|P|${o.version ?? '2.5'}|||AL|NE|FIN|UNICODE UTF-8`;
  const evn = [];
  evn[1] = trigger;
  evn[2] = hl7Time(ev);
  const pid = [];
  pid[1] = '1';
  pid[3] = `${p.hetu}^^^1.2.246.21^NNFIN`;
  pid[5] = p.name;
  const birth = o.birth === undefined ? p.birth : o.birth;
  pid[7] = birth ? birth.replaceAll('-', '') : '';
  pid[8] = 'F';
  const phones = o.phones ?? [`^PRN^CP^^^^^^^^^${p.phone}`];
  pid[13] = phones.join('~');
  pid[15] = o.language === undefined ? p.language : o.language;
  if (o.deceased) {
    pid[29] = hl7Time(ev - 86400e3);
    pid[30] = 'Y';
  }
  const pd1 = [];
  pd1[12] = o.nonDisclosure ? 'Y' : 'N';
  const pv1 = [];
  pv1[1] = '1';
  pv1[2] = o.patientClass ?? 'O';
  pv1[3] = o.facility ? `${o.unit ?? ''}^^^${o.facility}` : (o.unit ?? '');
  pv1[10] = o.service ?? '';
  pv1[19] = o.visitId ?? '';
  if (o.visitTime !== undefined) {
    pv1[44] = hl7Time(o.visitTime - 3600e3);
    pv1[45] = trigger === 'A03' ? hl7Time(o.visitTime) : '';
  }
  const segs = [msh, segment('EVN', evn), segment('PID', pid), segment('PD1', pd1), segment('PV1', pv1)];
  return segs.join(o.segEnd ?? '\r') + (o.segEnd ?? '\r');
}

// ---------------------------------------------------------------------------------
// sqlite3 (the CLI) on the server's database.

// Runs `sql` read-only on DATA/kaiku.db and resolves the rows (sqlite3 -json).
export function sqlite(dataDir, sql) {
  return new Promise((resolve, reject) => {
    execFile('sqlite3', ['-readonly', '-json', path.join(dataDir, 'kaiku.db'), sql], { maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`sqlite3 ${JSON.stringify(sql)}: ${err.message}\n${stderr}`));
          return;
        }
        resolve(stdout.trim() ? JSON.parse(stdout) : []);
      });
  });
}

// The text dump (sqlite3 `.dump TABLE`) of `tables`.
export function sqliteDump(dataDir, tables) {
  return new Promise((resolve, reject) => {
    const cmds = tables.length ? tables.map((t) => `.dump ${t}`) : ['.dump'];
    execFile('sqlite3', ['-readonly', path.join(dataDir, 'kaiku.db'), ...cmds],
      { maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`sqlite3 .dump: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
  });
}

// The raw bytes of the database file and its WAL, as latin1 text (for substring search).
export async function databaseBytes(dataDir) {
  let s = '';
  for (const f of ['kaiku.db', 'kaiku.db-wal']) {
    const p = path.join(dataDir, f);
    if (existsSync(p)) s += (await readFile(p)).toString('latin1');
  }
  return s;
}

// ---------------------------------------------------------------------------------
// The stack.

class SmsStack {
  constructor() {
    this.op = null;
    this.kannel = null;
    this.srv = null;
    this.clock = null;
    this.tmp = null;
    this.tokens = {};
  }

  get dataDir() {
    return this.srv.dataDir;
  }

  // The server's arguments for SMS outreach.
  serveArgs() {
    return ['--mllp', '127.0.0.1:0',
      '--kannel-url', `http://127.0.0.1:${this.sendsmsPort}/cgi-bin/sendsms`,
      '--kannel-user', KANNEL_USER,
      '--kannel-password-env', 'KAIKU_KANNEL_PASSWORD',
      '--sms-callback-key', CALLBACK_KEY,
      '--clock-offset-file', this.clock.file,
      '--base-url', LINK_BASE,
      ...this.extraServeArgs];
  }

  // Sends one HL7 message on its own MLLP connection; resolves the ACK text.
  hl7(text, opts) {
    return sendHl7('127.0.0.1', this.srv.mllpPort, text, opts);
  }

  // A persistent MLLP connection (close it yourself).
  mllp(opts) {
    return openMllp('127.0.0.1', this.srv.mllpPort, opts);
  }

  // A bearer token of `role` (cached).
  async token(role = 'admin') {
    this.tokens[role] ??= await this.srv.token(role);
    return this.tokens[role];
  }

  // Every item of the paged list at `path` (all pages) with the query `params`;
  // also the page texts.
  async allPages(path, params = {}) {
    const token = await this.token('admin');
    const items = [];
    const texts = [];
    let cursor = null;
    for (let pages = 0; pages < 1000; pages++) {
      const q = new URLSearchParams({ limit: '1000', ...params });
      if (cursor) q.set('cursor', cursor);
      const r = await this.srv.api('GET', `${path}?${q}`, { token });
      if (r.status !== 200) throw new Error(`GET ${path}?${q} -> ${r.status} ${r.text}`);
      texts.push(r.text);
      items.push(...r.body.items);
      cursor = r.body.next_cursor;
      if (!cursor) break;
    }
    return { items, text: texts.join('\n') };
  }

  // Every event (all pages) with the query `params`; also the raw page texts.
  async eventsWithText(params = {}) {
    return this.allPages('/api/v1/events', params);
  }

  async events(params = {}) {
    return (await this.eventsWithText(params)).items;
  }

  // The event of the message with control id `messageId` (and sender), or undefined.
  async eventOf(messageId, sender = LIFECARE.join('^')) {
    const all = await this.events();
    return all.filter((e) => e.message_id === messageId && (sender === null || e.sender === sender));
  }

  // Every stored response (all pages) with the query `params`; also the page texts.
  async responsesWithText(params = {}) {
    return this.allPages('/api/v1/responses', params);
  }

  // Messages the operator received for `phone`.
  messagesTo(phone) {
    return this.op.messages.filter((m) => m.to === phone);
  }

  // Waits for the n-th (1-based) message to `phone`.
  nthMessageTo(phone, n, timeoutMs = 20000) {
    return this.op.waitFor(() => {
      const list = this.messagesTo(phone);
      return list.length >= n ? list[n - 1] : undefined;
    }, timeoutMs, `message #${n} to ${phone}`,
    () => `to that phone: ${JSON.stringify(this.messagesTo(phone).map((m) => m.text))}; ${this.op.messages.length} messages in all\n${this.srv.tail(3000)}`);
  }

  // A few dispatcher polls (200 ms each, real time) with a margin for slow builds.
  settle(ms = 1500) {
    return sleep(ms);
  }

  // Failure context: the server's output and Kannel's logs.
  async context() {
    return `${this.srv?.tail(6000) ?? ''}\n${this.kannel ? await this.kannel.logs(2000) : ''}`;
  }

  // Stops Kannel, the operator and the server and removes the temp dirs. Throws the
  // server's stop() error (non-zero exit, sanitizer report) after cleaning up.
  async stop() {
    let error = null;
    try {
      await this.kannel?.stop();
    } catch (e) {
      error ??= e;
    }
    try {
      await this.op?.stop();
    } catch (e) {
      error ??= e;
    }
    try {
      if (this.srv?.running) await this.srv.stop();
      else if (this.srv) {
        const report = this.srv.sanitizerReport();
        if (report) throw new Error(`sanitizer report from kaiku:\n${report}`);
      }
    } catch (e) {
      error ??= e;
    }
    try {
      await this.srv?.cleanup();
    } finally {
      if (this.tmp && !process.env.KAIKU_KEEP_DATA) await rm(this.tmp, { recursive: true, force: true });
    }
    if (error) throw error;
  }
}

// Starts the operator, Kaiku (fresh data dir unless `dataDir`) and Kannel. Options:
//   startTime: the server's clock at start (ms; default the system time)
//   listenPort: a fixed HTTP port (needed when the server is restarted: Kannel's
//               callback URLs must stay valid); default a free port chosen here
//   serveArgs: more `kaiku serve` arguments (e.g. ['--sms-rate', '50'])
//   kannel: more startKannel options (e.g. {httpRequestRetry: 30})
//   operator: startOperator options
//   model: the model path (default the demo)
// On failure everything started so far is stopped.
export async function startSmsStack(opts = {}) {
  const s = new SmsStack();
  try {
    s.tmp = await mkdtemp(path.join(tmpdir(), 'kaiku-sms-'));
    s.clock = new SteeredClock(path.join(s.tmp, 'clock-offset'));
    await s.clock.set(opts.startTime ?? Date.now());
    s.extraServeArgs = opts.serveArgs ?? [];
    s.op = await startOperator({ port: 0, ...(opts.operator ?? {}) });
    s.sendsmsPort = await freePort();
    const dataDir = opts.dataDir ?? path.join(s.tmp, 'data');
    const listenPort = opts.listenPort ?? await freePort();
    s.srv = new KaikuServer({
      dataDir,
      ownsDataDir: false,
      listen: `127.0.0.1:${listenPort}`,
      ...(opts.model ? { model: opts.model } : {}),
      extraArgs: s.serveArgs(),
      env: { KAIKU_KANNEL_PASSWORD: KANNEL_PASSWORD },
    });
    await s.srv.start();
    if (!s.srv.mllpPort) throw new Error(`kaiku serve printed no "mllp listening on" line\n${s.srv.tail()}`);
    s.kannel = await startKannel({
      smscPort: s.op.port,
      moUrl: `${s.srv.url}/sms/mo?key=${CALLBACK_KEY}&from=%p&to=%P&text=%b&id=%I`,
      sendsmsPort: s.sendsmsPort,
      user: KANNEL_USER,
      password: KANNEL_PASSWORD,
      logLevel: 1,
      ...(opts.kannel ?? {}),
    });
  } catch (e) {
    try {
      await s.stop();
    } catch {
      // the first error is the one to report
    }
    throw e;
  }
  return s;
}
