// The measurement model in the app: journeys, touchpoints (with their QR posters and
// codes, invitation and answer counts), surveys in every language side by side or one
// at a time; for those who may publish: upload a model folder, check it (diagnostics
// or the diff against the current model) and publish it after a confirmation; the
// versions, earlier ones readable. Owned by helper app2.
import { ApiError } from '../api';
import type { Lang, PageContext, PageModule } from '../page';
import { h, replace, uid } from '../dom';
import { fewerThan, fmtDate, fmtNumber, localized } from '../i18n';
import { errorBox, errorText, field, loading, select } from '../ui';
import { fmtDay, invalidateModel, loadModel, Names, type Model, type ModelSurvey, type Texts } from '../indicators';
import { dataTable } from '../table';
import '../insight.css';

const S: Record<Lang, Record<string, string>> = {
  fi: {
    title: 'Mittausmalli', nav: 'Malli', version: 'Versio', county: 'Hyvinvointialue', journeys: 'Asiakaspolut', stages: 'Vaiheet', touchpoints: 'Kosketuspisteet', touchpointsCaption: 'Kosketuspisteet, kutsut ja vastaukset (viimeiset 365 päivää)',
    name: 'Nimi', journey: 'Asiakaspolku', stage: 'Vaihe', units: 'Yksiköt', channels: 'Kanavat', survey: 'Kysely', invitations: 'Kutsuja', answers: 'Vastauksia', lastAnswer: 'Viimeisin vastaus', links: 'Juliste ja QR-koodi', poster: 'Juliste', qr: 'QR-koodi (SVG)',
    surveys: 'Kyselyt', chooseSurvey: 'Kysely', languages: 'Kielet', allLangs: 'Kaikki rinnakkain', questionsCaption: 'Kyselyn {survey} kysymykset', key: 'Tunniste', type: 'Tyyppi',
    publish: 'Uusi malliversio', files: 'Mallin YAML-tiedostot', filesHint: 'Valitse kansion kaikki .yaml-tiedostot (esim. org.yaml, surveys.yaml).', check: 'Tarkista', checking: 'Tarkistetaan…', ok: 'Malli on kelvollinen: versio {v}.', invalid: 'Mallissa on virheitä ({n}). Korjaa ne ja tarkista uudelleen.', diagnostics: 'Virheet', diff: 'Muutokset nykyiseen malliin', noChanges: 'Ei muutoksia nykyiseen malliin.',
    added: 'Lisätty', removed: 'Poistettu', changed: 'Muutettu', publishBtn: 'Julkaise', confirm: 'Julkaistaanko versio {v}? Uudet vastaukset kerätään heti sen mukaan.', confirmYes: 'Kyllä, julkaise', cancel: 'Peruuta', published: 'Versio {v} on julkaistu ja käytössä.', noFiles: 'Valitse ensin tiedostot.',
    versions: 'Versiot', versionsCaption: 'Malliversiot (uusin ensin)', remembered: 'Tallennettu', publishedAt: 'Julkaistu', publishedBy: 'Julkaisija', current: 'Käytössä', show: 'Näytä', read: 'Näytä versio {v}', yes: 'kyllä', versionView: 'Versio {v}', summary: '{u} yksikköä, {t} kosketuspistettä, {s} kyselyä, {j} asiakaspolkua', json: 'Version JSON-kuvaus',
    categories: 'units:Yksiköt|touchpoints:Kosketuspisteet|surveys:Kyselyt|questions:Kysymykset|themes:Teemat|targets:Tavoitteet|journeys:Asiakaspolut|settings:Asetukset', fromFile: 'tiedostosta palvelimen käynnistyessä',
  },
  sv: {
    title: 'Mätmodell', nav: 'Modell', version: 'Version', county: 'Välfärdsområde', journeys: 'Kundresor', stages: 'Skeden', touchpoints: 'Kontaktpunkter', touchpointsCaption: 'Kontaktpunkter, inbjudningar och svar (de senaste 365 dagarna)',
    name: 'Namn', journey: 'Kundresa', stage: 'Skede', units: 'Enheter', channels: 'Kanaler', survey: 'Enkät', invitations: 'Inbjudningar', answers: 'Svar', lastAnswer: 'Senaste svar', links: 'Affisch och QR-kod', poster: 'Affisch', qr: 'QR-kod (SVG)',
    surveys: 'Enkäter', chooseSurvey: 'Enkät', languages: 'Språk', allLangs: 'Alla sida vid sida', questionsCaption: 'Frågorna i enkäten {survey}', key: 'Nyckel', type: 'Typ',
    publish: 'Ny modellversion', files: 'Modellens YAML-filer', filesHint: 'Välj alla .yaml-filer i mappen (t.ex. org.yaml, surveys.yaml).', check: 'Kontrollera', checking: 'Kontrollerar…', ok: 'Modellen är giltig: version {v}.', invalid: 'Modellen har fel ({n}). Rätta dem och kontrollera igen.', diagnostics: 'Fel', diff: 'Ändringar mot den nuvarande modellen', noChanges: 'Inga ändringar mot den nuvarande modellen.',
    added: 'Tillagt', removed: 'Borttaget', changed: 'Ändrat', publishBtn: 'Publicera', confirm: 'Publicera version {v}? Nya svar samlas genast enligt den.', confirmYes: 'Ja, publicera', cancel: 'Avbryt', published: 'Version {v} är publicerad och i bruk.', noFiles: 'Välj först filerna.',
    versions: 'Versioner', versionsCaption: 'Modellversioner (nyaste först)', remembered: 'Sparad', publishedAt: 'Publicerad', publishedBy: 'Publicerad av', current: 'I bruk', show: 'Visa', read: 'Visa version {v}', yes: 'ja', versionView: 'Version {v}', summary: '{u} enheter, {t} kontaktpunkter, {s} enkäter, {j} kundresor', json: 'Versionens JSON-beskrivning',
    categories: 'units:Enheter|touchpoints:Kontaktpunkter|surveys:Enkäter|questions:Frågor|themes:Teman|targets:Mål|journeys:Kundresor|settings:Inställningar', fromFile: 'från fil när servern startade',
  },
  en: {
    title: 'Measurement model', nav: 'Model', version: 'Version', county: 'County', journeys: 'Journeys', stages: 'Stages', touchpoints: 'Touchpoints', touchpointsCaption: 'Touchpoints, invitations and answers (last 365 days)',
    name: 'Name', journey: 'Journey', stage: 'Stage', units: 'Units', channels: 'Channels', survey: 'Survey', invitations: 'Invitations', answers: 'Answers', lastAnswer: 'Last answer', links: 'Poster and QR code', poster: 'Poster', qr: 'QR code (SVG)',
    surveys: 'Surveys', chooseSurvey: 'Survey', languages: 'Languages', allLangs: 'All side by side', questionsCaption: 'Questions of the survey {survey}', key: 'Key', type: 'Type',
    publish: 'New model version', files: 'The model’s YAML files', filesHint: 'Choose every .yaml file of the folder (e.g. org.yaml, surveys.yaml).', check: 'Check', checking: 'Checking…', ok: 'The model is valid: version {v}.', invalid: 'The model has errors ({n}). Fix them and check again.', diagnostics: 'Errors', diff: 'Changes from the current model', noChanges: 'No changes from the current model.',
    added: 'Added', removed: 'Removed', changed: 'Changed', publishBtn: 'Publish', confirm: 'Publish version {v}? New answers are collected by it at once.', confirmYes: 'Yes, publish', cancel: 'Cancel', published: 'Version {v} is published and in use.', noFiles: 'Choose the files first.',
    versions: 'Versions', versionsCaption: 'Model versions (newest first)', remembered: 'Stored', publishedAt: 'Published', publishedBy: 'Published by', current: 'In use', show: 'Show', read: 'Show version {v}', yes: 'yes', versionView: 'Version {v}', summary: '{u} units, {t} touchpoints, {s} surveys, {j} journeys', json: 'The version as JSON',
    categories: 'units:Units|touchpoints:Touchpoints|surveys:Surveys|questions:Questions|themes:Themes|targets:Targets|journeys:Journeys|settings:Settings', fromFile: 'from a file at server start',
  },
};

