export { ScriptSet, SCRIPT_NAMES, type ScriptName } from "./script-set.js";
