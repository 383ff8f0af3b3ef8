// Tasks of the dashboard example, loaded by the producer (src/produce.ts) and by the
// `alsek thread-pool` CLI, never by the dashboard process. Only definitions here.
import { setTimeout as sleep } from "node:timers/promises";
import { Broker, task } from "@alsek/core";
import { ResultStore, StatusTracker } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
const tracking = { queue: "thumbnails", mechanism: "thread" as const, resultStore: new ResultStore(backend), statusTracker: new StatusTracker(backend) };

/** A stand-in for image work: takes a moment, returns the thumbnail's name and size. */
export const makeThumbnail = task(broker, { ...tracking, maxRetries: 0 }, async function makeThumbnail(image: string, width: number) {
  // The watermark font is installed by the operator half-way through (see main.ts): until then,
  // watermarked thumbnails fail and wait in the dead-letter queue.
  if (image.includes("watermark") && !(await backend.hasValue("font-installed"))) {
    throw new Error(`Cannot watermark ${image}: the watermark font is not installed.`);
  }
  await sleep(150);
  return { thumbnail: image.replace(/\.\w+$/, `-${width}.webp`), width };
});