const TEXT_LANGS: [string, string][] = [['fi', 'suomi'], ['sv', 'svenska'], ['en', 'English'], ['fi-x-selko', 'selkosuomi']];

function fill(t: string, vars: Record<string, string | number>): string {
  return t.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

function sectionOf(key: string, title: string, ...children: (Node | null)[]): HTMLElement {
  const id = uid('h');
  return h('section', { class: 'model-section', 'data-section': key, 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

interface TpStats { touchpoint: string; invitations: number | null; answers: number | null; last_answer_at: string | null }
interface Version { version: string; remembered_at: string | null; published_at: string | null; published_by: string | null; from_file?: boolean; current: boolean }
interface Diagnostic { file: string; line: number; column: number; message: string }
interface CheckResult { ok: boolean; version?: string; diff?: Record<string, { added?: unknown[]; removed?: unknown[]; changed?: unknown[] }>; diagnostics?: Diagnostic[] }

function listOf<T>(body: unknown, ...keys: string[]): T[] {
  if (Array.isArray(body)) return body as T[];
  for (const k of keys) {
    const v = (body as Record<string, unknown> | null)?.[k];
    if (Array.isArray(v)) return v as T[];
  }
  return [];
}

function journeysSection(lang: Lang, model: Model, names: Names): HTMLElement {
  const s = S[lang];
  return sectionOf('journeys', s.journeys, h('ul', { class: 'journeys' }, model.journeys.map((j) =>
    h('li', null,
      h('strong', null, localized(j.name, lang)),
      h('ol', { class: 'stages', 'aria-label': `${s.stages}: ${localized(j.name, lang)}` }, j.stages.map((st) => {
        const tps = model.touchpoints.filter((t) => t.journey === j.id && t.stage === st.id);
        return h('li', null, localized(st.name, lang), tps.length ? `: ${tps.map((t) => names.of('touchpoint', t.id, lang)).join(', ')}` : '');
      }))))));
}

function touchpointsSection(lang: Lang, model: Model, names: Names, stats: Map<string, TpStats> | null, threshold: number): HTMLElement {
  const s = S[lang];
  // A count below the threshold comes as null: words, never a number.
  const count = (x: TpStats | undefined, k: 'invitations' | 'answers'): Node | string => {
    if (!x) return '';
    const v = x[k];
    return v === null || v === undefined ? h('span', { class: 'suppressed' }, fewerThan(lang, threshold)) : fmtNumber(lang, v);
  };
  const journeyName = (id: string) => names.of('journey', id, lang);
  const stageName = (j: string, st: string) => localized(model.journeys.find((x) => x.id === j)?.stages.find((x) => x.id === st)?.name, lang) || st;
  return sectionOf('touchpoints', s.touchpoints, dataTable({
    caption: s.touchpointsCaption,
    lang,
    rows: model.touchpoints,
    columns: [
      { label: s.name, cell: (t) => localized(t.name, lang) },
      { label: s.journey, cell: (t) => `${journeyName(t.journey)} – ${stageName(t.journey, t.stage)}` },
      { label: s.units, cell: (t) => t.units.map((u) => names.of('unit', u, lang)).join(', ') },
      { label: s.channels, cell: (t) => t.channels.map((c) => names.of('channel', c, lang)).join(', ') },
      { label: s.survey, cell: (t) => localized(model.surveys.find((x) => x.id === t.survey)?.title, lang) || t.survey },
      { label: s.invitations, numeric: true, cell: (t) => count(stats?.get(t.id), 'invitations') },
      { label: s.answers, numeric: true, cell: (t) => count(stats?.get(t.id), 'answers') },
      { label: s.lastAnswer, cell: (t) => { const d = stats?.get(t.id)?.last_answer_at; return d ? fmtDay(lang, d.slice(0, 10)) : ''; } },
      {
        label: s.links,
        cell: (t) => h('span', { class: 'links' },
          h('a', { href: `/s/${encodeURIComponent(t.id)}/juliste?lang=${lang === 'en' ? 'fi' : lang}`, 'aria-label': `${s.poster}: ${localized(t.name, lang)}` }, s.poster),
          ' · ',
          h('a', { href: `/s/${encodeURIComponent(t.id)}/qr.svg`, 'aria-label': `${s.qr}: ${localized(t.name, lang)}` }, s.qr)),
      },
    ],
  }));
}

function surveysSection(lang: Lang, model: Model): HTMLElement {
  const s = S[lang];
  const pick = select('survey', model.surveys.map((x) => [x.id, localized(x.title, lang) || x.id]), model.surveys[0]?.id);
  const langs = select('langs', [['all', s.allLangs], ...TEXT_LANGS.filter(([l]) => model.languages.includes(l))], 'all');
  const holder = h('div', { class: 'survey-view' });
  const draw = () => {
    const survey = model.surveys.find((x) => x.id === pick.value) as ModelSurvey | undefined;
    if (!survey) return;
    const shown = TEXT_LANGS.filter(([l]) => model.languages.includes(l) && (langs.value === 'all' || langs.value === l));
    const text = (t: Texts | undefined, l: string) => (t ? t[l] ?? '' : '');
    replace(holder, dataTable({
      caption: fill(s.questionsCaption, { survey: localized(survey.title, lang) || survey.id }),
      lang,
      rows: survey.questions,
      columns: [
        { label: s.key, cell: (q) => q.key },
        { label: s.type, cell: (q) => q.type },
        ...shown.map(([l, name]) => ({
          label: name,
          cell: (q: ModelSurvey['questions'][number]) => h('div', { lang: l },
            text(q.text, l),
            q.options?.length ? h('ul', { class: 'options' }, q.options.map((o) => h('li', null, text(o.label, l)))) : null),
        })),
      ],
    }));
  };
  pick.addEventListener('change', draw);
  langs.addEventListener('change', draw);
  draw();
  return sectionOf('surveys', s.surveys, h('div', { class: 'inline-fields' }, field(s.chooseSurvey, pick), field(s.languages, langs)), holder);
}

function itemNode(x: unknown): Node | string {
  const o = x && typeof x === 'object' ? (x as Record<string, unknown>) : null;
  const texts = o && Array.isArray(o.texts) ? (o.texts as { field?: string; language?: string; from?: string; to?: string }[]) : [];
  if (!texts.length) return itemText(x);
  return h('span', null, itemText(x), h('ul', null, texts.map((t) =>
    h('li', null, `${t.language ?? ''} ${t.field ?? ''}: `, h('del', null, t.from ?? ''), ' → ', h('ins', null, t.to ?? '')))));
}

function itemText(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    const id = o.id ?? o.key ?? o.unit;
    const what = o.fields ?? o.changes ?? o.what;
    if (Array.isArray(what) && what.length === 0) return String(id);
    if (id !== undefined) return what ? `${String(id)} (${Array.isArray(what) ? what.join(', ') : JSON.stringify(what)})` : String(id);
    return JSON.stringify(x);
  }
  return String(x);
}

function diffView(lang: Lang, diff: CheckResult['diff']): HTMLElement {
  const s = S[lang];
  const cats = new Map(s.categories.split('|').map((p) => p.split(':') as [string, string]));
  const parts: Node[] = [];
  for (const [cat, d] of Object.entries(diff ?? {})) {
    const lists: [string, unknown[]][] = [[s.added, d?.added ?? []], [s.removed, d?.removed ?? []], [s.changed, d?.changed ?? []]];
    if (lists.every(([, l]) => l.length === 0)) continue;
    const id = uid('h');
    parts.push(h('div', { class: 'diff-cat', role: 'group', 'aria-labelledby': id, 'data-diff': cat },
      h('h4', { id }, cats.get(cat) ?? cat),
      h('dl', { class: 'facts' }, lists.filter(([, l]) => l.length).map(([label, l]) =>
        h('div', null, h('dt', null, `${label} (${l.length})`), h('dd', null, h('ul', null, l.map((x) => h('li', null, itemNode(x))))))))));
  }
  if (parts.length === 0) parts.push(h('p', null, s.noChanges));
  const id = uid('h');
  return h('div', { class: 'diff', role: 'group', 'aria-labelledby': id }, h('h3', { id }, s.diff), ...parts);
}

function readFiles(list: FileList): Promise<Record<string, string>> {
  const files = [...list].filter((f) => /\.ya?ml$/i.test(f.name));
  return Promise.all(files.map((f) => new Promise<[string, string]>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve([f.name, String(r.result ?? '')]);
    r.onerror = () => reject(r.error ?? new Error(`cannot read ${f.name}`));
    r.readAsText(f, 'utf-8');
  }))).then((pairs) => Object.fromEntries(pairs));
}

function publishSection(ctx: PageContext, onPublished: (version: string) => void): HTMLElement {
  const lang = ctx.lang;
  const s = S[lang];
  const input = h('input', { type: 'file', name: 'files', multiple: true, accept: '.yaml,.yml,application/yaml,text/yaml' });
  const result = h('div', { class: 'check-result' });
  let checked: { files: Record<string, string>; version: string } | null = null;
  const form = h('form', { class: 'model-upload' }, field(s.files, input, s.filesHint), h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, s.check)), result);
  input.addEventListener('change', () => {
    checked = null;
    replace(result);
  });
  const publish = async (btn: HTMLButtonElement) => {
    if (!checked) return;
    btn.disabled = true;
    try {
      const r = await ctx.api.send<{ version: string; published_at: string }>('POST', '/api/v1/models/publish', { files: checked.files });
      invalidateModel();
      const msg = fill(s.published, { v: r.version });
      replace(result, h('p', { class: 'success', role: 'status', 'data-published': r.version }, msg));
      ctx.announce(msg);
      checked = null;
      onPublished(r.version);
    } catch (e) {
      btn.disabled = false;
      replace(result, errorBox(lang, e));
    }
  };
  const confirmStep = (version: string, host: HTMLElement) => {
    const yes = h('button', { type: 'button', class: 'primary', 'data-confirm': 'publish' }, s.confirmYes);
    const no = h('button', { type: 'button', class: 'secondary' }, s.cancel);
    const box = h('div', { class: 'confirm', role: 'group', 'aria-label': s.publishBtn }, h('p', null, fill(s.confirm, { v: version })), h('div', { class: 'actions' }, yes, no));
    yes.addEventListener('click', () => void publish(yes));
    no.addEventListener('click', () => {
      box.remove();
      host.hidden = false;
      host.focus();
    });
    host.hidden = true;
    host.after(box);
    yes.focus();
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      if (!input.files || input.files.length === 0) {
        replace(result, h('p', { class: 'error', role: 'alert' }, s.noFiles));
        return;
      }
      replace(result, h('p', null, s.checking));
      const files = await readFiles(input.files);
      try {
        const r = await ctx.api.send<CheckResult>('POST', '/api/v1/models/check', { files });
        checked = { files, version: r.version ?? '' };
        const pub = h('button', { type: 'button', class: 'primary', 'data-action': 'publish' }, s.publishBtn);
        pub.addEventListener('click', () => confirmStep(checked?.version ?? '', pub));
        replace(result, h('p', { class: 'success', 'data-check': 'ok' }, fill(s.ok, { v: r.version ?? '' })), diffView(lang, r.diff), h('div', { class: 'actions' }, pub));
      } catch (err) {
        checked = null;
        const diags = err instanceof ApiError ? listOf<Diagnostic>(err.problem, 'diagnostics') : [];
        if (diags.length) {
          replace(result,
            h('p', { class: 'error', role: 'alert', 'data-check': 'invalid' }, fill(s.invalid, { n: diags.length })),
            h('ul', { class: 'diagnostics', 'aria-label': s.diagnostics }, diags.map((d) =>
              h('li', null, h('code', null, `${d.file}:${d.line}:${d.column}`), ` ${d.message}`))));
        } else {
          replace(result, h('p', { class: 'error', role: 'alert' }, errorText(lang, err)));
        }
      }
    })();
  });
  return sectionOf('publish', s.publish, form);
}

