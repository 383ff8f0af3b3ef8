// Child process of multi-process.test.ts: claims one message of "jobs" under a short lease,
// prints its lease as JSON and exits without settling it, as a crashed worker would.
import { SqliteBackend } from "../index.js";

const [file, leaseMs] = process.argv.slice(2);
const backend = new SqliteBackend(file!);
const { messages } = await backend.claim({ queues: ["jobs"], limit: 1, leaseMs: Number(leaseMs) });
process.stdout.write(JSON.stringify(messages[0]?.lease ?? null));
process.exit(0);
