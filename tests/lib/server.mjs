// Starting and stopping a real Kaiku server for end-to-end and browser tests, and the
// CLI helpers (users, tokens) that go with it.
//
//   const srv = await startServer();            // fresh temp data dir, demo model
//   const admin = await srv.token('admin');     // user of that role (+ bearer token)
//   await fetch(srv.url + '/healthz');
//   await srv.stop();                           // SIGTERM; throws on sanitizer reports
//
// KAIKU_BIN selects the binary (default build/kaiku); KAIKU_MODEL the model (default
// models/demo). Sanitized (ASan) builds start slowly, so the start-up wait is generous.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KAIKU_BIN = process.env.KAIKU_BIN
  ? path.resolve(process.env.KAIKU_BIN)
  : path.join(REPO, 'build', 'kaiku');
export const MODEL = process.env.KAIKU_MODEL
  ? path.resolve(process.env.KAIKU_MODEL)
  : path.join(REPO, 'models', 'demo');

const STARTUP_TIMEOUT_MS = Number(process.env.KAIKU_STARTUP_TIMEOUT_MS ?? 60000);
const LISTENING = /listening on (https?:\/\/[^\s"']+?):(\d+)/;
const MLLP_LISTENING = /mllp listening on ([0-9.]+|\[[0-9a-f:]+\]):(\d+)/g;
const SANITIZER = /(ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|ThreadSanitizer)/;

// Runs the kaiku binary with `args`; resolves {code, signal, stdout, stderr}.
export function runKaiku(args, { input, timeoutMs = 60000, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(KAIKU_BIN, args, {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kaiku ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${KAIKU_BIN}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

// Adds a staff user with the CLI. Throws with the CLI's output if it fails.
export async function addUser(dataDir, { login, role, unit, password = 'correct horse battery staple' }) {
  const args = ['user', 'add', '--data', dataDir, '--login', login, '--role', role];
  if (unit) args.push('--unit', unit);
  args.push('--password-stdin');
  const r = await runKaiku(args, { input: password + '\n' });
  if (r.code !== 0) {
    throw new Error(`kaiku ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return r;
}

// Issues a bearer token for `login` with the CLI and returns it (trimmed stdout).
export async function issueToken(dataDir, login) {
  const args = ['token', 'issue', '--data', dataDir, '--login', login];
  const r = await runKaiku(args);
  if (r.code !== 0) {
    throw new Error(`kaiku ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  const lines = r.stdout.trim().split(/\r?\n/).filter(Boolean);
  const token = lines[lines.length - 1]?.trim();
  if (!token) throw new Error(`kaiku token issue printed no token\nstderr: ${r.stderr}`);
  return token;
}

let userCounter = 0;

export class KaikuServer {
  // `wrapper`: a command line the server runs under, e.g. ['strace', '-f', ...].
  // `listen`: the --listen address (default 127.0.0.1:0, any free port; give a fixed
  // port when peers such as Kannel must reach the same URL after a restart).
  constructor({ dataDir, model = MODEL, extraArgs = [], env = {}, ownsDataDir = false, wrapper = null,
    listen = '127.0.0.1:0' }) {
    this.dataDir = dataDir;
    this.listen = listen;
    this.wrapper = wrapper;
    this.model = model;
    this.extraArgs = extraArgs;
    this.env = env;
    this.ownsDataDir = ownsDataDir;
    this.proc = null;
    this.output = '';       // stdout + stderr of every run, for failure messages
    this.url = null;
    this.port = null;
    this.exit = null;       // {code, signal} of the last run once it ended
    this.tokens = new Map();
  }

  // Spawns the server and waits for its "listening on" line.
  async start() {
    // model null: no --model (the server uses the model last served from the data dir).
    const args = ['serve', '--data', this.dataDir, '--listen', this.listen,
      ...(this.model ? ['--model', this.model] : []), ...this.extraArgs];
    this.exit = null;
    this.runStart = this.output.length;
    const [cmd, cmdArgs] = this.wrapper ? [this.wrapper[0], [...this.wrapper.slice(1), KAIKU_BIN, ...args]] : [KAIKU_BIN, args];
    const proc = spawn(cmd, cmdArgs, {
      cwd: REPO,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    await new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => {
        reject(new Error(`kaiku serve did not print "listening on" within ${STARTUP_TIMEOUT_MS} ms\n`
          + this.tail()));
      }, STARTUP_TIMEOUT_MS);
      const onData = (d) => {
        this.output += d;
        if (this.url) return;
        seen += d;
        const m = LISTENING.exec(seen);
        if (m) {
          clearTimeout(timer);
          this.port = Number(m[2]);
          this.url = `http://127.0.0.1:${this.port}`;
          resolve();
        }
      };
      proc.stdout.setEncoding('utf8').on('data', onData);
      proc.stderr.setEncoding('utf8').on('data', onData);
      proc.on('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot start ${KAIKU_BIN}: ${e.message}`));
      });
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (!this.url) {
          reject(new Error(`kaiku serve exited (code ${code}, signal ${signal}) before listening\n`
            + this.tail()));
        }
      });
    });
    return this;
  }

  // The MLLP port of the current run (from its "mllp listening on HOST:PORT" line,
  // printed before "listening on http://..."), or null when it printed none.
  get mllpPort() {
    const runOutput = this.output.slice(this.runStart ?? 0);
    let port = null;
    for (const m of runOutput.matchAll(MLLP_LISTENING)) port = Number(m[2]);
    return port;
  }

  // The last `n` characters of the server's output.
  tail(n = 4000) {
    return `--- kaiku output (${KAIKU_BIN}) ---\n${this.output.slice(-n)}`;
  }

  // Sanitizer reports in the output so far, or null.
  sanitizerReport() {
    const m = SANITIZER.exec(this.output);
    if (!m) return null;
    return this.output.slice(Math.max(0, m.index - 200), m.index + 6000);
  }

  // True while the process runs.
  get running() {
    return this.proc !== null && this.exit === null;
  }

  // Sends `signal` to the server itself (not to a wrapper such as strace).
  signal(sig) {
    if (!this.wrapper) {
      this.proc.kill(sig);
      return;
    }
    let child = null;
    try {
      child = Number(readFileSync(`/proc/${this.proc.pid}/task/${this.proc.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    } catch {
      child = null;
    }
    if (child) process.kill(child, sig);
    else this.proc.kill(sig);
  }

  // Sends SIGKILL and waits for the process to be gone.
  async kill9() {
    if (!this.running) return;
    this.signal('SIGKILL');
    await this.exited;
  }

  // Graceful stop (SIGTERM, SIGKILL after a grace period). Throws when the server
  // crashed earlier, exited non-zero, or printed a sanitizer report.
  async stop({ graceMs = 15000 } = {}) {
    let exit = this.exit;
    if (this.running) {
      this.signal('SIGTERM');
      const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
      exit = await this.exited;
      clearTimeout(timer);
    }
    const report = this.sanitizerReport();
    if (report) throw new Error(`sanitizer report from kaiku:\n${report}`);
    if (exit && exit.signal === 'SIGKILL') {
      throw new Error(`kaiku did not stop within ${graceMs} ms of SIGTERM\n${this.tail()}`);
    }
    if (exit && exit.code !== null && exit.code !== 0) {
      throw new Error(`kaiku exited with code ${exit.code} after SIGTERM\n${this.tail()}`);
    }
  }

  // Starts again on the same data dir (after stop() or kill9()).
  async restart() {
    this.url = null;
    this.port = null;
    return this.start();
  }

  // Removes the temp data dir (only when this object created it).
  async cleanup() {
    if (this.running) await this.kill9();
    if (this.ownsDataDir && !process.env.KAIKU_KEEP_DATA) {
      await rm(this.dataDir, { recursive: true, force: true });
    }
  }

  // Creates a user of `role` (scoped to `unit`, default the county) and returns a
  // bearer token for it. Cached per role+unit.
  async token(role, unit) {
    const key = `${role}@${unit ?? ''}`;
    if (this.tokens.has(key)) return this.tokens.get(key);
    const login = `t${++userCounter}_${role}_${(unit ?? 'all').replace(/[^a-z0-9]/gi, '')}`.slice(0, 60);
    await addUser(this.dataDir, { login, role, unit });
    const tok = await issueToken(this.dataDir, login);
    this.tokens.set(key, tok);
    return tok;
  }

  // fetch() against this server; `p` is a path. Never follows redirects.
  fetch(p, init = {}) {
    return fetch(this.url + p, { redirect: 'manual', ...init });
  }

  // GET/POST JSON with an optional bearer token; resolves {status, headers, body, text}.
  async api(method, p, { token, body, headers = {}, rawBody } = {}) {
    const h = { accept: 'application/json', ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload;
    if (rawBody !== undefined) {
      payload = rawBody;
      h['content-type'] ??= 'application/json';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const res = await this.fetch(p, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, body: json, text };
  }
}

// Starts a server on a fresh temp data dir (or `dataDir`). The caller must call
// stop() (to check the exit) and cleanup().
export async function startServer(opts = {}) {
  let dataDir = opts.dataDir;
  let owns = false;
  if (!dataDir) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kaiku-test-'));
    owns = true;
  }
  const extra = process.env.KAIKU_SERVE_ARGS ? process.env.KAIKU_SERVE_ARGS.split(/\s+/).filter(Boolean) : [];
  const srv = new KaikuServer({ ...opts, dataDir, ownsDataDir: owns, extraArgs: [...extra, ...(opts.extraArgs ?? [])] });
  try {
    await srv.start();
  } catch (e) {
    await srv.cleanup();
    throw e;
  }
  return srv;
}

// Registers before/after hooks of node:test for a server shared by a test file:
//   const ctx = useServer({ before, after }, async (srv) => { ...setup... });
// `init` runs inside the same `before` hook, after the server is up: Node 20 runs
// several root-level `before` hooks concurrently, so dependent setup must not be
// a separate hook.
export function useServer(hooks, init, opts = {}) {
  const ctx = { srv: null };
  hooks.before(async () => {
    ctx.srv = await startServer(opts);
    if (init) await init(ctx.srv);
  });
  hooks.after(async () => {
    if (!ctx.srv) return;
    try {
      await ctx.srv.stop();
    } finally {
      await ctx.srv.cleanup();
    }
  });
  return ctx;
}
