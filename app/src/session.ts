// The shell's sign-in state, for the pages that change it (sign-in, account).
// main.ts installs the implementation at start-up.
import type { Me } from './page';

export interface SessionControl {
  // The sign-in page got a session: the shell stores `me` and shows the route.
  signedIn(me: Me): void;
  // The account page changed `me` (e.g. the second factor is now on).
  updated(me: Me): void;
  // Signs out (DELETE /api/v1/session) or everywhere (POST .../revoke-all), then
  // shows the sign-in page with a note.
  signOut(everywhere: boolean): Promise<void>;
}

let control: SessionControl | null = null;

export function installSession(c: SessionControl): void {
  control = c;
}

export function session(): SessionControl {
  if (!control) throw new Error('session control not installed');
  return control;
}
