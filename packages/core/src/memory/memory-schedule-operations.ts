// Stored schedules in memory: each call runs synchronously to the end (atomic), validating and
// encoding everything before it changes anything, and a fire submits its message in the same step.
import { validateQueueName } from "../validation/name-rules.js";
import type {
  DefineScheduleResult,
  FireScheduleResult,
  ScheduleDefinition,
  ScheduleFire,
  ScheduleRef,
  StoredSchedule,
} from "../backend/schedule-types.js";
import type { MessageData } from "../messages/message-data.js";
import { requireScheduleDefinition, requireScheduleFire, requireScheduleRef } from "../validation/schedule-checks.js";
import type { MemoryBackendState } from "./memory-backend-state.js";
import type { MemoryQueueOperations } from "./memory-queue-operations.js";

/** A schedule as a `MemoryStore` keeps it: the template as serialized text. Internal to `MemoryBackend`. */
export interface MemorySchedule {
  queue: string;
  name: string;
  trigger: string;
  definition: string;
  revision: string;
  templateText: string;
  nextAt: number | null;
  paused: boolean;
  fires: number;
  /** `<slot>:<uuid>` of the last fire that submitted, so that fire re-sent answers "fired" again. */
  lastFire?: string;
}

function keyOf(ref: ScheduleRef): string {
  return `${ref.queue} ${ref.name}`;
}

/** The schedule calls of `MemoryBackend`; see the `Backend` contract for each method. */
export class MemoryScheduleOperations {
  readonly #state: MemoryBackendState;
  readonly #queue: MemoryQueueOperations;

  constructor(state: MemoryBackendState, queue: MemoryQueueOperations) {
    this.#state = state;
    this.#queue = queue;
  }

  /** Creates, joins or replaces the schedule; a create or replace submits the progenitor with it. */
  async defineSchedule(definition: ScheduleDefinition): Promise<DefineScheduleResult> {
    this.#state.assertOpen();
    requireScheduleDefinition(definition);
    const submit = this.#queue.prepareSubmit(definition.message);
    const schedules = this.#state.ns.schedules;
    const stored = schedules.get(keyOf(definition));
    if (stored !== undefined && stored.definition === definition.definition) {
      return { outcome: "joined", schedule: this.#read(stored) };
    }
    const record: MemorySchedule = {
      queue: definition.queue,
      name: definition.name,
      trigger: definition.trigger,
      definition: definition.definition,
      revision: definition.revision,
      templateText: this.#state.encode(definition.message.data),
      nextAt: definition.nextAt,
      paused: definition.paused,
      fires: 0,
    };
    schedules.set(keyOf(definition), record);
    submit();
    return { outcome: stored === undefined ? "created" : "replaced", schedule: this.#read(record) };
  }

  /** Takes one slot: advances `nextAt` and, unless paused, submits the fire's message. */
  async fireSchedule(fire: ScheduleFire): Promise<FireScheduleResult> {
    this.#state.assertOpen();
    requireScheduleFire(fire);
    const submit = this.#queue.prepareSubmit(fire.message);
    const stored = this.#state.ns.schedules.get(keyOf(fire));
    if (stored === undefined) return { outcome: "gone", schedule: null };
    if (stored.revision !== fire.revision || stored.nextAt !== fire.slot) {
      const resent = stored.revision === fire.revision && stored.lastFire === lastFireOf(fire);
      return { outcome: resent ? "fired" : "stale", schedule: this.#read(stored) };
    }
    const now = Date.now();
    if (fire.slot > now) return { outcome: "early", schedule: this.#read(stored), waitMs: fire.slot - now };
    stored.nextAt = fire.nextAt;
    if (stored.paused) return { outcome: "skipped", schedule: this.#read(stored) };
    stored.fires += 1;
    stored.lastFire = lastFireOf(fire);
    submit();
    return { outcome: "fired", schedule: this.#read(stored) };
  }

  /** The stored schedule, or `null`. */
  async getSchedule(ref: ScheduleRef): Promise<StoredSchedule | null> {
    this.#state.assertOpen();
    const stored = this.#state.ns.schedules.get(keyOf(requireScheduleRef(ref)));
    return stored === undefined ? null : this.#read(stored);
  }

  /** The schedules of `queue`, by name. */
  async listSchedules(queue: string): Promise<StoredSchedule[]> {
    this.#state.assertOpen();
    validateQueueName(queue);
    return [...this.#state.ns.schedules.values()]
      .filter((stored) => stored.queue === queue)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((stored) => this.#read(stored));
  }

  /** Sets the paused flag; whether the schedule exists. */
  async pauseSchedule(ref: ScheduleRef, paused: boolean): Promise<boolean> {
    this.#state.assertOpen();
    const stored = this.#state.ns.schedules.get(keyOf(requireScheduleRef(ref)));
    if (stored === undefined) return false;
    stored.paused = paused === true;
    return true;
  }

  /** Deletes the schedule; whether it existed. */
  async deleteSchedule(ref: ScheduleRef): Promise<boolean> {
    this.#state.assertOpen();
    return this.#state.ns.schedules.delete(keyOf(requireScheduleRef(ref)));
  }

  #read(stored: MemorySchedule): StoredSchedule {
    return {
      queue: stored.queue,
      name: stored.name,
      trigger: stored.trigger,
      definition: stored.definition,
      revision: stored.revision,
      template: this.#state.decode(stored.templateText) as MessageData,
      nextAt: stored.nextAt,
      paused: stored.paused,
      fires: stored.fires,
    };
  }
}

/** What identifies one fire across re-sends: its slot and its message. */
function lastFireOf(fire: ScheduleFire): string {
  return `${fire.slot}:${fire.message.uuid}`;
}
