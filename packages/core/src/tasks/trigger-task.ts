import type { Broker } from "../broker/broker.js";
import { SchedulingError } from "../errors/index.js";
import { messageLogFields } from "../logging/log-fields.js";
import { createLogger } from "../logging/logger.js";
import type { Message } from "../messages/message.js";
import type { Trigger, TriggerSchedule } from "../triggers/trigger.js";
import { callerModuleUrl } from "./caller-module-url.js";
import { Task } from "./task.js";
import type {
  CallbackOption,
  GenerateCommonOptions,
  GenerateParams,
  GeneratedMessage,
  TaskArgs,
  TaskConstructorOptions,
  TaskFunction,
  TaskResult,
} from "./task-types.js";

/** Options of the {@link TriggerTask} constructor. */
export interface TriggerTaskOptions extends TaskConstructorOptions {
  /** When to submit. */
  trigger: Trigger;
}

/**
 * A task that submits itself on a schedule. `generate()` submits one message now and a duplicate
 * on every tick (`progenitorUuid` = the first message's uuid, so `descendants` finds all results).
 * Nothing is scheduled until `generate()` is called.
 */
export class TriggerTask<F extends TaskFunction = TaskFunction, P extends boolean = boolean> extends Task<F, P> {
  /** The schedule. */
  readonly trigger: Trigger;
  #schedule: TriggerSchedule | null = null;
  #starting = false;
  #paused = false;
  #shutDown = false;

  /** @throws SchedulingError when the function takes parameters. */
  constructor(broker: Broker, fn: F, options: TriggerTaskOptions) {
    super(broker, fn, {
      ...options,
      moduleUrl: options.moduleUrl !== undefined ? options.moduleUrl : callerModuleUrl(new.target),
    });
    const allowed = options.passMessage ? 1 : 0;
    if (fn.length > allowed) {
      throw new SchedulingError(
        `Trigger task '${this.name}' takes ${fn.length} parameter(s): a trigger fires without arguments, so the ` +
          "function must take none (read inputs inside it, or use passMessage for the message).",
      );
    }
    if (!options.trigger || typeof options.trigger.start !== "function") {
      throw new SchedulingError(`Trigger task '${this.name}' needs a \`trigger\` (CronTrigger, IntervalTrigger or DateTrigger).`);
    }
    this.trigger = options.trigger;
  }

  override get isTrigger(): boolean {
    return true;
  }

  /** Whether a schedule is running (until `clear()` or `shutdown()`). */
  get generated(): boolean {
    return this.#schedule !== null;
  }

  /**
   * Submit a message now and schedule a duplicate on every tick. Deferred mode or
   * `submit: false` builds the message and schedules nothing.
   * @throws SchedulingError when already scheduled or shut down.
   */
  override async generate<const C extends CallbackOption | null = null>(
    ...[given]: GenerateParams<TaskArgs<F, P>, TaskResult<F>, C>
  ): Promise<GeneratedMessage<F, P, C>> {
    const options = given as GenerateCommonOptions | undefined;
    if (this.#shutDown) {
      throw new SchedulingError(`Trigger task '${this.name}' was shut down; define a new task to schedule again.`);
    }
    if (this.#schedule || this.#starting) {
      throw new SchedulingError(`Trigger task '${this.name}' is already scheduled; call clear() before generating again.`);
    }
    const deferred = this.deferred;
    this.#starting = !deferred && options?.submit !== false;
    try {
      const first = await (super.generate as unknown as (o?: GenerateCommonOptions) => Promise<Message>).call(this, options);
      if (this.#starting && !this.#shutDown) {
        const template = first.clone();
        this.#schedule = this.trigger.start(() => void this.#fire(template));
        if (this.#paused) this.#schedule.pause();
      }
      return first as GeneratedMessage<F, P, C>;
    } finally {
      this.#starting = false;
    }
  }

  async #fire(template: Message): Promise<void> {
    const message = template.duplicate();
    const now = Date.now();
    message.progenitorUuid = template.uuid;
    message.createdAt = now;
    message.updatedAt = now;
    try {
      await this.submitMessages([message]);
    } catch (error) {
      createLogger("alsek.trigger", this.broker.logger).error("Trigger fire could not submit", { ...messageLogFields(message), error });
    }
  }

  /** Skip ticks until `resume()`. */
  pause(): void {
    this.#paused = true;
    this.#schedule?.pause();
  }

  /** Fire again after `pause()`. */
  resume(): void {
    this.#paused = false;
    this.#schedule?.resume();
  }

  /**
   * Remove the schedule; `generate()` may schedule again.
   * @throws SchedulingError when nothing is scheduled.
   */
  clear(): void {
    if (!this.#schedule) {
      throw new SchedulingError(`Trigger task '${this.name}' has no schedule to clear; call generate() first.`);
    }
    this.#schedule.stop();
    this.#schedule = null;
  }

  /** Stop the schedule for good (idempotent). */
  shutdown(): void {
    this.#shutDown = true;
    this.#schedule?.stop();
    this.#schedule = null;
  }
}
