// A broker on the in-memory backend: the error cases never reach a backend.
import { Broker, MemoryBackend } from "@alsek/core";

export const broker = new Broker(new MemoryBackend());
export const otherBroker = new Broker(new MemoryBackend());
