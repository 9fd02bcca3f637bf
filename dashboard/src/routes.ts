import { lazy, type ComponentType } from 'react';
import type { Section } from './auth/permissions';
import { StaffLoginPage } from './pages/StaffLoginPage';
import { StatusPage } from './pages/StatusPage';

// Each screen is its own chunk: a vaccinator's phone never downloads the war room's map and charts.
const WarRoomPage = lazy(() => import('./pages/WarRoomPage').then((m) => ({ default: m.WarRoomPage })));
const DistrictConsolePage = lazy(() =>
  import('./pages/DistrictConsolePage').then((m) => ({ default: m.DistrictConsolePage })),
);
const PlanningPage = lazy(() => import('./pages/PlanningPage').then((m) => ({ default: m.PlanningPage })));
const VaccinatorDeskPage = lazy(() =>
  import('./pages/VaccinatorDeskPage').then((m) => ({ default: m.VaccinatorDeskPage })),
);
const BeneficiaryPortalPage = lazy(() =>
  import('./pages/BeneficiaryPortalPage').then((m) => ({ default: m.BeneficiaryPortalPage })),
);
const PublicFiguresPage = lazy(() =>
  import('./pages/PublicFiguresPage').then((m) => ({ default: m.PublicFiguresPage })),
);
const IdentityPage = lazy(() => import('./pages/IdentityPage').then((m) => ({ default: m.IdentityPage })));
const PersonLookupPage = lazy(() => import('./pages/PersonLookupPage').then((m) => ({ default: m.PersonLookupPage })));
const DryRunsPage = lazy(() => import('./pages/DryRunsPage').then((m) => ({ default: m.DryRunsPage })));
const PriorityGroupsPage = lazy(() =>
  import('./pages/PriorityGroupsPage').then((m) => ({ default: m.PriorityGroupsPage })),
);
const BatchesPage = lazy(() => import('./pages/BatchesPage').then((m) => ({ default: m.BatchesPage })));
const StoresPage = lazy(() => import('./pages/StoresPage').then((m) => ({ default: m.StoresPage })));
const AuditPage = lazy(() => import('./pages/AuditPage').then((m) => ({ default: m.AuditPage })));
const ReportsPage = lazy(() => import('./pages/ReportsPage').then((m) => ({ default: m.ReportsPage })));
const VerifyCertificatePage = lazy(() =>
  import('./pages/VerifyCertificatePage').then((m) => ({ default: m.VerifyCertificatePage })),
);

export interface RouteParams {
  [name: string]: string | undefined;
}

export interface AppRoute {
  /** Pattern: segments starting with ':' are parameters, e.g. '/war-room/state/:id'. */
  path: string;
  section: Section;
  /** Translation key of the screen's name (navigation, page title). */
  labelKey: string;
  Page: ComponentType<{ params: RouteParams }>;
  /** Shown in the navigation (the section's first route is). */
  nav?: boolean;
}

export const STATUS_PATH = '/status';

export const appRoutes: readonly AppRoute[] = [
  { path: '/war-room', section: 'war-room', labelKey: 'nav.warRoom', Page: WarRoomPage, nav: true },
  { path: '/war-room/:level/:id', section: 'war-room', labelKey: 'nav.warRoom', Page: WarRoomPage },
  { path: '/district', section: 'district', labelKey: 'nav.district', Page: DistrictConsolePage, nav: true },
  { path: '/district/:districtId', section: 'district', labelKey: 'nav.district', Page: DistrictConsolePage },
  { path: '/planning', section: 'planning', labelKey: 'nav.planning', Page: PlanningPage, nav: true },
  { path: '/reports', section: 'reports', labelKey: 'reports.nav', Page: ReportsPage, nav: true },
  { path: '/lookup', section: 'lookup', labelKey: 'lookup.nav', Page: PersonLookupPage, nav: true },
  { path: '/identity', section: 'identity', labelKey: 'identity.nav', Page: IdentityPage, nav: true },
  { path: '/dry-runs', section: 'dry-runs', labelKey: 'dryRuns.nav', Page: DryRunsPage, nav: true },
  { path: '/priority-groups', section: 'priority', labelKey: 'priority.nav', Page: PriorityGroupsPage, nav: true },
  { path: '/batches', section: 'batches', labelKey: 'stock.nav', Page: BatchesPage, nav: true },
  { path: '/stores', section: 'batches', labelKey: 'stock.store.nav', Page: StoresPage, nav: true },
  { path: '/stores/:districtId', section: 'batches', labelKey: 'stock.store.nav', Page: StoresPage },
  { path: '/stores/:districtId/:siteId', section: 'batches', labelKey: 'stock.store.nav', Page: StoresPage },
  { path: '/audit', section: 'audit', labelKey: 'audit.nav', Page: AuditPage, nav: true },
  { path: '/vaccinator', section: 'vaccinator', labelKey: 'nav.vaccinator', Page: VaccinatorDeskPage, nav: true },
  { path: '/beneficiary', section: 'beneficiary', labelKey: 'nav.beneficiary', Page: BeneficiaryPortalPage, nav: true },
  { path: '/figures', section: 'figures', labelKey: 'figures.nav', Page: PublicFiguresPage, nav: true },
  { path: '/verify', section: 'verify', labelKey: 'nav.verify', Page: VerifyCertificatePage, nav: true },
  { path: '/login', section: 'login', labelKey: 'nav.login', Page: StaffLoginPage, nav: true },
  { path: STATUS_PATH, section: 'status', labelKey: 'nav.status', Page: StatusPage, nav: true },
];

export interface RouteMatch {
  route: AppRoute;
  params: RouteParams;
}

export function matchPath(pattern: string, path: string): RouteParams | undefined {
  const want = pattern.split('/').filter(Boolean);
  const [pathname] = path.split('?');
  const have = (pathname ?? '').split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: RouteParams = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(have[i]!);
    else if (segment !== have[i]) return undefined;
  }
  return params;
}

export function findRoute(path: string): RouteMatch | undefined {
  for (const route of appRoutes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}
