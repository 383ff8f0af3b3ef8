// The dashboard process: imports only @alsek/dashboard, node:http and a backend (no task, no
// broker, no worker package), as a dashboard deployed beside an app would. It prints its URL as
// its first line and serves until SIGTERM or SIGINT.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDashboard, toNodeListener } from "@alsek/dashboard";
import { backend, backendLabel } from "./backend.js";

const dashboard = createDashboard({ backend, pollInterval: 250 });
const server = createServer(toNodeListener(dashboard));
server.listen(Number(process.env.DASHBOARD_PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`http://127.0.0.1:${port}/ (${backendLabel})\n`);
});

async function stop(): Promise<void> {
  await dashboard.close();
  server.closeAllConnections();
  server.close();
  await backend.close();
}
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
