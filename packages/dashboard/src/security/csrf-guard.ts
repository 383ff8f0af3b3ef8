import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const COOKIE = "alsek_csrf";

/**
 * CSRF protection for the dashboard's POST actions: a random id in a `SameSite=Strict`, HttpOnly
 * cookie, and in every form an HMAC of that id under a per-dashboard key. A forged form from
 * another site cannot read the cookie, and a cookie planted by a sibling domain carries no valid
 * HMAC.
 */
export class CsrfGuard {
  #secret: Buffer;
  #cookiePath: string;

  constructor(secret: string | undefined, cookiePath: string) {
    this.#secret = secret === undefined ? randomBytes(32) : Buffer.from(secret, "utf8");
    this.#cookiePath = cookiePath === "" ? "/" : cookiePath;
  }

  /**
   * The form token for this request, and the `Set-Cookie` header to send when the request carried
   * no id yet.
   */
  issue(request: Request): { token: string; setCookie: string | null } {
    const existing = readCookie(request, COOKIE);
    const id = existing !== null && /^[A-Za-z0-9_-]{20,64}$/.test(existing) ? existing : null;
    const fresh = id ?? randomBytes(24).toString("base64url");
    const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
    const setCookie = id === null ? `${COOKIE}=${fresh}; Path=${this.#cookiePath}; HttpOnly; SameSite=Strict${secure}` : null;
    return { token: this.#sign(fresh), setCookie };
  }

  /** Whether `token` (from the submitted form) matches the request's cookie. */
  verify(request: Request, token: string | null): boolean {
    const id = readCookie(request, COOKIE);
    if (id === null || token === null) return false;
    const expected = Buffer.from(this.#sign(id));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  #sign(id: string): string {
    return createHmac("sha256", this.#secret).update(id).digest("base64url");
  }
}

function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (header === null) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
