// Stored schedules of trigger tasks: each change is one script on the queue's slot (the schedule's
// hash carries the queue's hash tag), and a fire's compare-and-set submits its message in the same
// script, so N processes racing for a slot submit one message.
import {
  requireMessageData,
  requireScheduleDefinition,
  requireScheduleFire,
  requireScheduleRef,
  validateQueueName,
  type DefineScheduleOutcome,
  type DefineScheduleResult,
  type FireScheduleOutcome,
  type FireScheduleResult,
  type MessageData,
  type QueuedMessage,
  type ScheduleDefinition,
  type ScheduleFire,
  type ScheduleRef,
  type StoredSchedule,
} from "@alsek/core";
import type { BackendConnection } from "./backend-connection.js";
import { NO_STATUS, statusArguments } from "./status-arguments.js";
import { validatePriority, validateRef, validateTimestamp } from "./validation.js";
import { newCallId } from "./call-id.js";

/** Number of fields of a schedule in a script reply (`append_schedule` in schedule-common.lua). */
const FIELD_COUNT = 7;

type Reply = (string | number | null)[];

/** The schedule calls of `RedisBackend`; see the `Backend` contract for each method. */
export class ScheduleOperations {
  readonly #connection: BackendConnection;

  constructor(connection: BackendConnection) {
    this.#connection = connection;
  }

  /** Creates, joins or replaces the schedule; a create or replace submits the progenitor with it. */
  async defineSchedule(definition: ScheduleDefinition): Promise<DefineScheduleResult> {
    requireScheduleDefinition(definition);
    const connection = this.#connection;
    const template = connection.serializer.forward(definition.message.data);
    return connection.guard("defineSchedule", async () => {
      const messageArguments = this.#messageArguments(definition.message);
      const conn = connection.get();
      const { queue, name } = definition;
      const keys = connection.keys;
      const scriptKeys = [keys.ready(queue), keys.delayed(queue), keys.seq(queue), keys.schedule(queue, name), keys.schedules(queue)];
      if (!conn.cluster) scriptKeys.push(keys.queues());
      else await connection.registerQueues([queue]);
      const args = [
        keys.queuePrefix(queue),
        keys.wakeChannel(queue),
        queue,
        name,
        definition.trigger,
        definition.definition,
        definition.revision,
        template,
        slotArgument(definition.nextAt),
        definition.paused ? "1" : "0",
        ...messageArguments,
      ];
      const reply = (await conn.scripts.run("schedule-define", scriptKeys, args)) as Reply;
      return { outcome: reply[0] as DefineScheduleOutcome, schedule: this.#decode(definition, reply, 1) };
    });
  }

  /** Takes one slot: advances `nextAt` and, unless paused, submits the fire's message. */
  async fireSchedule(fire: ScheduleFire): Promise<FireScheduleResult> {
    requireScheduleFire(fire);
    const connection = this.#connection;
    return connection.guard("fireSchedule", async () => {
      const messageArguments = this.#messageArguments(fire.message);
      const conn = connection.get();
      const { queue, name } = fire;
      const keys = connection.keys;
      const scriptKeys = [keys.ready(queue), keys.delayed(queue), keys.seq(queue), keys.schedule(queue, name)];
      if (!conn.cluster) scriptKeys.push(keys.queues());
      else await connection.registerQueues([queue]);
      const args = [
        keys.queuePrefix(queue),
        keys.wakeChannel(queue),
        queue,
        fire.revision,
        String(fire.slot),
        slotArgument(fire.nextAt),
        ...messageArguments,
      ];
      const reply = (await conn.scripts.run("schedule-fire", scriptKeys, args)) as Reply;
      const outcome = reply[0] as FireScheduleOutcome;
      if (outcome === "gone") return { outcome, schedule: null };
      const schedule = this.#decode(fire, reply, 2);
      return outcome === "early" ? { outcome, schedule, waitMs: Number(reply[1]) } : { outcome, schedule };
    });
  }

  /** The stored schedule, or `null`. */
  async getSchedule(ref: ScheduleRef): Promise<StoredSchedule | null> {
    requireScheduleRef(ref);
    const connection = this.#connection;
    return connection.guard("getSchedule", async () => {
      const key = connection.keys.schedule(ref.queue, ref.name);
      const values = await connection.get().client.hmget(key, "t", "d", "r", "m", "n", "p", "f");
      return values[0] === null ? null : this.#decode(ref, values, 0);
    });
  }

  /** The schedules of `queue`, by name. */
  async listSchedules(queue: string): Promise<StoredSchedule[]> {
    validateQueueName(queue);
    const connection = this.#connection;
    return connection.guard("listSchedules", async () => {
      const keys = connection.keys;
      const reply = (await connection
        .get()
        .scripts.run("schedule-list", [keys.schedules(queue)], [`${keys.queuePrefix(queue)}s:`])) as Reply;
      const out: StoredSchedule[] = [];
      for (let i = 0; i < reply.length; i += FIELD_COUNT + 1) {
        out.push(this.#decode({ queue, name: String(reply[i]) }, reply, i + 1));
      }
      return out;
    });
  }

  /** Sets the paused flag; whether the schedule exists. */
  async pauseSchedule(ref: ScheduleRef, paused: boolean): Promise<boolean> {
    requireScheduleRef(ref);
    const connection = this.#connection;
    return connection.guard("pauseSchedule", async () => {
      const key = connection.keys.schedule(ref.queue, ref.name);
      return (await connection.get().scripts.run("schedule-pause", [key], [paused === true ? "1" : "0"])) === 1;
    });
  }

  /** Deletes the schedule; whether it existed. */
  async deleteSchedule(ref: ScheduleRef): Promise<boolean> {
    requireScheduleRef(ref);
    const connection = this.#connection;
    return connection.guard("deleteSchedule", async () => {
      const keys = connection.keys;
      const scriptKeys = [keys.schedule(ref.queue, ref.name), keys.schedules(ref.queue)];
      const args = [ref.name, keys.queuePrefix(ref.queue), newCallId()];
      return (await connection.get().scripts.run("schedule-delete", scriptKeys, args)) === 1;
    });
  }

  /** The submit arguments of a schedule's message: uuid, priority, readyAt, data, then its status. */
  #messageArguments(message: QueuedMessage): (string | number)[] {
    const connection = this.#connection;
    validateRef(message);
    requireMessageData(message, message.data);
    return [
      message.uuid,
      validatePriority(message.priority),
      validateTimestamp("readyAt", message.readyAt),
      connection.encodeMessage(message.data, message),
      ...(message.status === undefined ? NO_STATUS : statusArguments(connection, message.status, message.queue)),
    ];
  }

  /** A schedule from the fields of a reply, from index `at`. */
  #decode(ref: ScheduleRef, reply: Reply, at: number): StoredSchedule {
    const field = (i: number): string => String(reply[at + i] ?? "");
    const next = field(4);
    return {
      queue: ref.queue,
      name: ref.name,
      trigger: field(0),
      definition: field(1),
      revision: field(2),
      template: this.#connection.serializer.reverse(field(3)) as MessageData,
      nextAt: next === "" ? null : Number(next),
      paused: field(5) === "1",
      fires: Number(field(6)),
    };
  }
}

/** A slot as the scripts store it: integer ms, or '' for none. */
function slotArgument(slot: number | null): string {
  return slot === null ? "" : String(slot);
}
