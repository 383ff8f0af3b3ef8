export { freePort, isPortFree } from "./free-port.js";
export { generateTlsCertificate, type TlsCertificate } from "./tls-certificate.js";
export {
  startRedisServer,
  redisServerMissingMessage,
  type AclUser,
  type RedisServer,
  type RedisServerOptions,
} from "./redis-server.js";
export { startRedisCluster, type RedisCluster, type RedisClusterOptions } from "./redis-cluster.js";
export { startReplyDroppingProxy, type ReplyDroppingProxy } from "./reply-dropping-proxy.js";
