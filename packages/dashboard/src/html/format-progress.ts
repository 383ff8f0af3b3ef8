import type { ProgressValue } from "@alsek/core";
import { prettyJson } from "./format-value.js";

/** How the message page shows a progress value: `42 %` for a number, the JSON of an object. */
export function progressText(value: ProgressValue): string {
  return typeof value === "number" ? `${value} %` : prettyJson(value);
}
