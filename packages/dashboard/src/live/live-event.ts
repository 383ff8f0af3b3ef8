/** One server-sent event: its name and a JSON-encodable payload. */
export interface LiveEvent {
  event: "counts" | "status" | "progress" | "result";
  data: unknown;
}

/** Receives the events of what it watches. */
export type LiveListener = (event: LiveEvent) => void;

/** Ends a watch. */
export type StopWatching = () => void;
