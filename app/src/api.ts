// The JSON API client of the staff app: same-origin fetch with the session cookie,
// the CSRF header on every unsafe method, problem+json errors as ApiError.
// Written by the lead; change only by adding members.

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { field: string; code: string; detail: string }[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

async function problemOf(res: Response): Promise<Problem> {
  try {
    const body = (await res.json()) as Problem;
    return { ...body, status: res.status };
  } catch {
    return { status: res.status, title: res.statusText };
  }
}

export class Api {
  // The session's CSRF token (from GET/POST /api/v1/session); set by the shell.
  csrfToken = '';
  // Called on any 401 (the session ended): the shell shows the sign-in page.
  onUnauthorized: () => void = () => {};

  // GET `path` (e.g. "/api/v1/cases") with `query`; resolves to the parsed JSON.
  async get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  // POST/PUT/DELETE with an optional JSON body; 204 resolves to undefined.
  async send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return this.request<T>(method, path, body);
  }

  // GET as a file (CSV, Excel): the Blob and the server's file name.
  async download(path: string, query: Query | undefined, accept: string): Promise<{ blob: Blob; filename: string }> {
    const res = await fetch(withQuery(path, query), { headers: { Accept: accept }, credentials: 'same-origin' });
    if (!res.ok) throw await this.fail(res);
    const cd = res.headers.get('Content-Disposition') ?? '';
    const m = /filename="?([^";]+)"?/.exec(cd);
    return { blob: await res.blob(), filename: m ? m[1] : 'kaiku-export' };
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = this.csrfToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw await this.fail(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  private async fail(res: Response): Promise<ApiError> {
    const err = new ApiError(res.status, await problemOf(res));
    if (res.status === 401) this.onUnauthorized();
    return err;
  }
}
