import { describe, expect, it } from "vitest";
import { startRedisCluster, startRedisServer } from "./index.js";

describe("startRedisServer", () => {
  it("starts a server on a free port that answers and forgets data on stop", async () => {
    const server = await startRedisServer();
    const client = server.client();
    try {
      expect(server.port).not.toBe(6379);
      await client.set("k", "v");
      expect(await client.get("k")).toBe("v");
    } finally {
      client.disconnect();
      await server.stop();
    }
  });

  it("keeps data across restart and drops it with keepData false", async () => {
    const server = await startRedisServer();
    const client = server.client();
    try {
      await client.set("k", "v");
      const firstPid = server.pid;
      await server.restart();
      expect(server.pid).not.toBe(firstPid);
      expect(await client.get("k")).toBe("v");
      await server.restart({ keepData: false });
      expect(await client.get("k")).toBeNull();
    } finally {
      client.disconnect();
      await server.stop();
    }
  });

  it("serves TLS only, with an ACL user, and refuses the default user", async () => {
    const server = await startRedisServer({ tls: true, aclUser: { name: "alice", password: "s3cret" } });
    const client = server.client();
    const anonymous = server.client({ username: undefined, password: undefined, maxRetriesPerRequest: 0 });
    anonymous.on("error", () => undefined);
    try {
      expect(server.url).toBe(`rediss://alice:s3cret@127.0.0.1:${server.port}`);
      expect(await client.call("ACL", "WHOAMI")).toBe("alice");
      await expect(anonymous.ping()).rejects.toThrow();
    } finally {
      client.disconnect();
      anonymous.disconnect();
      await server.stop();
    }
  });
});

describe("startRedisCluster", () => {
  it("builds a 3-master cluster that spreads slots across masters", async () => {
    const cluster = await startRedisCluster({ masters: 3 });
    const client = cluster.client();
    try {
      await client.set("{a}x", "1");
      await client.set("{b}x", "2");
      expect(await client.get("{a}x")).toBe("1");
      expect(client.nodes("master")).toHaveLength(3);
    } finally {
      client.disconnect();
      await cluster.stop();
    }
  });
});
