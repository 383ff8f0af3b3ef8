// The shape of a message, as one table of field rules. The producer side (every backend's submit)
// and the read side (every backend's claim) check messages against this same table, so what may be
// stored and what is accepted when read back can never drift apart.
import { ValidationError } from "../errors/index.js";
import type { MessageRef } from "../backend/types.js";
import type { MessageData } from "../messages/message-data.js";
import { describeGot, MAX_PRIORITY } from "./numeric-rules.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

// A loop, not Object.values().every(): this runs for every message claimed, and allocates nothing.
function areBackoffParameters(parameters: Record<string, unknown>): boolean {
  for (const key in parameters) {
    const p = parameters[key];
    if (p !== null && typeof p !== "boolean" && !isFiniteNumber(p)) return false;
  }
  return true;
}

/**
 * What each field of {@link MessageData} must be, in words. Fields not listed here (written by a
 * newer version) are left alone, and `previousResult` may be anything the serializer restores.
 */
export const MESSAGE_FIELD_RULES: Readonly<Partial<Record<keyof MessageData, string>>> = {
  taskName: "a non-empty string",
  queue: "a non-empty string",
  args: "an array",
  kwargs: "an object",
  priority: `an integer from 0 to ${MAX_PRIORITY}`,
  metadata: "an object or null",
  exceptionDetails: "null or an object with a string `name`",
  resultTtl: "a number of ms > 0 or null",
  uuid: "a non-empty string",
  progenitorUuid: "a string or null",
  retries: "an integer ≥ 0",
  timeout: "a number of ms > 0",
  createdAt: "epoch ms (a finite number)",
  updatedAt: "epoch ms (a finite number)",
  delay: "a number of ms ≥ 0",
  previousMessageUuid: "a string or null",
  callbackMessageData: "a message object or null",
  backoffSettings: "an object with a string `algorithm` and `parameters` of numbers, booleans or null",
  mechanism: '"process" or "thread"',
  linkedLock: "null or an object with string `name` and `ownerId`",
};

/**
 * The first field of `v` that breaks its rule, in {@link MESSAGE_FIELD_RULES} order, or `null`.
 * Named property reads, not `v[field]` in a loop: a keyed read with a different key each time is
 * megamorphic and cost ~30 ns a field, for every message submitted and claimed.
 */
function firstBadField(v: Record<string, unknown>): keyof MessageData | null {
  const ok = acceptsMessageField;
  if (!ok("taskName", v.taskName)) return "taskName";
  if (!ok("queue", v.queue)) return "queue";
  if (!ok("args", v.args)) return "args";
  if (!ok("kwargs", v.kwargs)) return "kwargs";
  if (!ok("priority", v.priority)) return "priority";
  if (!ok("metadata", v.metadata)) return "metadata";
  if (!ok("exceptionDetails", v.exceptionDetails)) return "exceptionDetails";
  if (!ok("resultTtl", v.resultTtl)) return "resultTtl";
  if (!ok("uuid", v.uuid)) return "uuid";
  if (!ok("progenitorUuid", v.progenitorUuid)) return "progenitorUuid";
  if (!ok("retries", v.retries)) return "retries";
  if (!ok("timeout", v.timeout)) return "timeout";
  if (!ok("createdAt", v.createdAt)) return "createdAt";
  if (!ok("updatedAt", v.updatedAt)) return "updatedAt";
  if (!ok("delay", v.delay)) return "delay";
  if (!ok("previousMessageUuid", v.previousMessageUuid)) return "previousMessageUuid";
  if (!ok("callbackMessageData", v.callbackMessageData)) return "callbackMessageData";
  if (!ok("backoffSettings", v.backoffSettings)) return "backoffSettings";
  if (!ok("mechanism", v.mechanism)) return "mechanism";
  if (!ok("linkedLock", v.linkedLock)) return "linkedLock";
  return null;
}

/**
 * Whether `value` is acceptable as `field` of a message, per {@link MESSAGE_FIELD_RULES}. One
 * function with a switch rather than a function per field: it runs for every field of every
 * message submitted and claimed, and one call site calling twenty closures would not be inlined.
 */
