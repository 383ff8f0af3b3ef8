// A task module that gives its broker its own logger (pino's shape), as an app would with pino:
// `alsek thread-pool logger_project` then logs there instead of on stderr. Records are appended
// as JSON lines to ALSEK_CLI_TEST_DIR/alsek-log.jsonl, from every process that imports this.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { Broker, task, type LogFields, type LogSink } from "@alsek/core";
import { backend } from "../project/singletons.js";

function writer(level: string) {
  return (fields: LogFields, message: string): void => {
    const dir = process.env.ALSEK_CLI_TEST_DIR;
    if (dir) appendFileSync(join(dir, "alsek-log.jsonl"), `${JSON.stringify({ level, msg: message, ...fields })}\n`);
  };
}

const logger: LogSink = { debug: writer("debug"), info: writer("info"), warn: writer("warn"), error: writer("error") };

export const loggedBroker = new Broker(backend, { logger });

export const logged = task(loggedBroker, { queue: "logged", mechanism: "thread" }, function logged(value: string) {
  return value.length;
});
