// The files of the apps that published-tarballs.test.ts installs from the packed tarballs, written
// as a user would write them. Producer and workers define the same task names and queues.
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

const PRODUCER = `import { Broker, task, type MessageRef, type ResultOf } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";

const [queue = "thread_sums", countText = "1"] = process.argv.slice(2);
const backend = new RedisBackend(process.env.REDIS_URL, { namespace: "published" });
const broker = new Broker(backend);
const threadSum = task(broker, { queue: "thread_sums", mechanism: "thread" }, function threadSum(a: number, b: number): number {
  return a + b;
});
const processSum = task(broker, { queue: "process_sums", mechanism: "process" }, function processSum(a: number, b: number): number {
  return a + b;
});
const target = queue === "process_sums" ? processSum : threadSum;
const sent: MessageRef[] = [];
for (let i = 0; i < Number(countText); i += 1) {
  const message = await target.generate({ args: [i, i] });
  // Typed with the task's result by the published declarations (unknown would not compile).
  const typed: ResultOf<typeof message> extends number ? true : never = true;
  void typed;
  sent.push({ queue: message.queue, uuid: message.uuid });
}
await backend.close();
console.log(JSON.stringify(sent));
`;

const PRODUCER_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    types: ["node"],
    // Node's types come from the workspace: the app itself installs only Alsek.
    typeRoots: [`${ROOT}node_modules/@types`],
    rootDir: ".",
    outDir: ".",
  },
  files: ["produce.ts", "untyped-modules.d.ts"],
};

// skipLibCheck is off so that Alsek's own declarations are checked too; ioredis 6's declarations
// import \`redis-errors\`, which ships no types (not Alsek's to fix).
const UNTYPED_MODULES = `declare module "redis-errors";\n`;

const TASKS = `import { appendFileSync } from "node:fs";
import { Broker, task } from "@alsek/core";
import { RedisBackend } from "@alsek/redis";
import { ResultStore } from "@alsek/results";

const backend = new RedisBackend(process.env.REDIS_URL, { namespace: "published" });
const broker = new Broker(backend);
const resultStore = new ResultStore(backend);
const done = new URL("./done.log", import.meta.url);

export const threadSum = task(broker, { queue: "thread_sums", mechanism: "thread", resultStore }, function threadSum(a: number, b: number) {
  appendFileSync(done, \`\${a + b}\\n\`);
  return a + b;
});

export const processSum = task(
  broker,
  { queue: "process_sums", mechanism: "process", resultStore },
  async function processSum(a: number, b: number) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    appendFileSync(done, \`\${a + b}\\n\`);
    return a + b;
  },
);
`;

const READER = `import { readFileSync } from "node:fs";
import { RedisBackend } from "@alsek/redis";
import { ResultPool, ResultStore } from "@alsek/results";

const messages = JSON.parse(readFileSync("messages.json", "utf8"));
const backend = new RedisBackend(process.env.REDIS_URL, { namespace: "published" });
const results = [];
for await (const [, result] of new ResultPool(new ResultStore(backend)).stream(messages, { signal: AbortSignal.timeout(60_000) })) {
  results.push(result);
}
await backend.close();
console.log(JSON.stringify({ results }));
`;

/** File name → text, per app. */
export function appFiles(): Record<"producer" | "workers" | "reader", Record<string, string>> {
  return {
    producer: { "produce.ts": PRODUCER, "untyped-modules.d.ts": UNTYPED_MODULES, "tsconfig.json": JSON.stringify(PRODUCER_TSCONFIG, null, 2) },
    workers: { "tasks.ts": TASKS },
    reader: { "read.js": READER },
  };
}
