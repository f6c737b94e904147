// The shell of the staff app: sign-in gate, history routing under /app, the header
// (navigation from PageModule.nav, language switch, user menu), focus and
// announcements. Pages live in routes-staff.ts and routes-insight.ts.
//
// Conventions for pages (see page.ts):
// - render(root, ctx) gets a fresh, empty <main>; a page may render its own <h1>
//   (e.g. "Case #812"); when it renders none, the shell puts title(lang) as the h1.
//   After rendering, focus moves to the h1 (announced by screen readers).
// - In-app links are plain <a href="/app/..."> (ui.ts appHref): the shell turns
//   ordinary clicks on them into navigation without a page load.
// - A page that only changes its own URL query (filters) may call
//   history.pushState itself and re-render its content; Back then re-renders it.
import './styles.css';

import { Api, ApiError } from './api';
import { resetShared } from './data';
import { h, replace } from './dom';
import { COMMON, LANGS, localized } from './i18n';
import { label, ROLE } from './labels';
import type { Lang, Me, PageContext, PageModule } from './page';
import { insightRoutes } from './routes-insight';
import { loginPage, notFoundPage, staffRoutes } from './routes-staff';
import { installSession } from './session';
import { BASE, appHref, errorBox } from './ui';

const S: Record<Lang, Record<string, string>> = {
  fi: {
    skip: 'Siirry sisältöön', nav: 'Päävalikko', account: 'Oma tili', signOutAll: 'Kirjaudu ulos kaikkialta',
    signedOut: 'Olet kirjautunut ulos.', signedOutAll: 'Olet kirjautunut ulos kaikilta laitteilta ({n} istuntoa).',
    expired: 'Istuntosi on päättynyt. Kirjaudu uudelleen.', langName: 'Suomi', userMenu: 'Käyttäjä',
    app: 'Kaiku – henkilöstö', serverDown: 'Palvelimeen ei saatu yhteyttä.',
  },
  sv: {
    skip: 'Hoppa till innehållet', nav: 'Huvudmeny', account: 'Mitt konto', signOutAll: 'Logga ut överallt',
    signedOut: 'Du har loggat ut.', signedOutAll: 'Du har loggat ut på alla enheter ({n} sessioner).',
    expired: 'Din session har gått ut. Logga in igen.', langName: 'Svenska', userMenu: 'Användare',
    app: 'Kaiku – personal', serverDown: 'Ingen kontakt med servern.',
  },
  en: {
    skip: 'Skip to content', nav: 'Main menu', account: 'Account', signOutAll: 'Sign out everywhere',
    signedOut: 'You have signed out.', signedOutAll: 'You have signed out on every device ({n} sessions).',
    expired: 'Your session has ended. Please sign in again.', langName: 'English', userMenu: 'User',
    app: 'Kaiku – staff', serverDown: 'Could not reach the server.',
  },
};

const LANG_KEY = 'kaiku.lang';
const routes: PageModule[] = [...staffRoutes, ...insightRoutes];
const api = new Api();

let me: Me | null = null;
let lang: Lang = initialLang();
let loginNote = '';          // shown on the sign-in page after sign-out / expiry
let generation = 0;          // renders started; a stale render's output is dropped

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(LANG_KEY);
    if (stored && (LANGS as string[]).includes(stored)) return stored as Lang;
  } catch {
    // storage disabled: fall through
  }
  const nav = (navigator.language || 'fi').slice(0, 2).toLowerCase();
  return (LANGS as string[]).includes(nav) ? (nav as Lang) : 'fi';
}

function setLang(l: Lang): void {
  lang = l;
  try {
    localStorage.setItem(LANG_KEY, l);
  } catch {
    // not remembered; still switched
  }
  void render({ keepFocus: true });
  // The header was rebuilt synchronously: keep the focus on the pressed button.
  document.querySelector<HTMLButtonElement>(`.lang-switch button[lang="${l}"]`)?.focus();
}

