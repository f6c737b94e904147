// Real Kannel (Debian `kannel` 1.4.5: /usr/sbin/bearerbox + /usr/sbin/smsbox) for
// end-to-end SMS tests, on loopback, bound as an SMPP 3.4 transceiver to the simulated
// operator of tests/lib/smpp-operator.mjs.
//
//   const op = await startOperator({ port: 0 });
//   const k = await startKannel({ smscPort: op.port, moUrl: `http://127.0.0.1:${p}/sms/mo` });
//   const r = await k.send({ from: 'Kaiku', to: '+358401234567', text: 'Hei', coding: 0,
//                            dlrMask: 31, dlrUrl: 'http://127.0.0.1:P/dlr?ref=abc&status=%d' });
//   r.status === 202 && r.body === '0: Accepted for delivery'
//   await k.stop();                       // GET /shutdown, then waits; kills on failure
//
// FINDINGS (Kannel 1.4.5 as packaged in Debian 12, measured with this harness and the
// operator sim; tests/e2e/kannel-harness.test.mjs checks each one marked [t])
// - Start: `bearerbox CONF`, then `smsbox CONF`, both in the foreground (the Debian init
//   script is not used), each spawned here in its own process group so that stop()/kill()
//   take the whole group. Ready (admin status.txt: smsbox "on-line", SMSC "online", the
//   sendsms port answering) ~0.3 s after spawn on this machine; the SMPP bind is at once.
// - Stop: GET /shutdown?password=… on the admin port; bearerbox tells smsbox to go and
//   both exit in 0.1-1.1 s. kill() (SIGKILL of both groups) stands for a crash.
// - Loopback only: `admin-interface`, `smsbox-interface`, `sendsms-interface` exist in
//   1.4.5 and take the address 127.0.0.1; `box-allow-ip`/`admin-allow-ip`/`user-allow-ip`
//   too.
// - sendsms: GET /cgi-bin/sendsms?username&password&from&to&text&charset=UTF-8&coding
//   &dlr-mask&dlr-url. Answers (status, body): 202 "0: Accepted for delivery" [t];
//   202 "3: Queued for later delivery" while the SMSC link is down [t] — delivered once
//   the link returns [t], also after bearerbox was SIGKILLed and restarted, thanks to
//   `store-type = file` [t]; 403 "Authorization failed for sendsms" [t]; 400 "Empty
//   receiver number not allowed, rejected" [t]. The link drop is noticed at once when the
//   operator closes the TCP connection; with `reconnect-delay = 1` the link is back
//   ~1 s after the operator listens again.
// - Numbers: `to=+358401234567` goes out as destination_addr 358401234567 with TON 1
//   (the sim shows it as '+358401234567'); '0401234567' and '00358…' go out as given with
//   TON 0 — Kannel does not normalise, so Kaiku must send E.164 with '+'. from=Kaiku is
//   sent alphanumeric (TON 5, source-addr-autodetect). Nothing here sets global-sender
//   (it would overwrite %P in MO URLs); pass from= on each send.
// - coding=0 (GSM 7-bit; Kannel sends one septet per octet, data_coding 0) keeps
//   ä ö å € { } but turns an en dash '–' into '?' [t]; coding=2 is UCS-2 (data_coding 8)
//   and keeps everything [t]. Long texts (`concatenation = true` and `max-messages` > 1
//   on the sendsms-user) go out as parts with an 8-bit-reference UDH (IEI 0x00), 153 GSM
//   or 67 UCS-2 characters per part [t].
// - DLRs: the dlr-url given per message (pass it as one query value; URLSearchParams
//   encodes it) is called twice with dlr-mask=31: %d=8 (SMSC accepted, %A = "ACK/") and
//   %d=1 (the final receipt; %A = the receipt text "id:… stat:DELIVRD …") [t]. %I (the
//   id) differs between the two calls, so correlate by your own reference in the URL.
//   For a concatenated text Kannel asks for a receipt on the first part only
//   (registered_delivery 0x11 on part 1, 0 on the others) and calls the dlr-url once
//   per state for the whole message [t].
// - MO: the `default` sms-service's get-url. A deliver_sm from TON 1 '358401234567'
//   arrives as %p = '+358401234567' (Kannel adds the '+' only for TON 1; TON 0 numbers
//   come as sent, e.g. '0401234567') [t]; %P = the number the phone sent to [t]. With
//   `mo-recode = true`, GSM, Latin-1 and UCS-2 (emoji too) all arrive as UTF-8, %c then
//   says 0 and %C 'UTF-8' [t]. Use %b (the text as sent, URL-encoded): %a squeezes runs
//   of spaces and newlines into one space and %k/%r split off the first word.
//   `max-messages = 0` on the service: Kannel sends nothing back whatever the get-url
//   answers [t]. DEFAULT_MO_QUERY below is appended to an moUrl without escapes.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BEARERBOX = process.env.KANNEL_BEARERBOX ?? '/usr/sbin/bearerbox';
export const SMSBOX = process.env.KANNEL_SMSBOX ?? '/usr/sbin/smsbox';

