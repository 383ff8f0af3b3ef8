import { randomUUID } from "node:crypto";
import type { ScheduleRef } from "../backend/schedule-types.js";
import type { QueuedMessage } from "../backend/types.js";
import type { Broker } from "../broker/broker.js";
import { SchedulingError } from "../errors/index.js";
import { messageLogFields } from "../logging/log-fields.js";
import { createLogger } from "../logging/logger.js";
import { Message } from "../messages/message.js";
import type { MessageData } from "../messages/message-data.js";
import { TaskStatus } from "../status/task-status.js";
import type { Trigger, TriggerSchedule } from "../triggers/trigger.js";
import { firstSlot } from "../triggers/trigger-spec.js";
import { requireTriggerScheduling } from "../validation/task-option-rules.js";
import { callerModuleUrl } from "./caller-module-url.js";
import { SharedScheduleRunner } from "./shared-schedule-runner.js";
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
  TriggerScheduling,
} from "./task-types.js";

/** Options of the {@link TriggerTask} constructor. */
export interface TriggerTaskOptions extends TaskConstructorOptions {
  /** When to submit. */
  trigger: Trigger;
}

/** The fields of a message that differ between two processes defining the same schedule. */
const IDENTITY_FIELDS = ["uuid", "createdAt", "updatedAt"] as const;

/** `data` without its identity fields (also in its callback chain), for comparing definitions. */
function withoutIdentity(data: MessageData): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...data };
  for (const field of IDENTITY_FIELDS) delete copy[field];
  if (data.callbackMessageData) copy.callbackMessageData = withoutIdentity(data.callbackMessageData);
  return copy;
}

/**
 * A task that submits itself on a schedule. `generate()` submits one message now and a duplicate
 * on every tick (`progenitorUuid` = the first message's uuid, so `descendants` finds all results).
 * Nothing is scheduled until `generate()` is called.
 *
 * With `scheduling: "shared"` (the default for triggers that have a `spec`: `CronTrigger`,
 * `IntervalTrigger`, `DateTrigger`) the schedule lives in the backend under (queue, task name):
 * every process that calls `generate()` takes part, and each tick is fired by exactly one of them
 * (`Backend.fireSchedule`), so N replicas submit one message per tick and the schedule goes on
 * while any of them lives. `generate()` submits its message now only when it creates the stored
 * schedule (or replaces one defined differently: the last definer wins); a process joining a
 * schedule already stored gets the stored first message back. `pause()`, `resume()` and `clear()`
 * act on the stored schedule, for every process; `shutdown()` stops this process's part only.
 */
