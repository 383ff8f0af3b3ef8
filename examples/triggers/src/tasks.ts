// Tasks of the triggers example. Workers import this module by URL: defining a trigger task
// schedules nothing; only generate() (called by main.ts) starts the schedule, in that process.
import { Broker, IntervalTrigger, task } from "@alsek/core";
import { ResultStore } from "@alsek/results";
import { backend } from "./backend.js";

export const broker = new Broker(backend);
export const resultStore = new ResultStore(backend);

/** The guided tour's `harvest_data`, fired every 300 ms instead of every 10 s. */
export const harvestData = task(
  broker,
  { mechanism: "thread", resultStore, trigger: new IntervalTrigger({ milliseconds: 300 }) },
  function harvestData() {
    return Math.floor(Math.random() * 101);
  },
);
