// How a ThreadHost offers its thread's free slots to the standbys it holds, under interleavings
// a real thread produces but timing rarely shows: a scripted thread (same protocol as
// thread-entry.js) sends the batches of one such interleaving at the moments the test picks.
import { join } from "node:path";
import { BroadcastChannel } from "node:worker_threads";
import type { Assignment, OutcomeReport } from "@alsek/worker";
import { until } from "@alsek/test-support/pool-behaviour";
import { afterEach, describe, expect, it } from "vitest";
import type { FromThread, ToThread } from "./child/protocol.js";
import { ThreadHost } from "./thread/thread-host.js";

const SCRIPTED_THREAD = join(import.meta.dirname, "__fixtures__", "scripted-thread.mjs");
const MODULE = "file:///tasks.js";
const STOPPED = { name: "TerminationError", message: "test over", stack: null, props: null };

function assignment(id: number): Assignment {
  return {
    id,
    moduleUrl: MODULE,
    taskName: "t",
    messageData: { taskName: "t", uuid: `u${id}`, createdAt: 1 },
    timeoutMs: 30_000,
  };
}

/** What the scripted thread is told (see the fixture): a batch to send, messages to handle, or handle all. */
interface ScriptCommand {
  send?: Partial<Omit<Extract<FromThread, { type: "batch" }>, "type">>;
  process?: number;
  auto?: boolean;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A host over a scripted thread; what the thread received and what the host reported. */
async function scriptedHost() {
  const name = `scripted-thread-${process.pid}-${Math.random()}`;
  const channel = new BroadcastChannel(name);
  const received: ToThread[] = [];
  channel.onmessage = (event) => received.push((event as { data: { received: ToThread } }).data.received);
  const reports: OutcomeReport[] = [];
  const host = new ThreadHost(
    SCRIPTED_THREAD,
    false,
    [MODULE],
    {
      report: (batch) => reports.push(...batch),
      progress: () => {},
      rerun: () => {},
      promoted: () => {},
      returned: () => {},
      exited: () => {},
      startFailed: () => {},
    },
    { env: { ...process.env, SCRIPTED_THREAD_CHANNEL: name }, execArgv: [] },
  );
  cleanups.push(() => {
    host.stop(STOPPED);
    channel.close();
  });
  await until("the thread preloaded", () => received.some((message) => message.type === "preload"));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const thread = (command: ScriptCommand) => channel.postMessage(command);
  const ok = (id: number): OutcomeReport => ({ id, outcome: { ok: true, result: id } });
  return { host, thread, received, reports, ok };
}

describe("ThreadHost offers", () => {
  it("offers slots a start request left unused to a standby that reached the thread after it", async () => {
    const { host, thread, received, reports, ok } = await scriptedHost();
    const [a1, a2, s1, s2] = [1, 2, 3, 4].map(assignment) as [Assignment, Assignment, Assignment, Assignment];
    host.add(a1);
    host.add(a2);
    host.flush();
    host.addStandby(s1);
    host.flush();
    await until("the thread got both", () => received.filter((message) => message.type === "run").length === 2);
    // a1 ended before s1 arrived: its slot is unfilled, and the host offers it to s1.
    thread({ process: 1 });
    thread({ send: { outcomes: [ok(1)], unfilled: 1 } });
    await until("the host offered a slot", () => received.some((message) => message.type === "start"));
    // s1 arrived and took a2's slot when a2 ended.
    thread({ process: 1 });
    thread({ send: { outcomes: [ok(2)], promoted: [3] } });
    await until("a2 was reported", () => reports.some(({ id }) => id === 2));
    // s2 is sent ahead behind s1, after the offer.
    host.addStandby(s2);
    host.flush();
    await until("the thread got s2", () => received.filter((message) => message.type === "run").length === 3);
    // s1 ended before the thread read the offer: the host still counts the offer as pending.
    thread({ send: { outcomes: [ok(3)], unfilled: 1 } });
    await until("s1 was reported", () => reports.some(({ id }) => id === 3));
    // The thread reads the offer (no standby there: it goes unused), then s2 arrives.
    thread({ process: 1 });
    thread({ process: 1 });
    thread({ auto: true });
    // The thread now holds s2 with every slot free: the host must offer one again, or s2 waits forever.
    await until("s2 ran", () => reports.some(({ id }) => id === 4), 3_000);
    expect(reports.map(({ id }) => id)).toEqual([1, 2, 3, 4]);
  });
});