// True when the Kannel binaries are installed.
export function kannelAvailable() {
  return existsSync(BEARERBOX) && existsSync(SMSBOX);
}

// The query appended to a moUrl that has no Kannel escapes of its own: sender (with
// '+'), receiver, the text as sent (UTF-8 after mo-recode), coding, charset, Kannel time.
export const DEFAULT_MO_QUERY = 'from=%p&to=%P&text=%b&coding=%c&charset=%C&ts=%T&smsc=%i';

// Every process group started here, killed if the test process exits with them running
// (normal exit, or SIGINT/SIGTERM/SIGHUP: the boxes run in their own process groups, so a
// Ctrl-C on the terminal would not reach them; the signal is raised again afterwards).
const liveGroups = new Set();
const liveDirs = new Set();   // temp dirs of Kannel instances not yet cleaned up
function killLiveGroups() {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
  if (!process.env.KAIKU_KEEP_DATA) for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  liveDirs.clear();
}
process.on('exit', killLiveGroups);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    killLiveGroups();
    process.kill(process.pid, sig);
  });
}

// A TCP port that was free a moment ago on 127.0.0.1.
export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Quotes a value for kannel.conf.
function q(v) {
  return `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

// The kannel.conf text for the given settings.
export function kannelConf(c) {
  return `# written by tests/lib/kannel.mjs
group = core
admin-port = ${c.adminPort}
admin-interface = 127.0.0.1
admin-password = ${q(c.adminPassword)}
status-password = ${q(c.adminPassword)}
admin-allow-ip = "127.0.0.1"
smsbox-port = ${c.smsboxPort}
smsbox-interface = 127.0.0.1
box-allow-ip = "127.0.0.1"
log-file = ${q(path.join(c.dir, 'bearerbox.log'))}
log-level = ${c.logLevel}
access-log = ${q(path.join(c.dir, 'access.log'))}
store-type = file
store-location = ${q(path.join(c.dir, 'kannel.store'))}
store-dump-freq = 1
dlr-storage = internal
sms-resend-freq = 1
sms-resend-retry = -1

group = smsc
smsc = smpp
smsc-id = ${q(c.smscId)}
host = 127.0.0.1
port = ${c.smscPort}
transceiver-mode = true
smsc-username = ${q(c.smscUser)}
smsc-password = ${q(c.smscPassword)}
system-type = ""
interface-version = 34
reconnect-delay = ${c.reconnectDelay}
enquire-link-interval = 5
max-pending-submits = 10
source-addr-autodetect = true
${c.extraSmsc ?? ''}
group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${c.smsboxPort}
sendsms-port = ${c.sendsmsPort}
sendsms-interface = 127.0.0.1
log-file = ${q(path.join(c.dir, 'smsbox.log'))}
log-level = ${c.logLevel}
access-log = ${q(path.join(c.dir, 'smsbox-access.log'))}
mo-recode = true
http-request-retry = ${c.httpRequestRetry ?? 3}
http-queue-delay = ${c.httpQueueDelay ?? 1}

group = sendsms-user
username = ${q(c.user)}
password = ${q(c.password)}
concatenation = true
max-messages = 10
user-allow-ip = "127.0.0.1"
${c.dlrUrl ? `dlr-url = ${q(c.dlrUrl)}\n` : ''}
group = sms-service
keyword = default
catch-all = true
get-url = ${q(c.getUrl)}
max-messages = 0
concatenation = true
omit-empty = true
`;
}

class Kannel {
  constructor(cfg) {
    this.cfg = cfg;
    this.dir = cfg.dir;
    this.confPath = path.join(cfg.dir, 'kannel.conf');
    this.adminPort = cfg.adminPort;
    this.adminPassword = cfg.adminPassword;
    this.host = '127.0.0.1';
    this.port = cfg.sendsmsPort;
    this.user = cfg.user;
    this.password = cfg.password;
    this.sendsmsUrl = `http://127.0.0.1:${cfg.sendsmsPort}/cgi-bin/sendsms`;
    this.adminUrl = `http://127.0.0.1:${cfg.adminPort}`;
    this.moUrl = cfg.getUrl;
    this.procs = {};   // name -> {proc, exited: Promise, exit}
  }

  spawnBox(name, bin) {
    const proc = spawn(bin, [this.confPath], {
      cwd: this.dir,
      detached: true,                // own process group: kill(-pid) takes all of it
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const entry = { proc, exit: null, output: '' };
    const onData = (d) => {
      entry.output += d;
      if (entry.output.length > 200000) entry.output = entry.output.slice(-100000);
    };
    proc.stdout.setEncoding('utf8').on('data', onData);
    proc.stderr.setEncoding('utf8').on('data', onData);
    liveGroups.add(proc.pid);
    entry.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        entry.exit = { code, signal };
        resolve(entry.exit);
      });
      proc.on('error', (e) => {
        entry.exit = { code: null, signal: null, error: e.message };
        resolve(entry.exit);
      });
    });
    // The group may outlive the leader only for an instant; forget it once it is gone.
    entry.exited.then(() => {
      try {
        process.kill(-proc.pid, 0);
      } catch {
        liveGroups.delete(proc.pid);
      }
    });
    this.procs[name] = entry;
    return entry;
  }

  running(name) {
    const e = this.procs[name];
    return Boolean(e && e.exit === null);
  }

  // Admin status (status.txt) as text, or null when bearerbox does not answer.
  async status() {
    try {
      const res = await fetch(`${this.adminUrl}/status.txt?password=${encodeURIComponent(this.adminPassword)}`,
        { signal: AbortSignal.timeout(2000) });
      return await res.text();
    } catch {
      return null;
    }
  }

  // True when status.txt shows the SMPP link online.
  async smscOnline() {
    const s = await this.status();
    if (!s) return false;
    const line = s.split('\n').find((l) => l.includes(`${this.cfg.smscId}[`) || l.includes(`${this.cfg.smscId} `)
      || l.includes(`SMPP:127.0.0.1:${this.cfg.smscPort}`));
    return Boolean(line && /\bonline\b/.test(line));
  }

  // True when status.txt lists a connected smsbox.
  async smsboxConnected() {
    const s = await this.status();
    if (!s) return false;
    const i = s.indexOf('Box connections:');
    return i >= 0 && /smsbox/.test(s.slice(i)) && /on-line/.test(s.slice(i));
  }

  // Polls until `check` is true; throws with the logs otherwise.
  async until(check, timeoutMs, what) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const [name, e] of Object.entries(this.procs)) {
        if (e.exit !== null && !this.stopping) {
          throw new Error(`kannel: ${name} exited (${JSON.stringify(e.exit)}) while waiting for ${what}\n${await this.logs()}`);
        }
      }
      if (await check()) return;
      await sleep(100);
    }
    throw new Error(`kannel: no ${what} within ${timeoutMs} ms\n${await this.status() ?? '(no admin status)'}\n${await this.logs()}`);
  }

  // Starts bearerbox and smsbox (again, on the same config and store). Options:
  // waitForSmsc (default true): resolve only once the SMPP link is online.
  async start({ waitForSmsc = true, timeoutMs = 20000 } = {}) {
    this.stopping = false;
    for (const [name, e] of Object.entries(this.procs)) if (e.exit !== null) delete this.procs[name];
    if (!this.running('bearerbox')) {
      this.spawnBox('bearerbox', BEARERBOX);
      await this.until(async () => (await this.status()) !== null, timeoutMs, 'bearerbox admin interface');
    }
    if (!this.running('smsbox')) {
      this.spawnBox('smsbox', SMSBOX);
      await this.until(() => this.smsboxConnected(), timeoutMs, 'smsbox connection');
      await this.until(() => this.sendsmsListening(), timeoutMs, 'sendsms interface');
    }
    if (waitForSmsc) await this.until(() => this.smscOnline(), timeoutMs, 'SMSC link online');
    return this;
  }

  async sendsmsListening() {
    try {
      const res = await fetch(`${this.sendsmsUrl}`, { signal: AbortSignal.timeout(2000) });
      await res.text();
      return true;
    } catch {
      return false;
    }
  }

  // Waits until the SMSC link is online again (e.g. after the operator came back).
  waitForSmsc(timeoutMs = 20000) {
    return this.until(() => this.smscOnline(), timeoutMs, 'SMSC link online');
  }

  // GET sendsms with the harness user. opts: from, to, text, coding (0 GSM, 2 UCS-2),
  // charset (default UTF-8), dlrMask, dlrUrl, plus any extra query parameters in `extra`.
  // Resolves {status, body}.
  async send({ from, to, text, coding, charset = 'UTF-8', dlrMask, dlrUrl, user, password, extra = {} }) {
    const params = new URLSearchParams({ username: user ?? this.user, password: password ?? this.password });
    if (from !== undefined) params.set('from', from);
    if (to !== undefined) params.set('to', to);
    if (text !== undefined) params.set('text', text);
    if (charset) params.set('charset', charset);
    if (coding !== undefined) params.set('coding', String(coding));
    if (dlrMask !== undefined) params.set('dlr-mask', String(dlrMask));
    if (dlrUrl !== undefined) params.set('dlr-url', dlrUrl);
    for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
    const res = await fetch(`${this.sendsmsUrl}?${params}`, { signal: AbortSignal.timeout(10000) });
    return { status: res.status, body: (await res.text()).trim() };
  }

  // The tails of bearerbox.log, smsbox.log and the processes' own output.
  async logs(n = 3000) {
    const parts = [];
    for (const f of ['bearerbox.log', 'smsbox.log']) {
      try {
        parts.push(`--- ${f} ---\n${(await readFile(path.join(this.dir, f), 'utf8')).slice(-n)}`);
      } catch {
        // not written yet
      }
    }
    for (const [name, e] of Object.entries(this.procs)) {
      if (e.output) parts.push(`--- ${name} output ---\n${e.output.slice(-n)}`);
    }
    return parts.join('\n');
  }

  killGroup(name, sig = 'SIGKILL') {
    const e = this.procs[name];
    if (!e) return;
    try {
      process.kill(-e.proc.pid, sig);
    } catch {
      // gone
    }
  }

  // Graceful stop: admin /shutdown, then waits for both boxes; SIGTERM, then SIGKILL the
  // process groups of whatever is left after graceMs. Keeps the temp dir (see cleanup).
  async shutdown({ graceMs = 10000 } = {}) {
    this.stopping = true;
    const alive = Object.values(this.procs).filter((e) => e.exit === null);
    if (alive.length === 0) return;
    if (this.running('bearerbox')) {
      try {
        const res = await fetch(`${this.adminUrl}/shutdown?password=${encodeURIComponent(this.adminPassword)}`,
          { signal: AbortSignal.timeout(3000) });
        await res.text();
      } catch {
        // not answering: the signals below do it
      }
    } else {
      this.killGroup('smsbox', 'SIGTERM');
    }
    const all = Promise.all(alive.map((e) => e.exited));
    const timedOut = await Promise.race([all.then(() => false), sleep(graceMs).then(() => true)]);
    if (timedOut) {
      for (const name of Object.keys(this.procs)) this.killGroup(name, 'SIGTERM');
      const still = await Promise.race([all.then(() => false), sleep(2000).then(() => true)]);
      if (still) for (const name of Object.keys(this.procs)) this.killGroup(name, 'SIGKILL');
      await all;
    }
    for (const name of Object.keys(this.procs)) this.killGroup(name, 'SIGKILL'); // stragglers in the groups
  }

  // Stall: SIGSTOP the process group of `name` ('smsbox' or 'bearerbox'); its sockets
  // stay open, so HTTP clients hang until their own timeouts. resume() continues it.
  pause(name = 'smsbox') {
    this.killGroup(name, 'SIGSTOP');
  }

  resume(name = 'smsbox') {
    this.killGroup(name, 'SIGCONT');
  }

  // Crash: SIGKILL both process groups at once and wait for them.
  async kill() {
    this.stopping = true;
    const alive = Object.values(this.procs).filter((e) => e.exit === null);
    for (const name of Object.keys(this.procs)) this.killGroup(name, 'SIGKILL');
    await Promise.all(alive.map((e) => e.exited));
  }

  // Graceful shutdown, then start again on the same config and store.
  async restart(opts) {
    await this.shutdown();
    return this.start(opts);
  }

  // Shuts down (graceful, kill on failure) and removes the temp dir unless
  // KAIKU_KEEP_DATA is set.
  async stop(opts) {
    try {
      await this.shutdown(opts);
    } finally {
      await this.cleanup();
    }
  }

  async cleanup() {
    if (Object.values(this.procs).some((e) => e.exit === null)) await this.kill();
    if (!process.env.KAIKU_KEEP_DATA) await rm(this.dir, { recursive: true, force: true });
    liveDirs.delete(this.dir);
  }
}

