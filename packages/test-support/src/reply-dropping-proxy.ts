import { createServer, connect, type Server, type Socket } from "node:net";

/** A TCP proxy in front of a server that can lose the reply to one chosen command. */
export interface ReplyDroppingProxy {
  /** The port the proxy listens on (127.0.0.1). */
  readonly port: number;
  /**
   * Loses the reply to the next command whose bytes contain `marker`: the command reaches the
   * server (which applies it), then the proxy closes that client connection instead of relaying
   * what the server answered, as a dropped connection does. Resolves once that happened.
   */
  dropNextReplyTo(marker: string): Promise<void>;
  /** Closes the proxy and every connection through it. Idempotent. */
  close(): Promise<void>;
}

interface PendingDrop {
  marker: string;
  dropped: () => void;
}

/**
 * Starts a proxy on a free loopback port that forwards every connection to `targetPort`. Clients
 * such as ioredis re-send a command whose reply was lost when they reconnect, so the proxy
 * reproduces a lost reply exactly: the server applied the command once, the client sends it again.
 */
export async function startReplyDroppingProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<ReplyDroppingProxy> {
  const sockets = new Set<Socket>();
  let pending: PendingDrop | null = null;

  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    sockets.add(client).add(upstream);
    let losing: PendingDrop | null = null;
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (chunk: Buffer) => {
      if (pending !== null && chunk.includes(pending.marker)) {
        losing = pending;
        pending = null;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (losing !== null) {
        // The server answered the marked command (and maybe others written with it): lose it all.
        const lost = losing;
        losing = null;
        closeBoth();
        lost.dropped();
        return;
      }
      client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on("error", closeBoth);
      socket.on("close", () => {
        sockets.delete(socket);
        closeBoth();
      });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  let closed = false;

  return {
    port,
    dropNextReplyTo(marker) {
      if (pending !== null) throw new Error("dropNextReplyTo: a drop is already pending");
      return new Promise<void>((resolve) => {
        pending = { marker, dropped: resolve };
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