async function versionsSection(ctx: PageContext, holder: HTMLElement): Promise<void> {
  const lang = ctx.lang;
  const s = S[lang];
  replace(holder, loading(lang));
  try {
    const versions = listOf<Version>(await ctx.api.get<unknown>('/api/v1/models'), 'versions', 'items');
    const view = h('div', { class: 'version-view' });
    const show = async (v: string) => {
      replace(view, loading(lang));
      try {
        const m = await ctx.api.get<Model>(`/api/v1/models/${encodeURIComponent(v)}`);
        const id = uid('h');
        replace(view, h('div', { role: 'group', 'aria-labelledby': id, 'data-version': v },
          h('h3', { id }, fill(s.versionView, { v })),
          h('p', null, `${localized(m.county_name, lang)}: ${fill(s.summary, { u: m.units?.length ?? 0, t: m.touchpoints?.length ?? 0, s: m.surveys?.length ?? 0, j: m.journeys?.length ?? 0 })}`),
          h('details', null, h('summary', null, s.json), h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(m, null, 2)))));
      } catch (e) {
        replace(view, errorBox(lang, e));
      }
    };
    replace(holder, dataTable({
      caption: s.versionsCaption,
      lang,
      rows: versions,
      columns: [
        { label: s.version, cell: (v) => h('code', null, v.version) },
        { label: s.remembered, cell: (v) => fmtDate(lang, v.remembered_at, true) },
        { label: s.publishedAt, cell: (v) => fmtDate(lang, v.published_at, true) },
        { label: s.publishedBy, cell: (v) => v.published_by ?? (v.from_file ? s.fromFile : '') },
        { label: s.current, cell: (v) => (v.current ? `✓ ${s.yes}` : '') },
        { label: s.show, cell: (v) => h('button', { type: 'button', class: 'secondary', 'data-read': v.version, onclick: () => void show(v.version) }, fill(s.read, { v: v.version })) },
      ],
    }), view);
  } catch (e) {
    replace(holder, errorBox(lang, e));
  }
}

