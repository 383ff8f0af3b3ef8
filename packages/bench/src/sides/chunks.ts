/**
 * Run `write(size)` for consecutive chunks covering `count` items, keeping at most `inFlight`
 * writes awaiting their reply: 1 is strictly one after another.
 */
export async function writeInChunks(
  count: number,
  chunk: number,
  inFlight: number,
  write: (size: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const size = Math.min(chunk, count - next);
      next += size;
      await write(size);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, inFlight) }, lane));
}
