// Sign-in: login and password, then a TOTP code when the server answers 401 with
// "totp_required"; the lock-out (429 with Retry-After) is explained with its wait.
// POST /api/v1/session (docs/workspace-api.md). Also the not-found page.
import { h, replace } from '../dom';
import type { Lang, Me, PageContext, PageModule } from '../page';
import { session } from '../session';
import { appHref, field } from '../ui';

const S = {
  fi: {
    title: 'Kirjaudu Kaikuun', intro: 'Hyvinvointialueen henkilöstön työtila: palautteet, yhteydenottopyynnöt ja kehittämistoimet.',
    login: 'Käyttäjätunnus', password: 'Salasana', submit: 'Kirjaudu sisään',
    totp: 'Vahvistuskoodi', totpHint: 'Kuusinumeroinen koodi todennussovelluksestasi.', totpStep: 'Anna vahvistuskoodi',
    totpWrong: 'Vahvistuskoodi puuttuu tai on väärä. Anna sovelluksen näyttämä koodi.',
    wrong: 'Käyttäjätunnus tai salasana on väärä.',
    locked: 'Liian monta epäonnistunutta yritystä. Kirjautuminen on lukittu. Yritä uudelleen {t} kuluttua.',
    minutes: '{n} minuutin', seconds: '{n} sekunnin',
    failed: 'Kirjautuminen ei onnistunut', network: 'Palvelimeen ei saatu yhteyttä. Yritä uudelleen.',
    required: 'Anna käyttäjätunnus ja salasana.', back: 'Takaisin',
    notFound: 'Sivua ei löydy', notFoundText: 'Tätä sivua ei ole. Palaa', inbox: 'palautteisiin',
  },
  sv: {
    title: 'Logga in i Kaiku', intro: 'Välfärdsområdets arbetsyta för personalen: respons, kontaktbegäran och utvecklingsåtgärder.',
    login: 'Användarnamn', password: 'Lösenord', submit: 'Logga in',
    totp: 'Verifieringskod', totpHint: 'Den sexsiffriga koden i din autentiseringsapp.', totpStep: 'Ange verifieringskoden',
    totpWrong: 'Verifieringskoden saknas eller är fel. Ange koden som appen visar.',
    wrong: 'Användarnamnet eller lösenordet är fel.',
    locked: 'För många misslyckade försök. Inloggningen är spärrad. Försök igen om {t}.',
    minutes: '{n} minuter', seconds: '{n} sekunder',
    failed: 'Inloggningen misslyckades', network: 'Ingen kontakt med servern. Försök igen.',
    required: 'Ange användarnamn och lösenord.', back: 'Tillbaka',
    notFound: 'Sidan hittades inte', notFoundText: 'Sidan finns inte. Gå tillbaka till', inbox: 'responsen',
  },
  en: {
    title: 'Sign in to Kaiku', intro: 'The staff workspace of the wellbeing services county: feedback, contact requests and development actions.',
    login: 'Username', password: 'Password', submit: 'Sign in',
    totp: 'Verification code', totpHint: 'The six-digit code from your authenticator app.', totpStep: 'Enter the verification code',
    totpWrong: 'The verification code is missing or wrong. Enter the code your app shows.',
    wrong: 'The username or password is wrong.',
    locked: 'Too many failed attempts. Signing in is locked. Try again in {t}.',
    minutes: '{n} minutes', seconds: '{n} seconds',
    failed: 'Signing in failed', network: 'Could not reach the server. Please try again.',
    required: 'Enter your username and password.', back: 'Back',
    notFound: 'Page not found', notFoundText: 'This page does not exist. Go back to', inbox: 'the feedback inbox',
  },
} satisfies Record<Lang, Record<string, string>>;

function waitText(lang: Lang, seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) seconds = 15 * 60;
  if (seconds < 90) return S[lang].seconds.replace('{n}', String(Math.ceil(seconds)));
  return S[lang].minutes.replace('{n}', String(Math.ceil(seconds / 60)));
}

interface Attempt { status: number; me?: Me; totpRequired?: boolean; retryAfter?: number; detail?: string }

