export { requirePositiveMs, requireText, requireTimestamp } from "./argument-checks.js";
export {
  requireFiniteTimestamp,
  requirePositiveDuration,
  requirePositiveOption,
  requireQueuedMessage,
  requireStatusKeyAndRank,
  requireStatusWrite,
  requireTtlOrNull,
  MAX_SKIP_TASKS,
  validateClaimLimit,
  validateMessageRef,
  validatePriority,
  validateSkipTasks,
} from "./backend-argument-rules.js";
export {
  decodeStoredMessage,
  RAW_PAYLOAD_METADATA_KEY,
  undecodableDeadLetter,
  type DecodedMessage,
} from "./decode-stored-message.js";
export {
  acceptsMessageField,
  findMessageProblem,
  MESSAGE_FIELD_RULES,
  requireMatchingData,
  requireMessageData,
  type MessageProblem,
} from "./message-schema.js";
export { validateListMessagesRequest, validateMessageUuid, validateThroughputMinutes } from "./inspection-rules.js";
export { validateNamespace } from "./namespace-rule.js";
export { validateQueueName, validateTaskName } from "./name-rules.js";
export { requireDuration, requireInteger } from "./pool-option-rules.js";
export { describeGot, MAX_PRIORITY, MAX_TIMER_MS, requireFiniteAtLeast, requireIntegerIn } from "./numeric-rules.js";
export {
  requireBackoffSettings,
  requireDelay,
  requireMaxRetries,
  requirePriority,
  requireResultTtl,
  requireTaskNameGiven,
  requireTimeout,
  requireTriggerScheduling,
} from "./task-option-rules.js";
export { requireScheduleDefinition, requireScheduleFire, requireScheduleRef } from "./schedule-checks.js";
export { requireLogSink } from "./log-sink-rule.js";
export { requireRateLimit } from "./flow-control-rules.js";
export { MAX_PROGRESS_BYTES, requireProgressValue, requireProgressWrite } from "./progress-rules.js";
export { MAX_EVENTS_PER_READ, requireReadEventsRequest } from "./event-rules.js";
