import { ExponentialBackoff } from "../backoff/exponential-backoff.js";
import type { MessageRef } from "../backend/types.js";
import type { BackoffSettings, MessageData } from "./message-data.js";
import { DEFAULT_QUEUE, DEFAULT_TASK_TIMEOUT, MESSAGE_DATA_KEYS } from "./message.js";

/**
 * The stored form of {@link MessageData}: only the fields that differ from their defaults (see
 * {@link compactMessageData}). Not meant to be read field by field: {@link expandMessageData}
 * turns it back into the full data.
 */
export type CompactMessageData = Partial<MessageData> & { taskName: string; createdAt: number };

const KNOWN_KEYS = new Set<string>(MESSAGE_DATA_KEYS);

let defaultBackoff: BackoffSettings | undefined;
let defaultBackoffParameterCount = 0;

function defaultBackoffSettings(): BackoffSettings {
  if (defaultBackoff === undefined) {
    defaultBackoff = new ExponentialBackoff().settings;
    defaultBackoffParameterCount = Object.keys(defaultBackoff.parameters).length;
  }
  return defaultBackoff;
}

// Compared field by field every time, never cached per object: messages read back from storage
// each carry a fresh settings object, and a WeakMap entry per message costs the garbage collector
// more than the few comparisons it would save.
function isDefaultBackoff(settings: BackoffSettings): boolean {
  const defaults = defaultBackoffSettings();
  if (settings.algorithm !== defaults.algorithm) return false;
  const mine = settings.parameters ?? {};
  const theirs = defaults.parameters;
  let count = 0;
  for (const key in mine) {
    if (!Object.hasOwn(mine, key)) continue;
    if (!Object.hasOwn(theirs, key) || mine[key] !== theirs[key]) return false;
    count++;
  }
  return count === defaultBackoffParameterCount;
}

// A copy per message: readers may mutate what they get back.
function freshDefaultBackoff(): BackoffSettings {
  const defaults = defaultBackoffSettings();
  return { algorithm: defaults.algorithm, parameters: { ...defaults.parameters } };
}

function isEmptyPlainObject(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const _ in value) return false;
  return true;
}

/**
 * The fields of `data` that differ from their defaults, in a fixed order, for storage: a no-op
 * message shrinks from ~520 to ~130 bytes of JSON. `queue` and `uuid` are left out when they equal
 * `ref`'s (the backend keys the message by them), `updatedAt` when it equals `createdAt`, and a
 * nested `callbackMessageData` is compacted too. Deterministic, so a replayed submit encodes to
 * the same text. {@link expandMessageData} with the same `ref` restores data deep-equal to `data`.
 */
export function compactMessageData(data: MessageData, ref?: MessageRef): CompactMessageData {
  const out = compactKnownFields(data, ref);
  // Fields this version does not know (written by a newer one) are kept as they are.
  for (const key of Object.keys(data)) {
    if (!KNOWN_KEYS.has(key)) out[key] = (data as unknown as Record<string, unknown>)[key];
  }
  return out as CompactMessageData;
}

/**
 * {@link compactMessageData} of the fields this version knows only: for a `Message`, whose other
 * own fields (`lease`, `expiredLeases`) are never persisted, without copying it to plain data first.
 */
export function compactKnownFields(data: MessageData, ref?: MessageRef): Record<string, unknown> {
  const out: Record<string, unknown> = { taskName: data.taskName };
  if (data.queue !== (ref === undefined ? DEFAULT_QUEUE : ref.queue)) out.queue = data.queue;
  if (ref === undefined || data.uuid !== ref.uuid) out.uuid = data.uuid;
  if (!Array.isArray(data.args) || data.args.length > 0) out.args = data.args;
  if (!isEmptyPlainObject(data.kwargs)) out.kwargs = data.kwargs;
  if (data.priority !== 0) out.priority = data.priority;
  if (data.metadata !== null) out.metadata = data.metadata;
  if (data.exceptionDetails !== null) out.exceptionDetails = data.exceptionDetails;
  if (data.resultTtl !== null) out.resultTtl = data.resultTtl;
  if (data.progenitorUuid !== null) out.progenitorUuid = data.progenitorUuid;
  if (data.retries !== 0) out.retries = data.retries;
  if (data.timeout !== DEFAULT_TASK_TIMEOUT) out.timeout = data.timeout;
  out.createdAt = data.createdAt;
  if (data.updatedAt !== data.createdAt) out.updatedAt = data.updatedAt;
  if (data.delay !== 0) out.delay = data.delay;
  if (data.previousResult !== null) out.previousResult = data.previousResult;
  if (data.previousMessageUuid !== null) out.previousMessageUuid = data.previousMessageUuid;
  if (data.callbackMessageData != null) out.callbackMessageData = compactMessageData(data.callbackMessageData);
  if (data.backoffSettings == null || !isDefaultBackoff(data.backoffSettings)) out.backoffSettings = data.backoffSettings;
  if (data.mechanism !== "process") out.mechanism = data.mechanism;
  if (data.linkedLock !== null) out.linkedLock = data.linkedLock;
  return out;
}

/**
 * The full {@link MessageData} from its stored form (the inverse of {@link compactMessageData}
 * with the same `ref`). Full data stored by an earlier version passes through unchanged.
 */
export function expandMessageData(stored: CompactMessageData | MessageData, ref?: MessageRef): MessageData {
  if (typeof stored !== "object" || stored === null) return stored;
  const s = stored as Partial<MessageData>;
  const callback = s.callbackMessageData;
  const data: MessageData = {
    taskName: s.taskName as string,
    queue: s.queue ?? ref?.queue ?? DEFAULT_QUEUE,
    args: s.args ?? [],
    kwargs: s.kwargs ?? {},
    priority: s.priority ?? 0,
    metadata: s.metadata ?? null,
    exceptionDetails: s.exceptionDetails ?? null,
    resultTtl: s.resultTtl ?? null,
    uuid: (s.uuid ?? ref?.uuid) as string,
    progenitorUuid: s.progenitorUuid ?? null,
    retries: s.retries ?? 0,
    timeout: s.timeout ?? DEFAULT_TASK_TIMEOUT,
    createdAt: s.createdAt as number,
    updatedAt: (s.updatedAt ?? s.createdAt) as number,
    delay: s.delay ?? 0,
    previousResult: s.previousResult === undefined ? null : s.previousResult,
    previousMessageUuid: s.previousMessageUuid ?? null,
    callbackMessageData: callback == null ? null : expandMessageData(callback),
    backoffSettings: s.backoffSettings ?? freshDefaultBackoff(),
    mechanism: s.mechanism ?? "process",
    linkedLock: s.linkedLock ?? null,
  };
  // for-in, not Object.keys(): no array per message (this runs for every claimed message).
  for (const key in s) {
    if (!KNOWN_KEYS.has(key) && Object.hasOwn(s, key)) (data as unknown as Record<string, unknown>)[key] = (s as Record<string, unknown>)[key];
  }
  return data;
}
