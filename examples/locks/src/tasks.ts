// Tasks of the locks example. Workers import this module by URL, so it only defines things.
import { setTimeout as sleep } from "node:timers/promises";
import { Broker, Lock, task, type Message } from "@alsek/core";
import { ResultStore } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
export const resultStore = new ResultStore(backend);

/** What one `sendData` run did. */
export interface SendOutcome {
  sent: boolean;
  /** While the lock was held (epoch ms), when sent. */
  heldFrom?: number;
  heldUntil?: number;
}

/**
 * The guided tour's `send_data`: only one run at a time may send, across every thread, process and
 * machine. The owner is the message: the default owner is the process, and the pool's threads
 * share one process, so they would all count as the same owner.
 */
export const sendData = task(
  broker,
  { mechanism: "thread", resultStore, passMessage: true },
  async function sendData(message: Message): Promise<SendOutcome> {
    const lock = new Lock("send_data", { backend, ttl: 30_000, ownerId: message.uuid });
    if (!(await lock.acquire())) {
      console.log(`  ${message.uuid}: Failed to acquire lock`);
      return { sent: false };
    }
    try {
      const heldFrom = Date.now();
      console.log(`  ${message.uuid}: Sending data...`);
      await sleep(300);
      return { sent: true, heldFrom, heldUntil: Date.now() };
    } finally {
      await lock.release();
    }
  },
);
