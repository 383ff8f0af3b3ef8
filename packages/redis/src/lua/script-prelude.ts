// The shared Lua in front of each script, cut to what that script uses.
//
// Redis runs a script's whole text on every EVALSHA, so each helper of the shared prelude
// (script-constants.ts, common.lua, schedule-common.lua) costs its definition on every call, used
// or not: the full prelude was about a fifth of the submit script's server time. The prelude is a
// list of top-level `local` definitions, one per line starting with `local NAME` or
// `local function NAME`; the lines up to the next such line belong to it.

/** One top-level definition of the prelude and the text that makes it. */
interface PreludeDefinition {
  readonly name: string;
  readonly text: string;
}

const DEFINITION_START = /^local (?:function )?([A-Za-z_][A-Za-z0-9_]*)/;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/** The prelude's definitions in order; the text before the first one (its header comment) is dropped. */
function definitionsOf(prelude: string): PreludeDefinition[] {
  const definitions: PreludeDefinition[] = [];
  let name: string | null = null;
  let lines: string[] = [];
  const close = () => {
    if (name !== null) definitions.push({ name, text: lines.join("\n") });
  };
  for (const line of prelude.split("\n")) {
    const start = DEFINITION_START.exec(line);
    if (start) {
      close();
      name = start[1]!;
      lines = [];
    }
    lines.push(line);
  }
  close();
  return definitions;
}

/**
 * The definitions of `prelude` that `body` uses, directly or through another definition, in the
 * prelude's order (a Lua local must be defined before the code that uses it), then `body`.
 * A name is used when it appears as a word anywhere in the text (a comment too): that can keep a
 * definition the script does not need, never drop one it does.
 * @throws Error when a line at the prelude's top level is neither a definition nor part of one
 * (a statement there would be dropped with the definition it follows).
 */
export function scriptWithPrelude(prelude: string, body: string): string {
  const definitions = definitionsOf(prelude);
  const used = new Set<string>();
  const pending = [body];
  while (pending.length > 0) {
    const words = new Set(pending.pop()!.match(IDENTIFIER));
    for (const definition of definitions) {
      if (used.has(definition.name) || !words.has(definition.name)) continue;
      used.add(definition.name);
      pending.push(definition.text);
    }
  }
  const kept = definitions.filter((definition) => used.has(definition.name)).map((definition) => definition.text);
  return [...kept, body].join("\n");
}

/**
 * Checks that `prelude` is only definitions (comments, blank lines and indented or `end` lines
 * inside them), so {@link scriptWithPrelude} cannot drop a statement.
 * @throws Error naming the first line that is not.
 */
export function checkPrelude(name: string, prelude: string): void {
  prelude.split("\n").forEach((line, index) => {
    if (line === "" || line.startsWith("--") || line.startsWith(" ") || line === "end" || DEFINITION_START.test(line)) return;
    if (/^[}\])]/.test(line)) return; // the closing line of a multi-line table or call
    throw new Error(`${name} line ${index + 1} is a top-level statement, not a definition: ${line}`);
  });
}
