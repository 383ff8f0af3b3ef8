// Entry of the `alsek` binary (bin/alsek.js imports the compiled copy of this file).
import { runCli } from "./run-cli.js";

const code = await runCli(process.argv.slice(2));
// A pool has drained and closed its backend by now; exiting here also ends whatever timers or
// connections the user's task modules opened at import time.
process.exit(code);
