import { ValidationError, validateQueueName } from "@alsek/core";

/**
 * Split a `--queues a,b,c` value into queue names, in the order given (the order of
 * consumption). Spaces around names are ignored; an empty value means "every queue of the tasks".
 * @throws ValidationError for an invalid or repeated name.
 */
export function parseQueues(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) return undefined;
  const seen = new Set<string>();
  for (const name of names) {
    try {
      validateQueueName(name);
    } catch (error) {
      throw new ValidationError(
        `--queues: '${name}' is not a valid queue name (letters, digits, '_', '.', '-'; at most 200).`,
        { cause: error },
      );
    }
    if (seen.has(name)) throw new ValidationError(`--queues: queue '${name}' is listed twice; list each queue once.`);
    seen.add(name);
  }
  return names;
}
