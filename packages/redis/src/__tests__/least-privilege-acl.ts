// The least-privilege ACL line of the README, so tests run as exactly the user it documents.
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";

const README = new URL("../../README.md", import.meta.url);

/** The `ACL SETUSER ...` line of the README's "Least-privilege ACL user" section. */
export function readmeAclLine(): string {
  const match = /```acl\n(ACL SETUSER [^\n]+)\n```/.exec(readFileSync(README, "utf8"));
  if (!match) throw new Error("packages/redis/README.md has no ```acl block with an ACL SETUSER line.");
  return match[1]!;
}

/**
 * Create the README's user on `admin`'s server with `password` (the README says `CHANGE-ME`).
 * Returns its user name.
 */
export async function createLeastPrivilegeUser(admin: Redis, password: string): Promise<string> {
  const [, , ...rules] = readmeAclLine().split(/\s+/);
  const user = rules.shift()!;
  await admin.call("ACL", "SETUSER", user, ...rules.map((rule) => (rule === ">CHANGE-ME" ? `>${password}` : rule)));
  return user;
}
