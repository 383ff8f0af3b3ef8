// The producer process: submits orders, prints the submitted messages' data as one JSON line (a
// web app would store the uuids instead), and exits. It runs no task itself.
import { backend } from "./backend.js";
import { priceOrder } from "./tasks.js";

const orders: [string, number, number][] = [
  ["A-100", 3, 25],
  ["A-101", 1, 990],
  ["A-102", 12, 4],
  ["A-103", 7, 15],
  ["A-104", 2, 60],
];
const messages = [];
for (const args of orders) messages.push(await priceOrder.generate({ args }));
process.stdout.write(`${JSON.stringify({ producer: process.pid, messages: messages.map((message) => message.data) })}\n`);
// Only this process's connection: the file stays for the pool and the reader.
await backend.close();
