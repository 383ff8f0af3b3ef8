export { Lock, CURRENT_PROCESS_OWNER_ID } from "./lock.js";
export type { LockOptions } from "./lock.js";