// The path under /app ("/" for the app's root), without the query.
function appPath(): string {
  let p = location.pathname;
  if (p === BASE || p.startsWith(`${BASE}/`)) p = p.slice(BASE.length);
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p || '/';
}

function match(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/').filter(Boolean);
  const b = path.split('/').filter(Boolean);
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) {
      try {
        params[a[i].slice(1)] = decodeURIComponent(b[i]);
      } catch {
        return null;
      }
    } else if (a[i] !== b[i]) {
      return null;
    }
  }
  return params;
}

function navigate(path: string, replaceEntry = false): void {
  const url = path.startsWith(BASE) ? path : appHref(path);
  if (replaceEntry) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void render();
}

let toastTimer: number | undefined;
function announce(message: string): void {
  const live = document.getElementById('live');
  const toast = document.getElementById('toast');
  if (live) {
    live.textContent = '';
    window.setTimeout(() => {
      live.textContent = message;
    }, 60);
  }
  if (toast) {
    toast.textContent = message;
    toast.hidden = false;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(() => {
      toast.hidden = true;
    }, 6000);
  }
}

// ---- header

function langSwitch(): HTMLElement {
  return h('div', { class: 'lang-switch', role: 'group', 'aria-label': COMMON[lang].language },
    LANGS.map((l) => h('button', {
      type: 'button', lang: l, 'aria-pressed': l === lang ? 'true' : 'false',
      onclick: () => setLang(l),
    }, S[l].langName)));
}

function renderHeader(path: string): void {
  const header = document.getElementById('site-header');
  if (!header) return;
  const brand = h('div', { class: 'brand' },
    h('a', { href: appHref('/'), class: 'brand-name' }, 'Kaiku'),
    me ? h('span', { class: 'scope' }, localized(me.scope_name, lang) || me.scope_unit) : null);
  if (!me) {
    replace(header, h('div', { class: 'header-bar' }, brand, langSwitch()));
    return;
  }
  const current = me;
  const items = routes
    .filter((r) => r.nav && (r.nav.visible ? r.nav.visible(current) : true))
    .sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0));
  const nav = h('nav', { class: 'main-nav', 'aria-label': S[lang].nav },
    h('ul', null, items.map((r) => {
      const active = path === r.path || (r.path !== '/' && path.startsWith(`${r.path}/`));
      return h('li', null, h('a', { href: appHref(r.path), 'aria-current': active ? 'page' : false }, r.nav?.label(lang) ?? r.title(lang)));
    })));
  const userMenu = h('details', { class: 'user-menu' },
    h('summary', null, h('span', { class: 'visually-hidden' }, `${S[lang].userMenu}: `), current.login),
    h('div', { class: 'user-menu-body' },
      h('p', null, label(ROLE, lang, current.role)),
      h('p', null, localized(current.scope_name, lang) || current.scope_unit),
      h('ul', { class: 'plain' },
        h('li', null, h('a', { href: appHref('/account') }, S[lang].account)),
        h('li', null, h('button', { type: 'button', class: 'link-button', onclick: () => void signOut(false) }, COMMON[lang].signOut)),
        h('li', null, h('button', { type: 'button', class: 'link-button', onclick: () => void signOut(true) }, S[lang].signOutAll)))));
  replace(header, h('div', { class: 'header-bar' }, brand, langSwitch(), userMenu), nav);
}

// ---- session

