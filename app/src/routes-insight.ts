// The dashboard, reports, model and audit pages (owned by helper app2).
import type { PageModule } from './page';
import { dashboardPage } from './pages/dashboard';
import { reportPage } from './pages/report-print';
import { modelPage } from './pages/model';
import { auditPage } from './pages/audit';

export const insightRoutes: PageModule[] = [dashboardPage, reportPage, modelPage, auditPage];
