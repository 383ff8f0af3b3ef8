// The task of the standby tests. Their warm child processes import this module by URL, so it only
// defines things.
import { appendFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { Broker, MemoryBackend, task, type Message } from "@alsek/core";

const broker = new Broker(new MemoryBackend());

/** This module's URL, for assignments. */
export const standbyTasksUrl = import.meta.url;

/**
 * One task whose `mode` says what a run does (all runs share one name, hence one duration
 * estimate: quick runs make the pool treat it as short). Returns the pid of its process.
 * `pid`: at once; `sleep`: after `arg` ms; `crash`: exits its process after `arg` ms;
 * `awaitSignal`: until `message.signal` aborts; `spin`: a busy loop that never ends;
 * `mark`: writes its pid to the file `arg`; `append`: adds its pid as a line to the file `arg` (a
 * second run shows as a second line).
 */
export const standbyStep = task(
  broker,
  { name: "standbyStep", mechanism: "process", backoff: null, maxRetries: 0, passMessage: true },
  async function standbyStep(mode: string, arg: string, message: Message): Promise<number> {
    if (mode === "sleep") await sleep(Number(arg));
    if (mode === "crash") {
      await sleep(Number(arg));
      process.exit(1);
    }
    if (mode === "awaitSignal") await sleep(600_000, undefined, { signal: message.signal });
    if (mode === "spin") for (;;);
    if (mode === "mark") writeFileSync(arg, String(process.pid));
    if (mode === "append") appendFileSync(arg, `${process.pid}\n`);
    return process.pid;
  },
);
