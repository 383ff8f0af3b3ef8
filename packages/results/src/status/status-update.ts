import { TaskStatus, TERMINAL_TASK_STATUSES } from "@alsek/core";

/** One recorded status of a message, as {@link StatusTracker.get} and `listen` return it. */
export interface StatusUpdate {
  /** Where the message is in its life. */
  status: TaskStatus;
  /** Whatever the writer attached (`null` when nothing). */
  details: unknown;
  /** When the status was written, epoch ms on the writer's clock. */
  updatedAt: number;
}

/** The stored (and published) form: the status by name, as the original stores it. */
interface StoredStatus {
  status: string;
  details: unknown;
  updatedAt: number;
}

/** @internal */
export function encodeStatusUpdate(update: StatusUpdate): StoredStatus {
  return { status: TaskStatus[update.status], details: update.details, updatedAt: update.updatedAt };
}

/**
 * Read a stored or published status back; anything unrecognisable (written by something else)
 * yields `null` rather than a wrong status.
 * @internal
 */
export function decodeStatusUpdate(value: unknown): StatusUpdate | null {
  if (typeof value !== "object" || value === null) return null;
  const stored = value as Partial<StoredStatus>;
  if (typeof stored.status !== "string" || !Object.hasOwn(TaskStatus, stored.status)) return null;
  const status = TaskStatus[stored.status as keyof typeof TaskStatus];
  if (typeof status !== "number") return null;
  return {
    status,
    details: stored.details ?? null,
    updatedAt: typeof stored.updatedAt === "number" ? stored.updatedAt : 0,
  };
}

/** Whether nothing more will happen to a message in this status. */
export function isTerminalStatus(status: TaskStatus): boolean {
  return TERMINAL_TASK_STATUSES.includes(status);
}
