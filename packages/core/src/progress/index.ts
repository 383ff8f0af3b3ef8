export { PROGRESS_TTL, progressChannel, progressKey, progressWrite } from "./progress-key.js";
export type { ProgressJson, ProgressReporter, ProgressUpdate, ProgressValue } from "./progress-update.js";
