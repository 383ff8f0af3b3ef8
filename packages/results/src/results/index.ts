export { ResultStore } from "./result-store.js";
export type {
  ResultStoreOptions,
  GetResultOptions,
  WaitForResultOptions,
  ResultExistsOptions,
  DeleteResultOptions,
} from "./result-store.js";
export { ResultPool } from "./result-pool.js";
export type { ResultPoolOptions } from "./result-pool.js";
export type { ResultRecord } from "./result-record.js";
export type { ResultPair, ResultShape } from "./result-shape.js";