// Writes kannel.conf into a fresh temp dir and starts bearerbox + smsbox; resolves once
// the SMPP link to 127.0.0.1:smscPort is online. Options:
//   smscPort (required)  the operator sim's port
//   moUrl (required)     get-url for MO messages; if it contains no '%' escape,
//                        DEFAULT_MO_QUERY is appended ('?' or '&')
//   dlrUrl (alias dlr)   default dlr-url of the sendsms-user (per-message dlr-url wins)
//   waitForSmsc (true), timeoutMs (20000), reconnectDelay (1 s), logLevel (0 = debug)
//   smscUser/smscPassword, user/password (sendsms), extraSmsc (lines for the smsc group)
//   sendsmsPort (default: a free port; pass one chosen in advance with freePort() when
//                the peer must know the sendsms URL before Kannel starts)
//   httpRequestRetry (3), httpQueueDelay (1 s): smsbox's retries of get-url/dlr-url
//                calls that failed (e.g. while Kaiku restarts)
// The result: {sendsmsUrl, host, port, user, password, adminPort, adminUrl, dir,
//   send(), status(), smscOnline(), waitForSmsc(), until(check, ms, what), logs(),
//   start(), shutdown(), kill(), restart(), stop(), cleanup(), pause(box), resume(box)}.
export async function startKannel({ smscPort, moUrl, dlrUrl, dlr, waitForSmsc = true, timeoutMs = 20000,
  reconnectDelay = 1, logLevel = 0, smscUser = 'kaiku', smscPassword = 'smpp-secret',
  user = 'kaiku', password = 'sendsms-secret', extraSmsc, sendsmsPort, httpRequestRetry, httpQueueDelay } = {}) {
  if (!smscPort) throw new Error('startKannel: smscPort is required');
  if (!moUrl) throw new Error('startKannel: moUrl is required');
  if (!kannelAvailable()) throw new Error(`startKannel: ${BEARERBOX} or ${SMSBOX} is not installed (apt-get install kannel)`);
  const dir = await mkdtemp(path.join(tmpdir(), 'kaiku-kannel-'));
  liveDirs.add(dir);
  dlrUrl ??= dlr;
  const getUrl = moUrl.includes('%') ? moUrl : `${moUrl}${moUrl.includes('?') ? '&' : '?'}${DEFAULT_MO_QUERY}`;
  const cfg = {
    dir, smscPort, getUrl, dlrUrl, reconnectDelay, logLevel, smscUser, smscPassword, user, password, extraSmsc,
    httpRequestRetry, httpQueueDelay,
    smscId: 'opsim',
    adminPassword: 'admin-secret',
    adminPort: await freePort(),
    smsboxPort: await freePort(),
    sendsmsPort: sendsmsPort ?? await freePort(),
  };
  await writeFile(path.join(dir, 'kannel.conf'), kannelConf(cfg));
  const k = new Kannel(cfg);
  try {
    await k.start({ waitForSmsc, timeoutMs });
  } catch (e) {
    await k.cleanup();
    throw e;
  }
  return k;
}
