export type { Trigger, TriggerSchedule } from "./trigger.js";
export { CronTrigger } from "./cron-trigger.js";
export type { CronTriggerOptions } from "./cron-trigger.js";
export { IntervalTrigger } from "./interval-trigger.js";
export type { IntervalTriggerOptions } from "./interval-trigger.js";
export { DateTrigger } from "./date-trigger.js";
export type { TriggerSpec } from "./trigger-spec.js";
