import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Cluster, type ClusterOptions, Redis } from "ioredis";
import { freePort } from "./free-port.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

const run = promisify(execFile);

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /**
   * Number of masters (no replicas); Redis needs at least 3.
   * @defaultValue 3
   */
  masters?: number;
  /**
   * How long to wait for `cluster_state:ok` on every node.
   * @defaultValue 30000
   */
  startTimeoutMs?: number;
}

/** A running throwaway Redis Cluster on loopback ports. */
export interface RedisCluster {
  /** One server per master. */
  readonly nodes: readonly RedisServer[];
  /** `{ host, port }` of every master, for `new Cluster(startupNodes)`. */
  readonly startupNodes: readonly { host: string; port: number }[];
  /** A new ioredis `Cluster` client (lazy); the caller closes it. */
  client(options?: ClusterOptions): Cluster;
  /** Stop every node and delete their directories. Idempotent. */
  stop(): Promise<void>;
}

async function clusterIsReady(nodes: readonly RedisServer[], masters: number): Promise<boolean> {
  for (const node of nodes) {
    const client = new Redis({ ...node.redisOptions, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      const info = String(await client.call("CLUSTER", "INFO"));
      if (!info.includes("cluster_state:ok") || !info.includes(`cluster_known_nodes:${masters}`)) return false;
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
  return true;
}

/**
 * Start a Redis Cluster of `masters` masters on free loopback ports (`--cluster-enabled yes`,
 * then `redis-cli --cluster create`), and wait until every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  if (masters < 3) throw new Error(`a Redis Cluster needs at least 3 masters, got ${masters}`);
  const nodes: RedisServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    for (let i = 0; i < masters; i += 1) {
      // The cluster bus port is given explicitly so it need not be port + 10000 (maybe taken).
      const busPort = await freePort();
      nodes.push(
        await startRedisServer({
          args: [
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "3000", "--cluster-port", String(busPort),
          ],
        }),
      );
    }
    try {
      await run("redis-cli", [
        "--cluster", "create", ...nodes.map((n) => `${n.host}:${n.port}`),
        "--cluster-replicas", "0", "--cluster-yes",
      ]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error("redis-cli was not found on PATH; install redis-server: apt-get install -y redis-server", {
          cause: error,
        });
      }
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      throw new Error(`redis-cli --cluster create failed:\n${stdout}\n${stderr}`, { cause: error });
    }
    const deadline = Date.now() + timeoutMs;
    while (!(await clusterIsReady(nodes, masters))) {
      if (Date.now() > deadline) throw new Error(`the cluster did not reach cluster_state:ok in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const startupNodes = nodes.map((n) => ({ host: n.host, port: n.port }));
  return {
    nodes,
    startupNodes,
    client(clusterOptions = {}) {
      return new Cluster(startupNodes, { lazyConnect: true, ...clusterOptions });
    },
    stop,
  };
}
