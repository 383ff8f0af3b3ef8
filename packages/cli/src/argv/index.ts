export { normalizeArgv } from "./normalize-argv.js";
