export { StatusTracker } from "./status-tracker.js";
export type { StatusTrackerOptions, WaitForStatusOptions, ListenOptions, DeleteStatusOptions } from "./status-tracker.js";
export { StatusTrackerIntegrityScanner } from "./status-tracker-integrity-scanner.js";
export type { StatusTrackerIntegrityScannerOptions } from "./status-tracker-integrity-scanner.js";
export type { StatusUpdate } from "./status-update.js";
export { isTerminalStatus } from "./status-update.js";
