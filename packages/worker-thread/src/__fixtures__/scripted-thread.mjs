// A stand-in for thread-entry.js that speaks the same protocol, for ThreadHost tests that need a
// precise interleaving of the thread's batches and the host's messages. The test drives it over a
// BroadcastChannel (named by the thread's SCRIPTED_THREAD_CHANNEL environment variable):
//   { send: batch }  post this batch to the host as if the thread had sent it (the standbys it
//                    names as promoted leave the thread's queue);
//   { process: n }   handle the next n messages the host sent, in order, as thread-entry.js does
//                    (a `start` grants queued standbys; granted ones finish at once, reported in
//                    the next batch);
//   { auto: true }   handle every message as it arrives from now on.
// Each message from the host is announced on the channel ({ received: message }).
import { BroadcastChannel, parentPort } from "node:worker_threads";

const channel = new BroadcastChannel(process.env.SCRIPTED_THREAD_CHANNEL);
const inbox = [];
const standbys = [];
let auto = false;

function post(batch) {
  parentPort.postMessage({ type: "batch", started: [], outcomes: [], ...batch });
}

function handle(message) {
  if (message.type === "preload") post({ loaded: [...message.moduleUrls] });
  else if (message.type === "run") standbys.push(...(message.standby ?? []));
  else if (message.type === "start") {
    const granted = standbys.splice(0, message.count);
    post({ granted: { offered: message.count, ids: granted.map(({ id }) => id) } });
    if (granted.length > 0) {
      post({
        outcomes: granted.map(({ id }) => ({ id, outcome: { ok: true, result: id } })),
        unfilled: granted.length,
      });
    }
  }
}

parentPort.on("message", (message) => {
  channel.postMessage({ received: message });
  if (auto || message.type === "preload") handle(message);
  else inbox.push(message);
});

channel.onmessage = ({ data }) => {
  if (data.send) {
    for (const id of data.send.promoted ?? [])
      standbys.splice(
        standbys.findIndex((standby) => standby.id === id),
        1,
      );
    post(data.send);
  }
  if (data.process) for (const message of inbox.splice(0, data.process)) handle(message);
  if (data.auto) {
    auto = true;
    for (const message of inbox.splice(0)) handle(message);
  }
};
