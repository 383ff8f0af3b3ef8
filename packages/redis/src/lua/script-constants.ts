// Constants the Lua scripts share with the TypeScript side, defined here and nowhere else:
// `LUA_CONSTANTS` renders them as Lua locals in front of common.lua in every script
// (script-set.ts), so a change here reaches both sides.

/** Width of the zero-padded ready score in front of a stored message's data (`m:<uuid>`). */
export const STORED_SCORE_WIDTH = 16;

/**
 * A ready score is `priority * READY_PRIORITY_SCALE + arrival sequence`: the priority sits above
 * the 32 bits of arrival order (core's `MAX_PRIORITY` keeps the sum an exact double).
 */
export const READY_PRIORITY_SCALE = 2 ** 32;

/** The mark in front of a stored status, so a script can tell a status from another keyed value. */
export const STATUS_MARK = "\u0000R";

/** Width of the zero-padded rank after {@link STATUS_MARK}. */
export const STATUS_RANK_WIDTH = 16;

/** Length of the mark and the rank in front of a stored status. */
export const STATUS_HEAD_WIDTH = STATUS_MARK.length + STATUS_RANK_WIDTH;

/**
 * Messages one claim skips per queue (`ClaimRequest.skipTasks`) before it stops looking further in
 * that queue: bounds the work of a claim over a long run of another consumer's messages.
 */
export const MAX_SKIPPED_PER_QUEUE = 1_000;

/** `text` as a Lua string literal (control characters as decimal escapes). */
function luaString(text: string): string {
  const body = [...text]
    .map((char) => {
      const code = char.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) return `\\${String(code).padStart(3, "0")}`;
      return char === "'" || char === "\\" ? `\\${char}` : char;
    })
    .join("");
  return `'${body}'`;
}

/** The constants above as Lua locals, prepended to every script. */
export const LUA_CONSTANTS = `-- Generated from script-constants.ts: the constants TypeScript and the scripts share.
local SCORE_WIDTH = ${STORED_SCORE_WIDTH}
local SCORE_FORMAT = '%0${STORED_SCORE_WIDTH}.0f'
local PRIORITY_SCALE = ${READY_PRIORITY_SCALE}
local STATUS_MARK = ${luaString(STATUS_MARK)}
local STATUS_HEAD_WIDTH = ${STATUS_HEAD_WIDTH}
local MAX_SKIPPED_PER_QUEUE = ${MAX_SKIPPED_PER_QUEUE}
`;
