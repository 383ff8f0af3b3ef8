export { Consumer } from "./consumer.js";
export type { ConsumerOptions, ConsumerStreamOptions } from "./consumer.js";
export { LeaseRenewer } from "./lease-renewer.js";
export type { LeaseRenewerOptions } from "./lease-renewer.js";
