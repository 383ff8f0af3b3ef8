// Which Redis failures retrying cannot fix, and what to tell the user about each. Everything else
// (refused or reset connections, LOADING, TRYAGAIN, timeouts, CLIENT KILL) is transient: ioredis
// reconnects and the pool retries.

/** Replies that reject the credentials. */
const AUTH_REPLY = /^(WRONGPASS|NOAUTH)\b|^ERR (invalid password|AUTH .*without any password)/;
/** A reply that says the ACL user may not run a command or touch a key or channel. */
const PERMISSION_REPLY = /(^|\W)NOPERM\b/;
/** Node's codes for a server certificate this process does not trust or that does not match. */
const TLS_TRUST_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * What to tell the user when `error` (an ioredis reply or connection error) is a failure retrying
 * cannot fix; `null` when it is transient.
 */
export function describePermanentFailure(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const { message } = error;
  const code = (error as NodeJS.ErrnoException).code;
  if (AUTH_REPLY.test(message)) {
    return `Redis refused the credentials (${message}); check the user name and password in the URL or redisOptions`;
  }
  if (PERMISSION_REPLY.test(message)) {
    return (
      `the Redis user lacks a permission the backend needs (${message}); grant it the commands, ` +
      "keys and channels listed in @alsek/redis's README (\"Least-privilege ACL user\")"
    );
  }
  if (code !== undefined && TLS_TRUST_CODES.has(code)) {
    return (
      `the server's TLS certificate was not accepted (${message}, ${code}); pass the CA that signed it in ` +
      "redisOptions.tls.ca (or fix the server's certificate and name)"
    );
  }
  if (code === "EPROTO" || /wrong version number|packet length too long/.test(message)) {
    return `the TLS handshake failed (${message}); if the port serves plain Redis, connect with redis:// instead of rediss://`;
  }
  return null;
}
