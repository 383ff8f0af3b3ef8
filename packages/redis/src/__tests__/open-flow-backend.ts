// How the child pools of flow-control-pool.test.ts open the test's Redis (see run-limited-pool.ts
// in @alsek/test-support): `standalone <namespace> <url>` or `cluster <namespace> <host:port>...`,
// recording events like the test's backends (the claims' `started` events carry their times).
import type { Backend } from "@alsek/core";
import { Cluster } from "ioredis";
import { RedisBackend } from "../index.js";

export function openBackend([kind, namespace, ...rest]: string[]): Backend {
  if (kind === "standalone") return new RedisBackend(rest[0], { namespace, events: true });
  const nodes = rest.map((node) => {
    const [host, port] = node.split(":");
    return { host: host!, port: Number(port) };
  });
  return new RedisBackend(new Cluster(nodes, { lazyConnect: true }), { namespace, events: true });
}
