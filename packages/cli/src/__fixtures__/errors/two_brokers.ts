import { task } from "@alsek/core";
import { broker, otherBroker } from "./memory-broker.js";

export const first = task(broker, { mechanism: "thread" }, function first() {});
export const second = task(otherBroker, { mechanism: "thread" }, function second() {});
