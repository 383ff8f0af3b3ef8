// The broker of the CLI's example project. Its Redis comes from the environment the test sets;
// constructing the backend opens no connection, so importing this module is cheap.
import { Broker } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";

export const backend = new RedisBackend(process.env.ALSEK_CLI_TEST_REDIS_URL ?? "redis://127.0.0.1:1", {
  namespace: process.env.ALSEK_CLI_TEST_NAMESPACE ?? "cli-test",
});
export const broker = new Broker(backend);
