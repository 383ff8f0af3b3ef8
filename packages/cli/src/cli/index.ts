export { runCli, type RunCliOptions } from "./run-cli.js";
