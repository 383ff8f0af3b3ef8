import type { Backend } from "@alsek/core";

/**
 * `backend` as seen from a process its notices never reach: publishing goes nowhere and
 * subscribing fails, so the dashboard can only poll. Everything else is the real backend.
 */
export function deafBackend(backend: Backend): Backend {
  return new Proxy(backend, {
    get(target, property, receiver) {
      if (property === "supportsPubSub") return false;
      if (property === "publish") return async () => undefined;
      if (property === "subscribe") return async () => Promise.reject(new Error("no pub/sub here"));
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
