import { progressWrite, type Backend, type Logger, type ProgressValue } from "@alsek/core";
import type { ProgressReport } from "./assignment.js";
import type { InFlight, RunningMessage } from "./in-flight.js";

/**
 * Writes the progress running tasks report (throttled by their workers) under each message's
 * lease, one write at a time per message; a value that arrives meanwhile replaces any other
 * waiting one, so the last value is always written. The pool settles an outcome after its
 * message's writes (`RunningMessage.progressWriting`).
 */
export class ProgressWriter {
  readonly #backend: Backend;
  readonly #inFlight: InFlight;
  readonly #log: Logger;

  constructor(backend: Backend, inFlight: InFlight, log: Logger) {
    this.#backend = backend;
    this.#inFlight = inFlight;
    this.#log = log;
  }

  /** A running task reported progress. */
  report({ id, value }: ProgressReport): void {
    const entry = this.#inFlight.get(id);
    if (!entry?.message.lease) return;
    if (entry.progressWriting) {
      entry.progressPending = value;
      return;
    }
    entry.progressWriting = this.#write(entry, value);
  }

  async #write(entry: RunningMessage, first: ProgressValue): Promise<void> {
    const { message } = entry;
    const lease = message.lease!;
    let value: ProgressValue | undefined = first;
    while (value !== undefined) {
      entry.progressPending = undefined;
      try {
        // A lost or gone lease writes nothing; the renewer stops the task.
        if ((await this.#backend.setProgress(lease, progressWrite(lease, value, message.retries))) !== "ok") break;
      } catch (error) {
        this.#log.warn("Could not record progress.", { uuid: message.uuid, error });
      }
      value = entry.progressPending;
    }
    entry.progressPending = undefined;
    entry.progressWriting = undefined;
  }
}
