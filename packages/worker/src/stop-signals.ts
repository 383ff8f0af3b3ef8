/** Signals that stop a pool gracefully; a second one while stopping exits at once. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"];

/** What {@link listenForStopSignals} does on the first and the second signal. */
export interface StopSignalHandlers {
  /** First signal: begin a graceful stop. */
  onFirst(signal: NodeJS.Signals): void;
  /** Second signal: the user insists; release what can be released synchronously, then exit. */
  onSecond(signal: NodeJS.Signals): void;
}

/**
 * Install SIGTERM/SIGINT handlers for the life of a pool. Returns the function that removes them,
 * so a pool that stopped leaves the process's signal handling as it found it.
 */
export function listenForStopSignals(handlers: StopSignalHandlers): () => void {
  let received = false;
  const listener = (signal: NodeJS.Signals): void => {
    if (received) {
      handlers.onSecond(signal);
      return;
    }
    received = true;
    handlers.onFirst(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, listener);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, listener);
  };
}
