// The daily-work pages of the staff app: the feedback inbox and its cases, the
// overdue view, development actions and the account page. The sign-in page and the
// not-found page are used by the shell directly (they are not routes).
import { actionEditPage, actionNewPage, actionsPage } from './pages/actions';
import { accountPage } from './pages/account';
import { casePage } from './pages/case';
import { inboxPage, overduePage } from './pages/inbox';
import { loginPage, notFoundPage } from './pages/login';
import type { PageModule } from './page';

export { loginPage, notFoundPage };

export const staffRoutes: PageModule[] = [
  inboxPage,
  overduePage,
  casePage,
  actionsPage,
  actionNewPage,
  actionEditPage,
  accountPage,
];
