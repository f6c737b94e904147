// Development actions, "you said, we did" (GET/POST/PUT/DELETE /api/v1/actions):
// the list in the caller's scope and the create/edit form (fi/sv/en texts, unit,
// date, themes, linked cases, publish). A case page links here with ?case=&unit=&theme=
// prefilled. Published actions appear on /sanoitte-teimme/{area} (server-rendered).
import { ApiError } from '../api';
import { h, replace, uid } from '../dom';
import { getModel, themeLabel, unitName, unitTree, type Model } from '../data';
import { COMMON, fmtDate, localized } from '../i18n';
import type { Lang, PageContext, PageModule } from '../page';
import { appHref, busy, checkbox, errorBox, errorText, field, loading, scrollTable, select } from '../ui';

type Texts = Partial<Record<string, string>>;
export interface DevAction {
  id: number;
  unit: string;
  unit_name?: Texts;
  title: Texts;
  description?: Texts;
  reason?: Texts;
  done_on: string;
  themes: string[];
  cases: number[];
  published: boolean;
  created_by?: string;
  created_at?: string;
  updated_at?: string;
}

const S = {
  fi: {
    title: 'Kehittämistoimet', nav: 'Kehittämistoimet', intro: 'Mitä muutimme asiakkaiden palautteen perusteella – julkaistut toimet näkyvät asukkaille sivulla ”Sanoitte, teimme”.',
    publicPage: 'Alueesi julkinen sivu ”Sanoitte, teimme”', add: 'Kirjaa uusi kehittämistoimi', filters: 'Suodattimet', unit: 'Yksikkö', allUnits: 'Koko alueeni',
    published: 'Julkaisu', any: 'Kaikki', onlyPublished: 'Julkaistut', onlyDrafts: 'Julkaisemattomat', theme: 'Teema', apply: 'Näytä',
    caption: 'Kehittämistoimet, uusin ensin', none: 'Ei kehittämistoimia.', colTitle: 'Toimi', colUnit: 'Yksikkö', colDone: 'Toteutettu', colThemes: 'Teemat',
    colCases: 'Palautteet', colState: 'Julkaisu', isPublished: 'Julkaistu', isDraft: 'Luonnos', onPublic: 'julkisella sivulla', edit: 'Muokkaa',
    newTitle: 'Uusi kehittämistoimi', editTitle: 'Muokkaa kehittämistoimea', fi: 'Suomeksi (pakollinen)', sv: 'På svenska – ruotsiksi (tarvitaan julkaisuun)', en: 'In English – englanniksi (vapaaehtoinen)',
    fTitle: 'Otsikko: mitä muutettiin', fDescription: 'Kuvaus: mitä, missä ja miten', fReason: 'Syy: mitä asiakkaat sanoivat', doneOn: 'Toteutuspäivä',
    themes: 'Teemat, joihin toimi vastaa', cases: 'Palautteet, joista toimi syntyi', casesHint: 'Tapausten numerot pilkulla erotettuina, esim. 812, 990.',
    publish: 'Julkaise julkisella sivulla', publishHint: 'Julkaisu vaatii myös ruotsinkielisen otsikon; julkinen sivu on kaksikielinen.',
    save: 'Tallenna', saved: 'Kehittämistoimi tallennettiin.', cancel: 'Peruuta', del: 'Poista kehittämistoimi', delConfirm: 'Vahvista poisto', deleted: 'Kehittämistoimi poistettiin.',
    delAsk: 'Poistetaanko tämä kehittämistoimi pysyvästi?', errors: 'Korjaa nämä kohdat:', needFi: 'Anna otsikko suomeksi.', needSv: 'Julkaisu vaatii otsikon ruotsiksi.',
    needDate: 'Anna toteutuspäivä.', badCases: 'Tapausnumeroiden pitää olla numeroita pilkulla erotettuina.', linked: 'Linkitetyt tapaukset', notFound: 'Kehittämistoimea ei löydy.',
    readOnly: 'Roolisi voi lukea kehittämistoimia mutta ei kirjata niitä.', back: 'Takaisin kehittämistoimiin', caseN: 'Tapaus #{n}',
  },
  sv: {
    title: 'Utvecklingsåtgärder', nav: 'Utvecklingsåtgärder', intro: 'Vad vi ändrade utifrån kundernas respons – publicerade åtgärder visas för invånarna på sidan ”Ni sade, vi gjorde”.',
    publicPage: 'Ditt områdes offentliga sida ”Ni sade, vi gjorde”', add: 'Registrera en ny utvecklingsåtgärd', filters: 'Filter', unit: 'Enhet', allUnits: 'Hela mitt område',
    published: 'Publicering', any: 'Alla', onlyPublished: 'Publicerade', onlyDrafts: 'Opublicerade', theme: 'Tema', apply: 'Visa',
    caption: 'Utvecklingsåtgärder, nyaste först', none: 'Inga utvecklingsåtgärder.', colTitle: 'Åtgärd', colUnit: 'Enhet', colDone: 'Genomförd', colThemes: 'Teman',
    colCases: 'Respons', colState: 'Publicering', isPublished: 'Publicerad', isDraft: 'Utkast', onPublic: 'på den offentliga sidan', edit: 'Redigera',
    newTitle: 'Ny utvecklingsåtgärd', editTitle: 'Redigera utvecklingsåtgärden', fi: 'Suomeksi – på finska (obligatoriskt)', sv: 'På svenska (behövs för publicering)', en: 'In English – på engelska (frivilligt)',
    fTitle: 'Rubrik: vad ändrades', fDescription: 'Beskrivning: vad, var och hur', fReason: 'Orsak: vad kunderna sade', doneOn: 'Genomförd den',
    themes: 'Teman som åtgärden svarar på', cases: 'Respons som ledde till åtgärden', casesHint: 'Ärendenummer åtskilda med kommatecken, t.ex. 812, 990.',
    publish: 'Publicera på den offentliga sidan', publishHint: 'Publicering kräver också en svensk rubrik; den offentliga sidan är tvåspråkig.',
    save: 'Spara', saved: 'Utvecklingsåtgärden sparades.', cancel: 'Avbryt', del: 'Radera utvecklingsåtgärden', delConfirm: 'Bekräfta raderingen', deleted: 'Utvecklingsåtgärden raderades.',
    delAsk: 'Radera denna utvecklingsåtgärd permanent?', errors: 'Rätta dessa punkter:', needFi: 'Ange en rubrik på finska.', needSv: 'Publicering kräver en rubrik på svenska.',
    needDate: 'Ange datumet.', badCases: 'Ärendenumren ska vara tal åtskilda med kommatecken.', linked: 'Länkade ärenden', notFound: 'Utvecklingsåtgärden hittades inte.',
    readOnly: 'Din roll kan läsa utvecklingsåtgärder men inte registrera dem.', back: 'Tillbaka till utvecklingsåtgärderna', caseN: 'Ärende #{n}',
  },
  en: {
    title: 'Development actions', nav: 'Actions', intro: 'What we changed because of customer feedback – published actions are shown to residents on the “You said, we did” page.',
    publicPage: 'Your area\'s public “You said, we did” page', add: 'Record a new development action', filters: 'Filters', unit: 'Unit', allUnits: 'All of my area',
    published: 'Publication', any: 'All', onlyPublished: 'Published', onlyDrafts: 'Not published', theme: 'Theme', apply: 'Show',
    caption: 'Development actions, newest first', none: 'No development actions.', colTitle: 'Action', colUnit: 'Unit', colDone: 'Done on', colThemes: 'Themes',
    colCases: 'Feedback', colState: 'Publication', isPublished: 'Published', isDraft: 'Draft', onPublic: 'on the public page', edit: 'Edit',
    newTitle: 'New development action', editTitle: 'Edit the development action', fi: 'Suomeksi – in Finnish (required)', sv: 'På svenska – in Swedish (needed to publish)', en: 'In English (optional)',
    fTitle: 'Title: what was changed', fDescription: 'Description: what, where and how', fReason: 'Reason: what customers said', doneOn: 'Done on',
    themes: 'Themes the action answers', cases: 'Feedback that led to it', casesHint: 'Case numbers separated by commas, e.g. 812, 990.',
    publish: 'Publish on the public page', publishHint: 'Publishing needs a Swedish title too; the public page is bilingual.',
    save: 'Save', saved: 'The development action was saved.', cancel: 'Cancel', del: 'Delete the development action', delConfirm: 'Confirm deletion', deleted: 'The development action was deleted.',
    delAsk: 'Delete this development action permanently?', errors: 'Please correct these:', needFi: 'Give a title in Finnish.', needSv: 'Publishing needs a title in Swedish.',
    needDate: 'Give the date.', badCases: 'Case numbers must be numbers separated by commas.', linked: 'Linked cases', notFound: 'The development action was not found.',
    readOnly: 'Your role can read development actions but not record them.', back: 'Back to development actions', caseN: 'Case #{n}',
  },
} satisfies Record<Lang, Record<string, string>>;