async function signOut(everywhere: boolean): Promise<void> {
  let note = S[lang].signedOut;
  try {
    if (everywhere) {
      const r = await api.send<{ revoked: number }>('POST', '/api/v1/session/revoke-all');
      note = S[lang].signedOutAll.replace('{n}', String(r?.revoked ?? ''));
    } else {
      await api.send('DELETE', '/api/v1/session');
    }
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) {
      announce(`${COMMON[lang].error}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
  }
  me = null;
  api.csrfToken = '';
  resetShared();
  loginNote = note;
  announce(note);
  navigate('/', true);
}

installSession({
  signedIn(m: Me) {
    me = m;
    api.csrfToken = m.csrf_token;
    loginNote = '';
    resetShared();
    const p = appPath();
    if (p === '/login') navigate('/', true);
    else void render();
  },
  updated(m: Me) {
    me = m;
    api.csrfToken = m.csrf_token || api.csrfToken;
  },
  signOut,
});

api.onUnauthorized = () => {
  if (!me) return;
  me = null;
  api.csrfToken = '';
  resetShared();
  loginNote = S[lang].expired;
  void render();
};

// ---- rendering

const GUEST: Me = {
  user_id: 0, login: '', role: 'analyst', scope_unit: '', scope_name: {}, csrf_token: '', totp_enabled: false, expires_at: '',
  permissions: { handle_cases: false, read_contact: false, edit_actions: false, publish_model: false, read_audit: false, export: false },
};

async function render(opts: { keepFocus?: boolean } = {}): Promise<void> {
  const gen = ++generation;
  document.documentElement.lang = lang;
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = S[lang].skip;
  let path = appPath();
  if (me && (path === '/' || path === '/login')) {
    // Start page: the inbox for those who handle cases, else the dashboard if any.
    const hasDashboard = routes.some((r) => r.path === '/dashboard');
    path = me.permissions.handle_cases || !hasDashboard ? '/inbox' : '/dashboard';
    history.replaceState(null, '', appHref(path) + location.search);
  }
  renderHeader(path);

  let page: PageModule;
  let params: Record<string, string> = {};
  if (!me) {
    page = loginPage;
  } else {
    const found = routes.map((r) => ({ r, p: match(r.path, path) })).find((x) => x.p !== null);
    page = found ? found.r : notFoundPage;
    params = found?.p ?? {};
  }

  const old = document.getElementById('main');
  const main = h('main', { id: 'main', tabindex: -1, 'aria-busy': 'true' });
  if (old) old.replaceWith(main);
  else document.body.appendChild(main);
  const title = page.title(lang);
  document.title = `${title} – ${S[lang].app}`;

  const ctx: PageContext = {
    me: me ?? GUEST,
    lang,
    api,
    params,
    query: new URLSearchParams(location.search),
    navigate: (p: string) => navigate(p),
    announce,
  };
  if (!me && loginNote) ctx.query.set('note', loginNote);
  try {
    await page.render(main, ctx);
  } catch (e) {
    if (gen !== generation) return;
    replace(main, h('h1', null, title), errorBox(lang, e));
  }
  if (gen !== generation) return;
  main.removeAttribute('aria-busy');
  let h1 = main.querySelector('h1');
  if (!h1) {
    h1 = h('h1', null, title);
    main.prepend(h1);
  }
  h1.setAttribute('tabindex', '-1');
  if (!opts.keepFocus) h1.focus();
}

// Ordinary left clicks on links inside the app navigate without a page load.
document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = (ev.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  if (url.pathname !== BASE && !url.pathname.startsWith(`${BASE}/`)) return;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  ev.preventDefault();
  const details = a.closest('details');
  if (details?.classList.contains('user-menu')) details.open = false;
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', () => void render());

async function boot(): Promise<void> {
  document.documentElement.lang = lang;
  try {
    me = await api.get<Me>('/api/v1/session');
    api.csrfToken = me.csrf_token;
  } catch (e) {
    me = null;
    if (!(e instanceof ApiError && (e.status === 401 || e.status === 403))) {
      const main = document.getElementById('main');
      if (main) replace(main, h('h1', null, 'Kaiku'), h('p', { class: 'error', role: 'alert' }, S[lang].serverDown), errorBox(lang, e));
      renderHeader('/');
      return;
    }
  }
  await render({ keepFocus: true });
}

void boot();
