import type { ComponentType } from 'react';
import { StatusPage } from './pages/StatusPage';

export interface AppRoute {
  path: string;
  label: string;
  /** Absent while the screen is not built yet; the route then shows a placeholder. */
  Page?: ComponentType;
}

export const STATUS_PATH = '/status';

export const appRoutes: readonly AppRoute[] = [
  { path: '/war-room', label: 'War room' },
  { path: '/district', label: 'District console' },
  { path: '/beneficiary', label: 'Beneficiary portal' },
  { path: '/vaccinator', label: 'Vaccinator desk' },
  { path: '/verify', label: 'Verify certificate' },
  { path: STATUS_PATH, label: 'Status', Page: StatusPage },
];

export function findRoute(path: string): AppRoute | undefined {
  return appRoutes.find((route) => route.path === path);
}