const PUBLIC_PATH: Record<Lang, string> = { fi: '/sanoitte-teimme/', sv: '/ni-sade-vi-gjorde/', en: '/you-said-we-did/' };

// The public "you said, we did" page of `area` in `lang`.
export function publicActionsUrl(lang: Lang, area: string): string {
  return PUBLIC_PATH[lang] + encodeURIComponent(area);
}

function listOf(r: unknown): DevAction[] {
  if (Array.isArray(r)) return r as DevAction[];
  const o = r as { actions?: DevAction[]; items?: DevAction[] } | null;
  return o?.actions ?? o?.items ?? [];
}

function unitOptions(model: Model | null, root: string, lang: Lang): [string, string][] {
  return (model ? unitTree(model, root) : []).map((u): [string, string] => [u.id, `${'\u00a0\u00a0'.repeat(u.depth)}${localized(u.name, lang)}`]);
}

async function renderList(root: HTMLElement, ctx: PageContext): Promise<void> {
  const { lang, me } = ctx;
  const t = S[lang];
  replace(root, h('h1', null, t.title), loading(lang));
  const query: Record<string, string> = {};
  for (const k of ['unit', 'published', 'theme']) {
    const v = ctx.query.get(k);
    if (v) query[k] = v;
  }
  let model: Model | null;
  let list: DevAction[];
  try {
    [list, model] = await Promise.all([
      ctx.api.get<unknown>('/api/v1/actions', query).then(listOf),
      getModel(ctx.api).catch(() => null),
    ]);
  } catch (e) {
    replace(root, h('h1', null, t.title), errorBox(lang, e));
    return;
  }
  const form = h('form', { class: 'filters compact', role: 'search', 'aria-label': t.filters, method: 'get', action: appHref('/actions') },
    h('div', { class: 'filter-row' },
      field(t.unit, select('unit', [['', t.allUnits], ...unitOptions(model, me.scope_unit, lang)], query.unit)),
      field(t.published, select('published', [['', t.any], ['true', t.onlyPublished], ['false', t.onlyDrafts]], query.published)),
      field(t.theme, select('theme', [['', COMMON[lang].all], ...(model?.themes ?? []).map((x): [string, string] => [x.id, localized(x.label, lang)])], query.theme)),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t.apply))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v) q.set(k, v);
    ctx.navigate(`/actions${q.toString() ? `?${q}` : ''}`);
  });

  const canEdit = me.permissions.edit_actions;
  const table = list.length
    ? scrollTable(h('table', { class: 'actions-table' },
      h('caption', null, t.caption),
      h('thead', null, h('tr', null, [t.colTitle, t.colUnit, t.colDone, t.colThemes, t.colCases, t.colState].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, list.map((a) => h('tr', null,
        h('th', { scope: 'row' }, canEdit ? h('a', { href: appHref(`/actions/${a.id}`) }, localized(a.title, lang) || `#${a.id}`) : localized(a.title, lang)),
        h('td', null, localized(a.unit_name, lang) || unitName(model, a.unit, lang)),
        h('td', null, fmtDate(lang, a.done_on ? `${a.done_on}T12:00:00Z` : null)),
        h('td', null, (a.themes ?? []).map((x) => themeLabel(model, x, lang)).join(', ')),
        h('td', null, (a.cases ?? []).map((n, i) => [i ? ', ' : '', h('a', { href: appHref(`/cases/${n}`) }, `#${n}`)])),
        h('td', null,
          h('span', { class: `badge ${a.published ? 'status-answered' : 'status-closed'}` }, a.published ? t.isPublished : t.isDraft),
          a.published ? h('div', { class: 'sub' }, h('a', { href: publicActionsUrl(lang, a.unit) }, t.onPublic)) : null))))), t.caption)
    : h('p', { class: 'empty' }, t.none);

  replace(root,
    h('h1', null, t.title),
    h('p', { class: 'lead' }, t.intro),
    h('ul', { class: 'plain links-row' },
      canEdit ? h('li', null, h('a', { href: appHref('/actions/new'), class: 'button primary' }, t.add)) : null,
      h('li', null, h('a', { href: publicActionsUrl(lang, me.scope_unit) }, t.publicPage))),
    canEdit ? null : h('p', { class: 'note' }, t.readOnly),
    form,
    table);
}