export class TriggerTask<F extends TaskFunction = TaskFunction, P extends boolean = boolean> extends Task<F, P> {
  /** The schedule. */
  readonly trigger: Trigger;
  /** Where the schedule lives: `"shared"` (in the backend) or `"process"` (a timer per process). */
  readonly scheduling: TriggerScheduling;
  #schedule: TriggerSchedule | null = null;
  #shared: SharedScheduleRunner | null = null;
  #starting = false;
  #paused = false;
  /** A `pause()`/`resume()` made before `generate()`: applied to the stored schedule it joins. */
  #pausedBeforeGenerate: boolean | null = null;
  #shutDown = false;
  /** Backend calls of `pause`/`resume`/`clear`, applied in call order. */
  #pending: Promise<unknown> = Promise.resolve();

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
    const requested = requireTriggerScheduling(`Trigger task '${this.name}'`, options.scheduling ?? "shared");
    this.scheduling = requested === "shared" && options.trigger.spec !== undefined ? "shared" : "process";
  }

  override get isTrigger(): boolean {
    return true;
  }

  /** Whether a schedule is running in this process (until `clear()`, `shutdown()`, or a clear elsewhere). */
  get generated(): boolean {
    return this.#schedule !== null || this.#shared !== null;
  }

  /**
   * Submit a message now and schedule a duplicate on every tick (shared: join the stored schedule,
   * see the class). Deferred mode or `submit: false` builds the message and schedules nothing.
   * @throws SchedulingError when already scheduled or shut down.
   */
  override async generate<const C extends CallbackOption | null = null>(
    ...[given]: GenerateParams<TaskArgs<F, P>, TaskResult<F>, C>
  ): Promise<GeneratedMessage<F, P, C>> {
    const options = given as GenerateCommonOptions | undefined;
    if (this.#shutDown) {
      throw new SchedulingError(`Trigger task '${this.name}' was shut down; define a new task to schedule again.`);
    }
    if (this.generated || this.#starting) {
      throw new SchedulingError(`Trigger task '${this.name}' is already scheduled; call clear() before generating again.`);
    }
    const deferred = this.deferred;
    const schedules = !deferred && options?.submit !== false;
    if (schedules && this.scheduling === "shared") return (await this.#defineShared(options ?? {})) as GeneratedMessage<F, P, C>;
    this.#starting = schedules;
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

  async #defineShared(options: GenerateCommonOptions): Promise<Message> {
    this.#starting = true;
    try {
      const message = this.buildMessage(options);
      const spec = this.trigger.spec!;
      const backend = this.broker.backend;
      const ref: ScheduleRef = { queue: message.queue, name: this.name };
      const { outcome, schedule } = await backend.defineSchedule({
        ...ref,
        trigger: JSON.stringify(spec),
        definition: backend.serializer.forward({ trigger: spec, message: withoutIdentity(message.shallowData()) }),
        revision: randomUUID(),
        message: this.#queued(message),
        nextAt: firstSlot(spec, Date.now()),
        paused: this.#paused,
      });
      createLogger("alsek.trigger", this.broker.logger).debug("Trigger schedule defined", { ...ref, outcome, trigger: this.trigger.description });
      const first = outcome === "joined" ? new Message(schedule.template) : message;
      if (outcome !== "joined") await this.#recordSubmitted(message);
      const pause = this.#pausedBeforeGenerate;
      this.#pausedBeforeGenerate = null;
      if (outcome === "joined" && pause !== null && pause !== schedule.paused) {
        await backend.pauseSchedule(ref, pause);
      }
      if (this.#shutDown) return first;
      const runner: SharedScheduleRunner = new SharedScheduleRunner(
        {
          backend,
          ref,
          buildFire: (template) => {
            const fire = this.#fireMessage(new Message(template));
            return { message: fire, queued: this.#queued(fire) };
          },
          fired: (fire) => this.#recordSubmitted(fire),
          gone: () => {
            if (this.#shared === runner) this.#shared = null;
          },
        },
        schedule,
      );
      this.#shared = runner;
      return first;
    } finally {
      this.#starting = false;
    }
  }

  /** A fire: a duplicate of the first message, created now. */
  #fireMessage(template: Message): Message {
    const message = template.duplicate();
    const now = Date.now();
    message.progenitorUuid = template.uuid;
    message.createdAt = now;
    message.updatedAt = now;
    return message;
  }

  /** The queued form of `message`, carrying its SUBMITTED status when the backend writes it with the message. */
  #queued(message: Message): QueuedMessage {
    const queued = message.toQueued();
    if (this.writesStatusWithMessages()) queued.status = this.statusTracker!.prepare!(message, TaskStatus.SUBMITTED);
    return queued;
  }

  /** What `generate()` does after a submit: SUBMITTED when the backend did not write it, `onSubmit`. */
  async #recordSubmitted(message: Message): Promise<void> {
    if (!this.writesStatusWithMessages()) await this.updateStatus(message, TaskStatus.SUBMITTED);
    await this.callHook("onSubmit", () => this.onSubmit(message), message);
  }

  async #fire(template: Message): Promise<void> {
    const message = this.#fireMessage(template);
    try {
      await this.submitMessages([message]);
    } catch (error) {
      createLogger("alsek.trigger", this.broker.logger).error("Trigger fire could not submit", { ...messageLogFields(message), error });
    }
  }

  /** Runs `call` after the backend calls made before it (unawaited calls still apply in order). */
  #inOrder(call: () => Promise<unknown>): Promise<void> {
    const run = this.#pending.then(call);
    this.#pending = run.catch(() => undefined);
    return run.then(() => undefined);
  }

  /**
   * Skip ticks until `resume()`. Shared: pauses the stored schedule for every process (await it
   * to know it is stored; calls apply in order either way).
   */
  pause(): Promise<void> {
    return this.#setPaused(true);
  }

  /** Fire again after `pause()`. Shared: resumes the stored schedule for every process. */
  resume(): Promise<void> {
    return this.#setPaused(false);
  }

  #setPaused(paused: boolean): Promise<void> {
    this.#paused = paused;
    if (paused) this.#schedule?.pause();
    else this.#schedule?.resume();
    const shared = this.#shared;
    if (shared === null) {
      if (this.scheduling === "shared" && !this.generated) this.#pausedBeforeGenerate = paused;
      return Promise.resolve();
    }
    const ref = { queue: shared.schedule.queue, name: shared.schedule.name };
    return this.#inOrder(() => this.broker.backend.pauseSchedule(ref, paused));
  }

  /**
   * Remove the schedule; `generate()` may schedule again. Shared: deletes the stored schedule, so
   * every process stops firing it (others notice at their next slot, or within 15 s).
   * @throws SchedulingError when nothing is scheduled in this process.
   */
  clear(): Promise<void> {
    if (!this.generated) {
      throw new SchedulingError(`Trigger task '${this.name}' has no schedule to clear; call generate() first.`);
    }
    this.#schedule?.stop();
    this.#schedule = null;
    const shared = this.#shared;
    this.#shared = null;
    if (shared === null) return Promise.resolve();
    const ref = { queue: shared.schedule.queue, name: shared.schedule.name };
    return this.#inOrder(async () => {
      await shared.stop();
      await this.broker.backend.deleteSchedule(ref);
    });
  }

  /**
   * Stop this process's schedule for good (idempotent). Shared: the stored schedule stays, fired by
   * the other processes that defined it (`clear()` removes it for all). Resolves once a fire in
   * flight and earlier `pause`/`resume`/`clear` calls have finished.
   */
  shutdown(): Promise<void> {
    this.#shutDown = true;
    this.#schedule?.stop();
    this.#schedule = null;
    const shared = this.#shared;
    this.#shared = null;
    return this.#inOrder(async () => {
      await shared?.stop();
    });
  }
}