// POST /api/v1/session directly (the API client hides Retry-After).
async function attempt(login: string, password: string, totp: string | null): Promise<Attempt> {
  const body: Record<string, string> = { login, password };
  if (totp) body.totp = totp;
  const res = await fetch('/api/v1/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  let json: Record<string, unknown> = {};
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    json = {};
  }
  if (res.ok) return { status: res.status, me: json as unknown as Me };
  return {
    status: res.status,
    totpRequired: json.totp_required === true,
    retryAfter: Number(res.headers.get('Retry-After') ?? NaN),
    detail: typeof json.detail === 'string' ? json.detail : undefined,
  };
}

function render(root: HTMLElement, ctx: PageContext): void {
  const t = S[ctx.lang];
  const note = ctx.query.get('note');
  const message = h('div', { class: 'form-message', id: 'login-message' });
  const loginInput = h('input', { name: 'login', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const passwordInput = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const totpInput = h('input', { name: 'totp', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6 });
  const credentials = h('div', { class: 'login-credentials' }, field(t.login, loginInput), field(t.password, passwordInput));
  const totpField = field(t.totp, totpInput, t.totpHint);
  totpField.hidden = true;
  const submit = h('button', { type: 'submit', class: 'primary' }, t.submit);
  let totpStep = false;

  const showMessage = (text: string, kind: 'error' | 'note') => {
    replace(message, h('p', { class: kind === 'error' ? 'error' : 'note', role: kind === 'error' ? 'alert' : 'status' }, text));
  };

  const form = h('form', { class: 'login-form', method: 'post', action: appHref('/login'), novalidate: true, 'aria-describedby': 'login-message' },
    credentials, totpField, h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const login = loginInput.value.trim();
    const password = passwordInput.value;
    if (!login || !password) {
      showMessage(t.required, 'error');
      (login ? passwordInput : loginInput).focus();
      return;
    }
    const code = totpStep ? totpInput.value.replace(/\s+/g, '') : null;
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    let r: Attempt;
    try {
      r = await attempt(login, password, code);
    } catch {
      showMessage(t.network, 'error');
      return;
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
    if (r.me) {
      passwordInput.value = '';
      session().signedIn(r.me);
      return;
    }
    if (r.status === 401 && r.totpRequired) {
      const first = !totpStep;
      totpStep = true;
      totpField.hidden = false;
      totpInput.required = true;
      credentials.hidden = true;
      if (first) showMessage(t.totpStep, 'note');
      else {
        showMessage(t.totpWrong, 'error');
        totpInput.setAttribute('aria-invalid', 'true');
      }
      totpInput.value = '';
      totpInput.focus();
      return;
    }
    if (r.status === 429) {
      showMessage(t.locked.replace('{t}', waitText(ctx.lang, r.retryAfter ?? NaN)), 'error');
      return;
    }
    if (r.status === 401) {
      // Back to the first step: the password itself was wrong.
      totpStep = false;
      totpField.hidden = true;
      totpInput.required = false;
      credentials.hidden = false;
      showMessage(t.wrong, 'error');
      passwordInput.value = '';
      loginInput.setAttribute('aria-invalid', 'true');
      passwordInput.setAttribute('aria-invalid', 'true');
      passwordInput.focus();
      return;
    }
    showMessage(`${t.failed}: ${r.detail ?? `HTTP ${r.status}`}`, 'error');
  });

  replace(root,
    h('div', { class: 'login-box' },
      h('h1', null, t.title),
      h('p', { class: 'lead' }, t.intro),
      note ? h('p', { class: 'note', role: 'status' }, note) : null,
      message,
      form));
}

export const loginPage: PageModule = {
  path: '/login',
  title: (lang) => S[lang].title,
  render,
};

export const notFoundPage: PageModule = {
  path: '/404',
  title: (lang) => S[lang].notFound,
  render(root, ctx) {
    const t = S[ctx.lang];
    replace(root, h('h1', null, t.notFound), h('p', null, `${t.notFoundText} `, h('a', { href: appHref('/inbox') }, t.inbox), '.'));
  },
};
