// The contract between the app shell (main.ts) and its pages. Each page module
// exports a `PageModule`; the shell's route table lists them (routes-staff.ts for
// sign-in, inbox, cases and actions; routes-insight.ts for the dashboard, reports,
// model and audit). Written by the lead; change only by adding fields.
import type { Api } from './api';

export type Lang = 'fi' | 'sv' | 'en';

// GET /api/v1/session (docs/workspace-api.md).
export interface Me {
  user_id: number;
  login: string;
  role: 'admin' | 'cx_specialist' | 'director' | 'unit_manager' | 'analyst' | 'integration';
  scope_unit: string;
  scope_name: Partial<Record<Lang, string>>;
  csrf_token: string;
  totp_enabled: boolean;
  expires_at: string;
  permissions: {
    handle_cases: boolean;
    read_contact: boolean;
    edit_actions: boolean;
    publish_model: boolean;
    read_audit: boolean;
    export: boolean;
  };
}

export interface PageContext {
  me: Me;
  lang: Lang;
  api: Api;
  // Route parameters (":id" in the path pattern) and the URL's query.
  params: Record<string, string>;
  query: URLSearchParams;
  // Goes to another app path (without the "/app" base), e.g. "/cases/812".
  navigate(path: string): void;
  // Announces a short message to screen readers and shows it as a toast.
  announce(message: string): void;
}

export interface PageModule {
  // Path pattern under /app, e.g. "/cases/:id". The first matching pattern wins.
  path: string;
  // The page title (document title and h1) in the given language.
  title(lang: Lang): string;
  // Shown in the main navigation when set and `visible(me)` (default: always).
  nav?: { order: number; label(lang: Lang): string; visible?(me: Me): boolean };
  // Renders into `root` (emptied by the shell), which is the <main> element.
  render(root: HTMLElement, ctx: PageContext): Promise<void> | void;
}
