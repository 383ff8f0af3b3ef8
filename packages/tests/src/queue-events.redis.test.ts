import { describeQueueEvents } from "./__fixtures__/describe-queue-events.js";

describeQueueEvents("redis");
