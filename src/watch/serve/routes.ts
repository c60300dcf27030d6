// Every route of `watch --serve`, in one list that the server dispatches in order. A capability
// that serves the watch's state over HTTP (metrics, the dashboard, its JSON API) exports its
// routes from its own module and is added here.
import { apiRoutes } from './api.js';
import { dashboardRoutes } from './dashboard.js';
import { metricsRoutes } from './metrics.js';
import type { Route } from './server.js';

export function serveRoutes(): Route[] {
  return [...metricsRoutes(), ...apiRoutes(), ...dashboardRoutes()];
}
