export { MemoryBackend, type MemoryBackendOptions } from "./memory-backend.js";
export { MemoryStore } from "./memory-store.js";
