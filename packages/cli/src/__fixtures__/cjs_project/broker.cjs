// The one broker of this fixture package, CommonJS so that every kind of module can load it.
// Its Redis comes from the environment the test sets.
const { Broker } = require("@alsek/core");
const { RedisBackend } = require("@alsek/redis");

const backend = new RedisBackend(process.env.ALSEK_CLI_TEST_REDIS_URL ?? "redis://127.0.0.1:1", {
  namespace: process.env.ALSEK_CLI_TEST_NAMESPACE ?? "cli-test",
});
exports.backend = backend;
exports.broker = new Broker(backend);
