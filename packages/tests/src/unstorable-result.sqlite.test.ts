import { describeUnstorableResult } from "./__fixtures__/describe-unstorable-result.js";

describeUnstorableResult("sqlite");
