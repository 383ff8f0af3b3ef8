// An ack may store a result in the same script call, and setResult stores one alone; both scripts
// take the result as the same run of arguments, built here.
import { resultChannel, type ResultWrite } from "@alsek/core";
import type { BackendConnection } from "./backend-connection.js";
import { ttlArgument, validateUuid } from "./validation.js";

/**
 * The result arguments of the ack and set-result scripts: has-result flag, encoded value, ttl,
 * progenitor uuid, notice channel and encoded notice.
 */
export function resultArguments(
  connection: BackendConnection,
  uuid: string,
  result: ResultWrite | undefined,
): (string | number)[] {
  if (result === undefined) return ["0", "", 0, "", "", ""];
  const progenitor = result.progenitorUuid ?? "";
  if (progenitor !== "") validateUuid(progenitor);
  return [
    "1",
    connection.serializer.forward(result.value),
    ttlArgument("result ttlMs", result.ttlMs),
    progenitor,
    connection.keys.channel(resultChannel(result.progenitorUuid ?? uuid)),
    connection.serializer.forward(uuid),
  ];
}
