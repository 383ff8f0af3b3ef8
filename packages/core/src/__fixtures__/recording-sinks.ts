import type { Backend } from "../backend/backend.js";
import type { ResultWrite } from "../backend/types.js";
import type { Message } from "../messages/message.js";
import type { ResultSink, StatusSink } from "../status/result-and-status-sinks.js";
import { TaskStatus } from "../status/task-status.js";

/** A status sink keeping every status in order, per message uuid (test helper). */
export class RecordingStatusSink implements StatusSink {
  readonly history = new Map<string, TaskStatus[]>();
  constructor(readonly backend: Backend) {}
  async set(message: Message, status: TaskStatus): Promise<void> {
    const list = this.history.get(message.uuid) ?? [];
    list.push(status);
    this.history.set(message.uuid, list);
  }
  of(message: Message): string[] {
    return (this.history.get(message.uuid) ?? []).map((s) => TaskStatus[s]);
  }
}

/** A result sink storing results as they are, without expiry (test helper). */
export class PlainResultSink implements ResultSink {
  constructor(readonly backend: Backend) {}
  prepare(message: Message, result: unknown): ResultWrite {
    return { value: result, ttlMs: message.resultTtl, progenitorUuid: message.progenitorUuid };
  }
}
