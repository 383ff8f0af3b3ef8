import { createLogger, type Message } from "@alsek/core";
import type { WorkerPool } from "@alsek/worker";

const log = createLogger("alsek.cli");

// Only identifiers: a message's arguments and an error's text may hold user data.
function describeMessage(message: Message): Record<string, unknown> {
  return { uuid: message.uuid, queue: message.queue, task: message.taskName };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Run `pool` until it stops (after SIGTERM/SIGINT, which the pool handles: the first drains, a
 * second exits at once), logging one debug line per settled message, then close the backend.
 */
export async function runPool(pool: WorkerPool): Promise<void> {
  pool.on("completed", (message) => log.debug("Message completed.", describeMessage(message)));
  pool.on("retried", (message, error) =>
    log.debug("Message failed; retry scheduled.", { ...describeMessage(message), error: errorName(error) }),
  );
  pool.on("failed", (message, error) =>
    log.debug("Message failed for good.", { ...describeMessage(message), error: errorName(error) }),
  );
  try {
    await pool.run();
  } finally {
    await pool.broker.backend.close().catch((error: unknown) => {
      log.warn("Closing the backend failed.", { error: errorName(error) });
    });
  }
}
