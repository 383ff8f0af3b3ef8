export { SqliteBackend } from "./sqlite-backend.js";
export type { SqliteBackendOptions } from "./sqlite-backend-options.js";
export { SCHEMA_VERSION } from "./database/schema.js";