function today(): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return p; // en-CA formats as YYYY-MM-DD
}

async function loadOne(ctx: PageContext, id: string): Promise<DevAction | null> {
  try {
    return await ctx.api.get<DevAction>(`/api/v1/actions/${encodeURIComponent(id)}`);
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 405)) throw e;
  }
  const all = listOf(await ctx.api.get<unknown>('/api/v1/actions'));
  return all.find((a) => String(a.id) === id) ?? null;
}

async function renderForm(root: HTMLElement, ctx: PageContext, id: string | null): Promise<void> {
  const { lang, me } = ctx;
  const t = S[lang];
  const heading = id ? t.editTitle : t.newTitle;
  replace(root, h('h1', null, heading), loading(lang));
  let model: Model | null;
  let existing: DevAction | null = null;
  try {
    model = await getModel(ctx.api).catch(() => null);
    if (id) existing = await loadOne(ctx, id);
  } catch (e) {
    replace(root, h('h1', null, heading), errorBox(lang, e));
    return;
  }
  if (id && !existing) {
    replace(root, h('h1', null, heading), h('p', { class: 'error', role: 'alert' }, t.notFound), h('p', null, h('a', { href: appHref('/actions') }, t.back)));
    return;
  }
  if (!me.permissions.edit_actions) {
    replace(root, h('h1', null, heading), h('p', { class: 'note' }, t.readOnly), h('p', null, h('a', { href: appHref('/actions') }, t.back)));
    return;
  }

  const q = ctx.query;
  const prefillCases = q.getAll('case').flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  const prefillThemes = q.getAll('theme');
  const a: DevAction = existing ?? {
    id: 0, unit: q.get('unit') || me.scope_unit, title: {}, description: {}, reason: {}, done_on: today(),
    themes: prefillThemes, cases: prefillCases.map(Number).filter((n) => Number.isInteger(n)), published: false,
  };

  const inputs: Record<string, { title: HTMLInputElement; description: HTMLTextAreaElement; reason: HTMLTextAreaElement }> = {};
  const langSets = (['fi', 'sv', 'en'] as const).map((l) => {
    const title = h('input', { type: 'text', name: `title.${l}`, lang: l, value: a.title?.[l] ?? '', maxlength: 200, required: l === 'fi' });
    const description = h('textarea', { name: `description.${l}`, lang: l, rows: 4, maxlength: 4000 }, a.description?.[l] ?? '');
    const reason = h('textarea', { name: `reason.${l}`, lang: l, rows: 3, maxlength: 4000 }, a.reason?.[l] ?? '');
    inputs[l] = { title, description, reason };
    return h('fieldset', { class: 'lang-set' },
      h('legend', null, t[l]),
      field(t.fTitle, title), field(t.fDescription, description), field(t.fReason, reason));
  });
  const unitSelect = select('unit', unitOptions(model, me.scope_unit, lang), a.unit);
  if (!unitSelect.options.length) unitSelect.appendChild(h('option', { value: a.unit, selected: true }, a.unit));
  const date = h('input', { type: 'date', name: 'done_on', value: a.done_on, required: true });
  const themes = h('fieldset', { class: 'checks-grid' },
    h('legend', null, t.themes),
    (model?.themes ?? []).map((x) => checkbox('themes', x.id, localized(x.label, lang), (a.themes ?? []).includes(x.id))));
  const casesInput = h('input', { type: 'text', name: 'cases', inputmode: 'numeric', value: (a.cases ?? []).join(', ') });
  const publish = h('input', { type: 'checkbox', name: 'published', id: uid('p'), checked: a.published });
  const publishHint = h('p', { class: 'hint', id: uid('hint') }, t.publishHint);
  publish.setAttribute('aria-describedby', publishHint.id);
  const summary = h('div', { class: 'form-message', tabindex: -1 });

  const form = h('form', { class: 'action-form', novalidate: true },
    summary,
    langSets,
    h('div', { class: 'filter-row' }, field(t.unit, unitSelect), field(t.doneOn, date)),
    themes,
    field(t.cases, casesInput, t.casesHint),
    (a.cases ?? []).length ? h('p', { class: 'linked' }, `${t.linked}: `, (a.cases ?? []).map((n, i) => [i ? ', ' : '', h('a', { href: appHref(`/cases/${n}`) }, t.caseN.replace('{n}', String(n)))])) : null,
    h('div', { class: 'check' }, publish, h('label', { for: publish.id }, t.publish)),
    publishHint,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t.save),
      h('a', { href: appHref('/actions'), class: 'button secondary' }, t.cancel)));

  const showErrors = (errs: [string, HTMLElement | null][]) => {
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    replace(summary, h('div', { class: 'error-summary', role: 'alert' },
      h('p', null, t.errors),
      h('ul', null, errs.map(([msg, el]) => {
        if (el) el.setAttribute('aria-invalid', 'true');
        return h('li', null, el ? h('a', { href: `#${el.id}`, onclick: (ev: Event) => { ev.preventDefault(); el.focus(); } }, msg) : msg);
      }))));
    summary.focus();
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const errs: [string, HTMLElement | null][] = [];
    const texts = (k: 'title' | 'description' | 'reason') => {
      const o: Record<string, string> = {};
      for (const l of ['fi', 'sv', 'en']) {
        const v = inputs[l][k].value.trim();
        if (v) o[l] = v;
      }
      return o;
    };
    const title = texts('title');
    if (!title.fi) errs.push([t.needFi, inputs.fi.title]);
    if (publish.checked && !title.sv) errs.push([t.needSv, inputs.sv.title]);
    if (!date.value) errs.push([t.needDate, date]);
    const caseParts = casesInput.value.split(/[\s,;]+/).map((x) => x.replace(/^#/, '')).filter(Boolean);
    if (caseParts.some((x) => !/^\d+$/.test(x))) errs.push([t.badCases, casesInput]);
    if (errs.length) {
      showErrors(errs);
      return;
    }
    const body = {
      unit: unitSelect.value,
      title,
      description: texts('description'),
      reason: texts('reason'),
      done_on: date.value,
      themes: [...form.querySelectorAll<HTMLInputElement>('input[name="themes"]:checked')].map((x) => x.value),
      cases: [...new Set(caseParts.map(Number))],
      published: publish.checked,
    };
    void busy(form, async () => {
      try {
        if (existing) await ctx.api.send('PUT', `/api/v1/actions/${existing.id}`, body);
        else await ctx.api.send('POST', '/api/v1/actions', body);
      } catch (e) {
        showErrors([[errorText(lang, e), null]]);
        return;
      }
      ctx.announce(t.saved);
      ctx.navigate('/actions');
    });
  });

  let deleteArea: HTMLElement | null = null;
  if (existing) {
    const current = existing;
    deleteArea = h('div', { class: 'danger-zone' });
    const ask = h('button', { type: 'button', class: 'secondary' }, t.del);
    ask.addEventListener('click', () => {
      const confirmBtn = h('button', { type: 'button', class: 'danger' }, t.delConfirm);
      const cancelBtn = h('button', { type: 'button', class: 'secondary' }, t.cancel);
      const msg = h('div', { class: 'form-message' });
      cancelBtn.addEventListener('click', () => {
        replace(deleteArea as HTMLElement, ask);
        ask.focus();
      });
      confirmBtn.addEventListener('click', () => {
        void busy(deleteArea as HTMLElement, async () => {
          try {
            await ctx.api.send('DELETE', `/api/v1/actions/${current.id}`);
          } catch (e) {
            replace(msg, errorBox(lang, e));
            return;
          }
          ctx.announce(t.deleted);
          ctx.navigate('/actions');
        });
      });
      replace(deleteArea as HTMLElement, h('p', null, t.delAsk), msg, h('div', { class: 'actions' }, confirmBtn, cancelBtn));
      confirmBtn.focus();
    });
    deleteArea.appendChild(ask);
  }

  replace(root,
    h('p', { class: 'breadcrumb' }, h('a', { href: appHref('/actions') }, t.back)),
    h('h1', null, heading),
    form,
    deleteArea);
}

export const actionsPage: PageModule = {
  path: '/actions',
  title: (lang) => S[lang].title,
  nav: { order: 20, label: (lang) => S[lang].nav },
  render: renderList,
};

export const actionNewPage: PageModule = {
  path: '/actions/new',
  title: (lang) => S[lang].newTitle,
  render: (root, ctx) => renderForm(root, ctx, null),
};

export const actionEditPage: PageModule = {
  path: '/actions/:id',
  title: (lang) => S[lang].editTitle,
  render: (root, ctx) => renderForm(root, ctx, ctx.params.id),
};
