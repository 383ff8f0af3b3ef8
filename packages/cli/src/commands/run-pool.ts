import { createLogger, messageLogFields } from "@alsek/core";
import type { WorkerPool } from "@alsek/worker";

// Only identifiers (messageLogFields: queue, task, uuid): a message's arguments and an error's
// text may hold user data.
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Run `pool` until it stops (after SIGTERM/SIGINT, which the pool handles: the first drains, a
 * second exits at once), logging one debug line per settled message, then close the backend.
 */
export async function runPool(pool: WorkerPool): Promise<void> {
  // The tasks' broker's logger when the task module gave it one, else the process-wide one.
  const log = createLogger("alsek.cli", pool.broker.logger);
  pool.on("completed", (message) => log.debug("Message completed.", messageLogFields(message)));
  pool.on("retried", (message, error) =>
    log.debug("Message failed; retry scheduled.", { ...messageLogFields(message), error: errorName(error) }),
  );
  pool.on("failed", (message, error) =>
    log.debug("Message failed for good.", { ...messageLogFields(message), error: errorName(error) }),
  );
  try {
    await pool.run();
  } finally {
    await pool.broker.backend.close().catch((error: unknown) => {
      log.warn("Closing the backend failed.", { error: errorName(error) });
    });
  }
}