export function acceptsMessageField(field: keyof MessageData, v: unknown): boolean {
  switch (field) {
    case "taskName":
    case "queue":
    case "uuid":
      return typeof v === "string" && v !== "";
    case "args":
      return Array.isArray(v);
    case "kwargs":
      return isObject(v);
    case "priority":
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_PRIORITY;
    case "metadata":
      return v === null || isObject(v);
    case "exceptionDetails":
      return v === null || (isObject(v) && isString(v.name));
    case "resultTtl":
      return v === null || (isFiniteNumber(v) && v > 0);
    case "progenitorUuid":
    case "previousMessageUuid":
      return v === null || isString(v);
    case "retries":
      return Number.isSafeInteger(v) && (v as number) >= 0;
    case "timeout":
      return isFiniteNumber(v) && v > 0;
    case "createdAt":
    case "updatedAt":
      return isFiniteNumber(v);
    case "delay":
      return isFiniteNumber(v) && v >= 0;
    case "callbackMessageData":
      return v === null || isObject(v);
    case "backoffSettings":
      return isObject(v) && isString(v.algorithm) && isObject(v.parameters) && areBackoffParameters(v.parameters);
    case "mechanism":
      return v === "process" || v === "thread";
    case "linkedLock":
      return v === null || (isObject(v) && isString(v.name) && isString(v.ownerId));
    default:
      return true;
  }
}

/** What is wrong with a value that should be a message. */
export interface MessageProblem {
  /** The offending field, dotted for nested messages (`callbackMessageData.args`); `null` when the value is not an object at all. */
  field: string | null;
  /** What is wrong, for people: `` `args` must be an array, got "oops" ``. */
  text: string;
}

/**
 * The first field of `value` that breaks {@link MESSAGE_FIELD_RULES} (callbacks checked too), or a
 * `queue`/`uuid` that differs from `ref`; `null` when `value` is a well-formed message.
 */
export function findMessageProblem(value: unknown, ref?: MessageRef, path = ""): MessageProblem | null {
  if (!isObject(value)) {
    return { field: path === "" ? null : path.slice(0, -1), text: `the message is not an object, ${describeGot(value)}` };
  }
  const bad = firstBadField(value);
  if (bad !== null) {
    const name = `${path}${bad}`;
    return { field: name, text: `\`${name}\` must be ${MESSAGE_FIELD_RULES[bad]}, ${describeGot(value[bad])}` };
  }
  if (ref !== undefined && (value.queue !== ref.queue || value.uuid !== ref.uuid)) {
    const field = value.queue !== ref.queue ? "queue" : "uuid";
    return {
      field,
      text: `the data belongs to another message (its ${field} is ${JSON.stringify(value[field])}, not ${JSON.stringify(ref[field])})`,
    };
  }
  if (value.callbackMessageData !== null) {
    return findMessageProblem(value.callbackMessageData, undefined, `${path}callbackMessageData.`);
  }
  return null;
}

/**
 * The producer-side check: `data` is a well-formed message for `ref`.
 * @throws ValidationError naming the message and the offending field.
 */
export function requireMessageData(ref: MessageRef, data: unknown): asserts data is MessageData {
  const problem = findMessageProblem(data, ref);
  if (problem !== null) {
    throw new ValidationError(
      `Message ${ref.uuid} in queue ${ref.queue} is malformed: ${problem.text}. Build messages with ` +
        "task.generate() or new Message(...), which fill every field.",
    );
  }
}

/**
 * The light check of settling writes (retry, fail): `data` is an object that belongs to `ref`.
 * @throws ValidationError when it belongs to another message.
 */
export function requireMatchingData(ref: MessageRef, data: MessageData): void {
  if (data === null || typeof data !== "object" || data.uuid !== ref.uuid || data.queue !== ref.queue) {
    throw new ValidationError(
      `The data given for message ${ref.uuid} in queue ${ref.queue} belongs to another message ` +
        "(its uuid or queue differs): pass the data of the message you target.",
    );
  }
}
