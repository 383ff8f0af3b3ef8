import type { Backend } from "../backend/backend.js";
import type { ScheduleRef, StoredSchedule } from "../backend/schedule-types.js";
import type { QueuedMessage } from "../backend/types.js";
import { createLogger } from "../logging/logger.js";
import type { Message } from "../messages/message.js";
import type { MessageData } from "../messages/message-data.js";
import { parseTriggerSpec, slotAfter, type TriggerSpec } from "../triggers/trigger-spec.js";

const log = createLogger("alsek.trigger");

/**
 * Longest wait between two looks at the stored schedule: a process whose next slot is far away
 * still learns within this time that the schedule was cleared, paused or redefined elsewhere.
 */
const REFRESH_MS = 15_000;
/** Wait after a failed backend call before trying the same slot again. */
const RETRY_MS = 1_000;

/** What a {@link SharedScheduleRunner} needs from its trigger task. */
export interface SharedScheduleHooks {
  readonly backend: Backend;
  readonly ref: ScheduleRef;
  /** The message of one fire (a duplicate of `template`) and its queued form (status included). */
  buildFire(template: MessageData): { message: Message; queued: QueuedMessage };
  /** After this process's fire submitted `message` (statuses a sink records itself, `onSubmit`). */
  fired(message: Message): Promise<void>;
  /** The stored schedule is gone (cleared by some process); the runner has stopped. */
  gone(): void;
}

/**
 * One process's part in a schedule stored in the backend: a timer for the stored next slot, and a
 * `fireSchedule` call when it comes. Every process that defines the schedule runs one; the backend
 * lets one of them take each slot, so the schedule fires once per slot however many run, and goes
 * on while any one of them lives.
 */
export class SharedScheduleRunner {
  readonly #hooks: SharedScheduleHooks;
  #schedule: StoredSchedule;
  #spec: TriggerSpec | null;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #running: Promise<void> | null = null;

  constructor(hooks: SharedScheduleHooks, schedule: StoredSchedule) {
    this.#hooks = hooks;
    this.#schedule = schedule;
    this.#spec = this.#parse(schedule);
    this.#arm();
  }

  /** The stored schedule as this process last read it. */
  get schedule(): StoredSchedule {
    return this.#schedule;
  }

  /** Stop this process's timer; resolves once a fire in flight has finished. The stored schedule stays. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #parse(schedule: StoredSchedule): TriggerSpec | null {
    try {
      return parseTriggerSpec(schedule.trigger);
    } catch (error) {
      log.error("Stored schedule cannot be fired by this process", { ...this.#hooks.ref, error });
      return null;
    }
  }

  #adopt(schedule: StoredSchedule): void {
    if (schedule.revision !== this.#schedule.revision) this.#spec = this.#parse(schedule);
    this.#schedule = schedule;
  }

  /**
   * Wait for the next slot (firing it then), or at most {@link REFRESH_MS} (reading the stored
   * schedule then). With `delayMs`, run `action` after that long instead.
   */
  #arm(delayMs?: number, action?: () => Promise<void>): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    if (delayMs !== undefined && action !== undefined) {
      this.#timer = setTimeout(() => this.#run(action), delayMs);
      return;
    }
    const next = this.#spec === null ? null : this.#schedule.nextAt;
    const wait = next === null ? REFRESH_MS : Math.max(0, next - Date.now());
    const step = wait <= REFRESH_MS && next !== null ? () => this.#fire() : () => this.#refresh();
    this.#timer = setTimeout(() => this.#run(step), Math.min(wait, REFRESH_MS));
    // A schedule that never fires again (a date passed, maxRuns reached) is still watched, in case
    // it is redefined, but does not keep the process alive.
    if (next === null) this.#timer.unref();
  }

  #run(action: () => Promise<void>): void {
    if (this.#stopped) return;
    this.#running = action()
      .catch((error: unknown) => {
        log.warn("Schedule step failed; trying again", { ...this.#hooks.ref, error });
        this.#arm(RETRY_MS, () => this.#refresh());
      })
      .finally(() => {
        this.#running = null;
      });
  }

  async #refresh(): Promise<void> {
    const stored = await this.#hooks.backend.getSchedule(this.#hooks.ref);
    if (this.#stopped) return;
    if (stored === null) return this.#end();
    this.#adopt(stored);
    this.#arm();
  }

  async #fire(): Promise<void> {
    const schedule = this.#schedule;
    const spec = this.#spec;
    const slot = schedule.nextAt;
    if (spec === null || slot === null) return this.#arm();
    const now = Date.now();
    const { message, queued } = this.#hooks.buildFire(schedule.template);
    const result = await this.#hooks.backend.fireSchedule({
      ...this.#hooks.ref,
      revision: schedule.revision,
      slot,
      nextAt: slotAfter(spec, slot, now, schedule.fires + 1),
      message: queued,
    });
    if (result.outcome === "gone" || result.schedule === null) return this.#end();
    this.#adopt(result.schedule);
    if (result.outcome === "fired") {
      try {
        await this.#hooks.fired(message);
      } catch (error) {
        log.error("After a trigger fire", { ...this.#hooks.ref, uuid: message.uuid, error });
      }
    }
    if (result.outcome === "early") return this.#arm(Math.max(1, result.waitMs ?? 1), () => this.#fire());
    this.#arm();
  }

  #end(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    log.info("Stored schedule is gone (cleared); this process stops firing it", { ...this.#hooks.ref });
    this.#hooks.gone();
  }
}
