import { MemoryAppliedWrites } from "./memory-applied-writes.js";
import { MemoryEventLog } from "./memory-event-log.js";
import { MemoryQueue } from "./memory-queue.js";
import { MemoryQueueControl } from "./memory-queue-control.js";
import type { MemoryQueueWatcher } from "./memory-queue-watcher.js";
import { MemoryResultTable } from "./memory-result-table.js";
import type { MemorySchedule } from "./memory-schedule-operations.js";
import { MemoryValueTable } from "./memory-value-table.js";

/** Everything one namespace of a {@link MemoryStore} holds. Internal to `MemoryBackend`. */
export class MemoryNamespace {
  readonly queues = new Map<string, MemoryQueue>();
  readonly results = new MemoryResultTable();
  readonly values = new MemoryValueTable();
  readonly applied = new MemoryAppliedWrites();
  readonly events = new MemoryEventLog();
  readonly channels = new Map<string, Set<(text: string) => void>>();
  readonly watchers = new Map<string, Set<MemoryQueueWatcher>>();
  /** Stored schedules by `<queue> <name>`. */
  readonly schedules = new Map<string, MemorySchedule>();
  /** Flow control by queue; a queue without an entry is neither paused nor limited. */
  readonly controls = new Map<string, MemoryQueueControl>();
  #seq = 0;

  /** The next arrival number; FIFO order within a priority follows it. */
  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  /** The flow control of `name`, created on first use. */
  control(name: string): MemoryQueueControl {
    let control = this.controls.get(name);
    if (control === undefined) {
      control = new MemoryQueueControl();
      this.controls.set(name, control);
    }
    return control;
  }

  queue(name: string): MemoryQueue {
    let queue = this.queues.get(name);
    if (queue === undefined) {
      queue = new MemoryQueue();
      this.queues.set(name, queue);
    }
    return queue;
  }
}

/**
 * The storage behind one or more `MemoryBackend`s. Each backend owns a store of its own unless you
 * pass one in; backends given the same store see the same data (per namespace), the way two
 * `RedisBackend`s on one server do, including watchers and pub/sub.
 */
export class MemoryStore {
  readonly #namespaces = new Map<string, MemoryNamespace>();

  /** @internal The state of one namespace, created on first use. */
  namespace(name: string): MemoryNamespace {
    let namespace = this.#namespaces.get(name);
    if (namespace === undefined) {
      namespace = new MemoryNamespace();
      this.#namespaces.set(name, namespace);
    }
    return namespace;
  }
}
