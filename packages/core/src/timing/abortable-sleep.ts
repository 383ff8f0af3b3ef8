/**
 * Resolves after `ms`, or at once when `signal` aborts (already aborted included). Never rejects:
 * the callers (idle waits, back-off after an error) only need to stop waiting.
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
