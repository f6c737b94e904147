// The signed-in person's account: who they are, the TOTP second factor (enrol with
// the server's QR code and confirm a code, or turn it off) and "sign out everywhere".
import { h, replace } from '../dom';
import { fmtDate, localized } from '../i18n';
import { label, ROLE } from '../labels';
import type { Lang, Me, PageContext, PageModule } from '../page';
import { session } from '../session';
import { busy, definitions, errorBox, field } from '../ui';

interface Enrolment { secret: string; otpauth_uri: string; qr_svg: string }

const S = {
  fi: {
    title: 'Oma tili', you: 'Sinä', login: 'Käyttäjätunnus', role: 'Rooli', scope: 'Alue', expires: 'Istunto päättyy viimeistään',
    totp: 'Kaksivaiheinen tunnistautuminen', totpOn: 'Kaksivaiheinen tunnistautuminen on käytössä: kirjautuessa kysytään myös todennussovelluksen koodi.',
    totpOff: 'Kaksivaiheinen tunnistautuminen ei ole käytössä. Ota se käyttöön: kirjautuessa kysytään salasanan lisäksi todennussovelluksen kuusinumeroinen koodi.',
    start: 'Ota käyttöön', scan: 'Lue QR-koodi todennussovelluksella (esim. Google Authenticator, Microsoft Authenticator tai FreeOTP) ja anna sen näyttämä koodi.',
    qrAlt: 'QR-koodi todennussovellukselle', manual: 'Jos et voi lukea koodia, syötä sovellukseen tämä avain:', code: 'Sovelluksen koodi', codeHint: 'Kuusi numeroa.',
    confirm: 'Vahvista ja ota käyttöön', enabled: 'Kaksivaiheinen tunnistautuminen otettiin käyttöön.', turnOff: 'Poista käytöstä', offCode: 'Nykyinen koodi sovelluksesta',
    disabled: 'Kaksivaiheinen tunnistautuminen poistettiin käytöstä.', badCode: 'Anna kuusinumeroinen koodi.',
    everywhere: 'Kirjaudu ulos kaikkialta', everywhereText: 'Päättää kaikki istuntosi kaikilla laitteilla, myös tämän. Käytä tätä, jos unohdit kirjautua ulos yhteiskäyttöisellä koneella tai epäilet, että tunnuksesi on päätynyt vääriin käsiin.',
    everywhereButton: 'Kirjaudu ulos kaikilla laitteilla',
  },
  sv: {
    title: 'Mitt konto', you: 'Du', login: 'Användarnamn', role: 'Roll', scope: 'Område', expires: 'Sessionen går ut senast',
    totp: 'Tvåstegsverifiering', totpOn: 'Tvåstegsverifiering är på: vid inloggning frågas också koden från autentiseringsappen.',
    totpOff: 'Tvåstegsverifiering är inte på. Slå på den: vid inloggning frågas utöver lösenordet en sexsiffrig kod från autentiseringsappen.',
    start: 'Slå på', scan: 'Läs QR-koden med en autentiseringsapp (t.ex. Google Authenticator, Microsoft Authenticator eller FreeOTP) och ange koden den visar.',
    qrAlt: 'QR-kod för autentiseringsappen', manual: 'Om du inte kan läsa koden, ange denna nyckel i appen:', code: 'Koden från appen', codeHint: 'Sex siffror.',
    confirm: 'Bekräfta och slå på', enabled: 'Tvåstegsverifiering slogs på.', turnOff: 'Slå av', offCode: 'Aktuell kod från appen',
    disabled: 'Tvåstegsverifiering slogs av.', badCode: 'Ange en sexsiffrig kod.',
    everywhere: 'Logga ut överallt', everywhereText: 'Avslutar alla dina sessioner på alla enheter, även denna. Använd detta om du glömde logga ut på en delad dator eller misstänker att någon annan har fått tag i ditt konto.',
    everywhereButton: 'Logga ut på alla enheter',
  },
  en: {
    title: 'Account', you: 'You', login: 'Username', role: 'Role', scope: 'Area', expires: 'The session ends at the latest',
    totp: 'Two-step verification', totpOn: 'Two-step verification is on: signing in also asks for the code from your authenticator app.',
    totpOff: 'Two-step verification is off. Turn it on: signing in will then ask for a six-digit code from an authenticator app besides the password.',
    start: 'Turn it on', scan: 'Scan the QR code with an authenticator app (e.g. Google Authenticator, Microsoft Authenticator or FreeOTP) and enter the code it shows.',
    qrAlt: 'QR code for the authenticator app', manual: 'If you cannot scan the code, enter this key in the app:', code: 'Code from the app', codeHint: 'Six digits.',
    confirm: 'Confirm and turn on', enabled: 'Two-step verification is now on.', turnOff: 'Turn it off', offCode: 'Current code from the app',
    disabled: 'Two-step verification was turned off.', badCode: 'Enter a six-digit code.',
    everywhere: 'Sign out everywhere', everywhereText: 'Ends all your sessions on every device, this one included. Use it if you forgot to sign out on a shared computer or suspect someone else has your account.',
    everywhereButton: 'Sign out on every device',
  },
} satisfies Record<Lang, Record<string, string>>;
type Strings = (typeof S)['fi'];

