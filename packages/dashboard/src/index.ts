export { createDashboard } from "./dashboard/create-dashboard.js";
export type { Dashboard } from "./dashboard/create-dashboard.js";
export type { AuthorizeHook, DashboardOptions } from "./dashboard/dashboard-options.js";
export { toNodeListener } from "./http/node-listener.js";
export type { WebHandler } from "./http/node-listener.js";
export type { Inspector } from "./inspection/inspector.js";
