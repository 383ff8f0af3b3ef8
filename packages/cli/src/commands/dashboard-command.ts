import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { once } from "node:events";
import { readFlag, readInteger, readString, type ParsedArgs } from "../options/read-option.js";
import { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT } from "../options/backend-option-specs.js";
import { importOptional, openBackend } from "./open-backend.js";

/**
 * `alsek dashboard --redis-url …|--sqlite …`: serve `@alsek/dashboard` for that backend on
 * `--host`:`--port` until SIGINT or SIGTERM, then close the server and the backend. No task module
 * is loaded: the dashboard reads through the inspection API.
 */
export async function dashboardCommand(args: ParsedArgs): Promise<void> {
  const port = readInteger(args, "port", 0, DEFAULT_DASHBOARD_PORT);
  const host = readString(args, "host") ?? DEFAULT_DASHBOARD_HOST;
  const { createDashboard, toNodeListener } = await importOptional("@alsek/dashboard", () => import("@alsek/dashboard"), "alsek dashboard");
  const { backend, label } = await openBackend(args);
  const basePath = readString(args, "base-path");
  const dashboard = createDashboard({ backend, readOnly: readFlag(args, "read-only"), ...(basePath === undefined ? {} : { basePath }) });
  const server = createServer(toNodeListener(dashboard));
  try {
    server.listen(port, host);
    await Promise.race([once(server, "listening"), once(server, "error").then(([error]) => Promise.reject(error as Error))]);
    const address = server.address() as AddressInfo;
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    process.stdout.write(
      `Alsek dashboard on http://${shownHost}:${address.port}${dashboard.basePath}/ (${label}${readFlag(args, "read-only") ? ", read-only" : ""}). Ctrl-C stops it.\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  } finally {
    await dashboard.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await backend.close();
  }
}
