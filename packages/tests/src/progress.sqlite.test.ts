import { describeProgress } from "./__fixtures__/describe-progress.js";

describeProgress("sqlite");