async function render(root: HTMLElement, ctx: PageContext): Promise<void> {
  const lang = ctx.lang;
  const s = S[lang];
  root.appendChild(h('h1', null, s.title));
  const wait = loading(lang);
  root.appendChild(wait);
  const model = await loadModel(ctx.api);
  const names = new Names(model);
  let stats: Map<string, TpStats> | null = null;
  let threshold = model.reporting_threshold;
  try {
    const body = await ctx.api.get<unknown>('/api/v1/touchpoints/stats');
    threshold = (body as { threshold?: number }).threshold ?? threshold;
    stats = new Map(listOf<TpStats>(body, 'touchpoints', 'items', 'stats').map((x) => [x.touchpoint, x]));
  } catch {
    stats = null;
  }
  wait.remove();
  const versionsHolder = h('div', { class: 'versions' });
  const parts: (Node | null)[] = [
    h('p', { class: 'model-version' }, `${s.county}: ${localized(model.county_name, lang)} · ${s.version} `, h('code', { 'data-model-version': model.version }, model.version)),
    journeysSection(lang, model, names),
    touchpointsSection(lang, model, names, stats, threshold),
    surveysSection(lang, model),
    ctx.me.permissions.publish_model
      ? publishSection(ctx, (v) => {
          const code = root.querySelector('[data-model-version]');
          if (code) {
            code.textContent = v;
            code.setAttribute('data-model-version', v);
          }
          void versionsSection(ctx, versionsHolder);
        })
      : null,
    sectionOf('versions', s.versions, versionsHolder),
  ];
  for (const p of parts) if (p) root.appendChild(p);
  await versionsSection(ctx, versionsHolder);
}

export const modelPage: PageModule = {
  path: '/model',
  title: (lang) => S[lang].title,
  nav: { order: 70, label: (lang) => S[lang].nav },
  render,
};
