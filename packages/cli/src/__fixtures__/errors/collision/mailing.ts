import { task } from "@alsek/core";
import { broker } from "../memory-broker.js";

export const send = task(broker, { queue: "mail", mechanism: "thread" }, function send() {});
