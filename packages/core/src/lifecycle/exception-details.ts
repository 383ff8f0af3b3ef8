import type { ExceptionDetails } from "../messages/message-data.js";

/** The `exceptionDetails` recorded on a message for `error` (anything thrown). */
export function exceptionDetailsOf(error: unknown): ExceptionDetails {
  if (error instanceof Error) {
    return { name: error.name || error.constructor.name, text: error.message, traceback: error.stack ?? null };
  }
  if (error !== null && typeof error === "object") {
    const { name, message, stack } = error as { name?: unknown; message?: unknown; stack?: unknown };
    if (typeof name === "string" && typeof message === "string") {
      return { name, text: message, traceback: typeof stack === "string" ? stack : null };
    }
  }
  let text: string;
  try {
    text = typeof error === "string" ? error : JSON.stringify(error) ?? String(error);
  } catch {
    text = String(error);
  }
  return { name: "NonErrorThrown", text, traceback: null };
}
