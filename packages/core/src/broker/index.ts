export { Broker, DEFAULT_DLQ_TTL } from "./broker.js";
export type { BrokerOptions } from "./broker.js";
