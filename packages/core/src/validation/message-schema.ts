// The shape of a message, as one table of field rules. The producer side (every backend's submit)
// and the read side (every backend's claim) check messages against this same table, so what may be
// stored and what is accepted when read back can never drift apart.
import { ValidationError } from "../errors/index.js";
import type { MessageRef } from "../backend/types.js";
import type { MessageData } from "../messages/message-data.js";
import { describeGot, MAX_PRIORITY } from "./numeric-rules.js";

type FieldRule = readonly [field: keyof MessageData, expected: string, accepts: (value: unknown) => boolean];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";
const isText = (v: unknown): boolean => typeof v === "string" && v !== "";
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const orNull = (accepts: (v: unknown) => boolean) => (v: unknown) => v === null || accepts(v);

/**
 * Every field of {@link MessageData} with what it must be. Fields not listed here (written by a
 * newer version) are left alone, and `previousResult` may be anything the serializer restores.
 */
export const MESSAGE_FIELD_RULES: readonly FieldRule[] = [
  ["taskName", "a non-empty string", isText],
  ["queue", "a non-empty string", isText],
  ["args", "an array", Array.isArray],
  ["kwargs", "an object", isObject],
  ["priority", `an integer from 0 to ${MAX_PRIORITY}`, (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_PRIORITY],
  ["metadata", "an object or null", orNull(isObject)],
  ["exceptionDetails", "null or an object with a string `name`", orNull((v) => isObject(v) && isString(v.name))],
  ["resultTtl", "a number of ms > 0 or null", orNull((v) => isFiniteNumber(v) && v > 0)],
  ["uuid", "a non-empty string", isText],
  ["progenitorUuid", "a string or null", orNull(isString)],
  ["retries", "an integer ≥ 0", (v) => Number.isSafeInteger(v) && (v as number) >= 0],
  ["timeout", "a number of ms > 0", (v) => isFiniteNumber(v) && v > 0],
  ["createdAt", "epoch ms (a finite number)", isFiniteNumber],
  ["updatedAt", "epoch ms (a finite number)", isFiniteNumber],
  ["delay", "a number of ms ≥ 0", (v) => isFiniteNumber(v) && v >= 0],
  ["previousMessageUuid", "a string or null", orNull(isString)],
  ["callbackMessageData", "a message object or null", orNull(isObject)],
  [
    "backoffSettings",
    "an object with a string `algorithm` and `parameters` of numbers, booleans or null",
    (v) =>
      isObject(v) &&
      isString(v.algorithm) &&
      isObject(v.parameters) &&
      Object.values(v.parameters).every((p) => p === null || typeof p === "boolean" || isFiniteNumber(p)),
  ],
  ["mechanism", '"process" or "thread"', (v) => v === "process" || v === "thread"],
  ["linkedLock", "null or an object with string `name` and `ownerId`", orNull((v) => isObject(v) && isString(v.name) && isString(v.ownerId))],
];

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
  for (const [field, expected, accepts] of MESSAGE_FIELD_RULES) {
    const got = value[field];
    if (!accepts(got)) {
      const name = `${path}${field}`;
      return { field: name, text: `\`${name}\` must be ${expected}, ${describeGot(got)}` };
    }
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