// The server's QR SVG as an image (data: URL, allowed by the CSP's img-src), so that
// no server markup is put into the page.
function qrImage(svg: string, alt: string): HTMLImageElement {
  const bytes = new TextEncoder().encode(svg);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return h('img', { src: `data:image/svg+xml;base64,${btoa(bin)}`, alt, class: 'qr', width: 200, height: 200 });
}

function codeInput(): HTMLInputElement {
  return h('input', { type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, required: true });
}

function totpSection(t: Strings, ctx: PageContext, me: Me, redraw: (m: Me, msg: string) => void): HTMLElement {
  const area = h('div', { class: 'totp-area' });
  const message = h('div', { class: 'form-message' });
  const fail = (e: unknown) => replace(message, errorBox(ctx.lang, e));
  const checkCode = (input: HTMLInputElement) => {
    const v = input.value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(v)) {
      replace(message, h('p', { class: 'error', role: 'alert' }, t.badCode));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return null;
    }
    return v;
  };

  if (me.totp_enabled) {
    const input = codeInput();
    const form = h('form', { class: 'inline-form' }, field(t.offCode, input, t.codeHint), h('button', { type: 'submit', class: 'secondary' }, t.turnOff));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const code = checkCode(input);
      if (!code) return;
      void busy(form, async () => {
        try {
          await ctx.api.send('DELETE', '/api/v1/session/totp', { code });
          const fresh = await ctx.api.get<Me>('/api/v1/session');
          redraw(fresh, t.disabled);
        } catch (e) {
          fail(e);
        }
      });
    });
    replace(area, h('p', null, t.totpOn), message, form);
  } else {
    const start = h('button', { type: 'button', class: 'primary' }, t.start);
    start.addEventListener('click', () => {
      void busy(area, async () => {
        let en: Enrolment;
        try {
          en = await ctx.api.send<Enrolment>('POST', '/api/v1/session/totp');
        } catch (e) {
          fail(e);
          return;
        }
        const input = codeInput();
        const form = h('form', { class: 'inline-form' }, field(t.code, input, t.codeHint), h('button', { type: 'submit', class: 'primary' }, t.confirm));
        form.addEventListener('submit', (ev) => {
          ev.preventDefault();
          const code = checkCode(input);
          if (!code) return;
          void busy(form, async () => {
            try {
              const m = await ctx.api.send<Me>('POST', '/api/v1/session/totp/confirm', { code });
              redraw(m, t.enabled);
            } catch (e) {
              fail(e);
            }
          });
        });
        replace(area,
          h('p', null, t.scan),
          h('div', { class: 'qr-box' }, qrImage(en.qr_svg, t.qrAlt)),
          h('p', null, t.manual, ' ', h('code', { class: 'secret' }, en.secret.replace(/(.{4})/g, '$1 ').trim())),
          message,
          form);
        input.focus();
      });
    });
    replace(area, h('p', null, t.totpOff), message, start);
  }
  return h('section', { 'aria-labelledby': 'totp-h' }, h('h2', { id: 'totp-h' }, t.totp), area);
}

function render(root: HTMLElement, ctx: PageContext): void {
  const { lang } = ctx;
  const t = S[lang];
  const draw = (me: Me, msg?: string) => {
    if (msg) session().updated(me);
    const everywhere = h('button', { type: 'button', class: 'danger' }, t.everywhereButton);
    everywhere.addEventListener('click', () => void session().signOut(true));
    replace(root,
      h('h1', { tabindex: -1 }, t.title),
      h('section', { 'aria-labelledby': 'you-h' },
        h('h2', { id: 'you-h' }, t.you),
        definitions([
          [t.login, me.login],
          [t.role, label(ROLE, lang, me.role)],
          [t.scope, localized(me.scope_name, lang) || me.scope_unit],
          [t.expires, fmtDate(lang, me.expires_at, true)],
        ])),
      totpSection(t, ctx, me, (m, message) => draw(m, message)),
      h('section', { 'aria-labelledby': 'all-h' },
        h('h2', { id: 'all-h' }, t.everywhere),
        h('p', null, t.everywhereText),
        everywhere));
    if (msg) {
      ctx.announce(msg);
      root.querySelector<HTMLElement>('#totp-h')?.setAttribute('tabindex', '-1');
      root.querySelector<HTMLElement>('#totp-h')?.focus();
    }
  };
  draw(ctx.me);
}

export const accountPage: PageModule = {
  path: '/account',
  title: (lang) => S[lang].title,
  render,
};
