import type { Argv, Options } from "yargs";

/** One command-line option, named as the guided tour spells it (snake_case). */
export interface OptionSpec {
  /** The tour's spelling without dashes, e.g. `"n_threads"`; the kebab-case spelling is an alias. */
  name: string;
  type: "number" | "boolean" | "string";
  describe: string;
  /** Shown in `--help` as `[default: …]`; applied by the command, not by yargs, so that an
   * option given explicitly can be told apart from its default. */
  defaultDescription?: string;
  /** Other spellings (short flags). */
  aliases?: string[];
  /** Set for options kept for compatibility; the text says what to use instead. */
  deprecated?: string;
}

function kebab(name: string): string {
  return name.replaceAll("_", "-");
}

function snake(name: string): string {
  return name.replaceAll("-", "_");
}

/** Register `specs` on a yargs builder, each under its snake_case and kebab-case spellings. */
export function addOptions<T>(builder: Argv<T>, specs: readonly OptionSpec[]): Argv<T> {
  let current = builder;
  for (const spec of specs) {
    const other = spec.name.includes("_") ? kebab(spec.name) : snake(spec.name);
    const aliases = [...(other === spec.name ? [] : [other]), ...(spec.aliases ?? [])];
    const options: Options = { type: spec.type, describe: spec.describe, alias: aliases };
    if (spec.defaultDescription !== undefined) options.defaultDescription = spec.defaultDescription;
    if (spec.deprecated !== undefined) options.deprecated = spec.deprecated;
    current = current.option(spec.name, options) as Argv<T>;
  }
  return current;
}
