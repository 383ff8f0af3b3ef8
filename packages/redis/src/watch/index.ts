export { SubscriberHub } from "./subscriber-hub.js";
export { RedisQueueWatcher } from "./redis-queue-watcher.js";
