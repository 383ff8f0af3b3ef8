import { describeSharedSchedule } from "./__fixtures__/describe-shared-schedule.js";

describeSharedSchedule("sqlite");
