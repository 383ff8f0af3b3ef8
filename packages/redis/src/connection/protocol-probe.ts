import { connect as connectTcp } from "node:net";
import { connect as connectTls } from "node:tls";

/** How long a probe may take; it only runs after the real connection failed. */
const PROBE_TIMEOUT_MS = 3_000;

/**
 * Whether the server at `host:port` completes a TLS handshake. Asked when a plain `redis://`
 * connection is reset before Redis ever answered: a TLS port drops a client that does not speak
 * TLS, which ioredis would otherwise retry until the command's retries run out.
 */
export function speaksTls(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    // Only the handshake matters here, not whom it reaches: nothing is sent over it.
    const socket = connectTls({ host, port, rejectUnauthorized: false, timeout: PROBE_TIMEOUT_MS });
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.once("secureConnect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

/**
 * Whether the server at `host:port` answers a plain `PING` the way Redis does (`+PONG`, or an
 * error reply such as `-NOAUTH`). Asked when a `rediss://` connection timed out in its TLS
 * handshake: a plain Redis port waits for a command and never answers the client's hello.
 */
export function speaksPlainRedis(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port, timeout: PROBE_TIMEOUT_MS });
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (chunk: Buffer) => done(chunk[0] === 0x2b || chunk[0] === 0x2d));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}
