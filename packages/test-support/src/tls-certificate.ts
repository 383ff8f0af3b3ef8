import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Files and PEM text of a self-signed certificate for 127.0.0.1 / localhost. */
export interface TlsCertificate {
  certFile: string;
  keyFile: string;
  /** PEM of the certificate; pass it as `ca` to clients (it signs itself). */
  ca: string;
}

/**
 * Generate a throwaway self-signed certificate valid for `127.0.0.1` and `localhost` in `dir`
 * with the `openssl` binary.
 */
export async function generateTlsCertificate(dir: string): Promise<TlsCertificate> {
  const certFile = join(dir, "redis.crt");
  const keyFile = join(dir, "redis.key");
  try {
    await run("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
      "-subj", "/CN=localhost",
      "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout", keyFile, "-out", certFile,
    ]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new Error("openssl not found on PATH; install it (apt-get install -y openssl) to run TLS tests", {
        cause: error,
      });
    }
    throw new Error(`openssl could not generate a test certificate: ${(error as Error).message}`, { cause: error });
  }
  return { certFile, keyFile, ca: await readFile(certFile, "utf8") };
}
