// Data the pages share and that changes rarely: the served measurement model
// (GET /api/v1/model: unit names, touchpoints, surveys, theme labels), cached per
// signed-in session; the shell calls resetShared() on sign-in and sign-out.
import type { Api } from './api';
import { localized } from './i18n';
import type { Lang } from './page';

export type Text = Partial<Record<string, string>>;

export interface ModelUnit { id: string; parent: string | null; kind: string; name: Text }
export interface ModelTheme { id: string; label: Text }
export interface ModelQuestion {
  key: string;
  type: string;
  text: Text;
  options?: { key: string; label: Text }[];
}
export interface ModelSurvey { id: string; title: Text; questions: ModelQuestion[] }
export interface ModelTouchpoint { id: string; name: Text; units: string[]; survey: string; channels: string[] }
export interface Model {
  version: string;
  county: string;
  county_name: Text;
  units: ModelUnit[];
  touchpoints: ModelTouchpoint[];
  surveys: ModelSurvey[];
  themes?: ModelTheme[];
  contacts?: Record<string, string>;
}

let modelPromise: Promise<Model> | null = null;

// The served model (cached).
export function getModel(api: Api): Promise<Model> {
  if (!modelPromise) {
    modelPromise = api.get<Model>('/api/v1/model').catch((e: unknown) => {
      modelPromise = null;
      throw e;
    });
  }
  return modelPromise;
}

export function resetShared(): void {
  modelPromise = null;
}

// A unit of the org tree with its depth below `root` (0 = root).
export interface TreeUnit { id: string; name: Text; depth: number; kind: string }

// The subtree of `root` in depth-first order (the order of the model file within a
// parent), for unit pickers. Unknown root: the whole tree.
export function unitTree(model: Model, root: string): TreeUnit[] {
  const children = new Map<string | null, ModelUnit[]>();
  for (const u of model.units) {
    const list = children.get(u.parent) ?? [];
    list.push(u);
    children.set(u.parent, list);
  }
  const out: TreeUnit[] = [];
  const walk = (u: ModelUnit, depth: number) => {
    out.push({ id: u.id, name: u.name, depth, kind: u.kind });
    for (const c of children.get(u.id) ?? []) walk(c, depth + 1);
  };
  const start = model.units.find((u) => u.id === root);
  if (start) walk(start, 0);
  else for (const u of children.get(null) ?? []) walk(u, 0);
  return out;
}

// The unit's name in `lang` (its id when unknown).
export function unitName(model: Model | null, id: string, lang: Lang): string {
  const u = model?.units.find((x) => x.id === id);
  return u ? localized(u.name, lang) : id;
}

export function themeLabel(model: Model | null, id: string, lang: Lang): string {
  const t = model?.themes?.find((x) => x.id === id);
  return t ? localized(t.label, lang) : id;
}

export function touchpointName(model: Model | null, id: string | null | undefined, lang: Lang): string {
  if (!id) return '';
  const t = model?.touchpoints.find((x) => x.id === id);
  return t ? localized(t.name, lang) : id;
}
