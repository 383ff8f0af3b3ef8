import type { RedisClient } from "../connection/redis-client.js";
import { LUA_SOURCES } from "./lua-sources.generated.js";
import { LUA_CONSTANTS } from "./script-constants.js";
import { checkPrelude, scriptWithPrelude } from "./script-prelude.js";

/** The Lua scripts, one per atomic operation (`<name>.lua` next to this module, embedded at build). */
export const SCRIPT_NAMES = [
  "submit",
  "claim",
  "renew",
  "ack",
  "retry",
  "fail",
  "release",
  "remove-many",
  "count-queue",
  "set-result",
  "set-status",
  "set-progress",
  "take-results",
  "delete-results",
  "descendant-results",
  "acquire-lock",
  "release-lock",
  "list-messages",
  "inspect-message",
  "ready-now",
  "delete-dead-letters",
  "throughput",
  "schedule-define",
  "schedule-fire",
  "schedule-pause",
  "schedule-delete",
  "schedule-list",
  "set-queue-control",
] as const;

/** Name of one script. */
export type ScriptName = (typeof SCRIPT_NAMES)[number];

type ScriptArgument = string | number;
type ScriptCommand = (numberOfKeys: number, ...rest: ScriptArgument[]) => Promise<unknown>;

let sources: Map<ScriptName, string> | null = null;

// Every script starts with what it uses of the shared constants (script-constants.ts) and helpers
// (common.lua; the schedule scripts also schedule-common.lua), cut by scriptWithPrelude. The
// texts are embedded by the build (scripts/embed-lua.mjs), so nothing is read from disk and
// bundlers keep them.
function loadSources(): Map<ScriptName, string> {
  if (sources !== null) return sources;
  const read = (name: string): string => {
    const text = LUA_SOURCES[name];
    if (text === undefined) throw new Error(`Lua script ${name}.lua is not embedded: run \`pnpm build\` in packages/redis.`);
    return text;
  };
  const prelude = `${LUA_CONSTANTS}\n${read("common")}`;
  const schedulePrelude = `${prelude}\n${read("schedule-common")}`;
  checkPrelude("script-constants.ts and common.lua", prelude);
  checkPrelude("schedule-common.lua", read("schedule-common"));
  sources = new Map(
    SCRIPT_NAMES.map((name) => [
      name,
      scriptWithPrelude(name.startsWith("schedule-") ? schedulePrelude : prelude, read(name)),
    ]),
  );
  return sources;
}

function commandName(name: ScriptName): string {
  return `alsek_${name.replace(/-/g, "_")}`;
}

/**
 * Registers the scripts on a client with ioredis `defineCommand`, which sends EVALSHA and falls
 * back to EVAL on NOSCRIPT (after a server restart the script cache is empty).
 */
export class ScriptSet {
  readonly #client: RedisClient;

  constructor(client: RedisClient) {
    this.#client = client;
    for (const [name, lua] of loadSources()) {
      client.defineCommand(commandName(name), { lua });
    }
  }

  /** Runs a script; every key must be in one slot (in Cluster the first key routes the call). */
  run(name: ScriptName, keys: readonly string[], args: readonly ScriptArgument[]): Promise<unknown> {
    const command = (this.#client as unknown as Record<string, ScriptCommand>)[commandName(name)];
    if (command === undefined) throw new Error(`script ${name} is not registered`);
    return command.call(this.#client, keys.length, ...keys, ...args);
  }
}
