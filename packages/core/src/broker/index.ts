export { Broker, DEFAULT_DLQ_TTL } from "./broker.js";
export type { BrokerOptions, RateLimitTarget } from "./broker.js";
