import type { Redis } from "ioredis";

/** The part of ioredis' (private) connector this guard wraps. */
interface StreamConnector {
  connect(...args: unknown[]): Promise<NodeJS.EventEmitter>;
}

function ignoreLaterErrors(): void {
  // ioredis' own listener handles the socket's first error; a later one is the same failure.
}

/**
 * Keeps a client's socket from crashing the process with a second `error` event. ioredis listens
 * to each socket's errors with `once`, and a TLS socket that fails its handshake can emit two
 * (ioredis#961, #1183: seen here once as an uncaught `tlsv1 alert decode error` after a refused
 * certificate). Every socket the client opens gets a lasting listener besides ioredis' own; the
 * first error still reaches ioredis, which reconnects or reports it as before. Only for clients
 * the backend creates: an application's own client is its to configure.
 */
export function guardSocketErrors(client: Redis): Redis {
  const connector = (client as unknown as { connector?: StreamConnector }).connector;
  if (connector === undefined || typeof connector.connect !== "function") return client;
  const connect = connector.connect.bind(connector);
  connector.connect = async (...args: unknown[]) => {
    const stream = await connect(...args);
    stream.on("error", ignoreLaterErrors);
    return stream;
  };
  return client;
}
