import type * as OpenTelemetryApi from "@opentelemetry/api";

/** The `@opentelemetry/api` module, as Alsek uses it. */
export type OpenTelemetryModule = typeof OpenTelemetryApi;

/** What Alsek traces with: the OpenTelemetry API and the global provider's tracer named `"alsek"`. */
export interface Tracing {
  readonly api: OpenTelemetryModule;
  readonly tracer: OpenTelemetryApi.Tracer;
}

/**
 * The peer's name in a variable: a bundler (esbuild, webpack...) then leaves the `import()` to run
 * time instead of failing the build of an app that does not install the optional peer.
 */
const OPEN_TELEMETRY_API = "@opentelemetry/api";

function importOpenTelemetry(): Promise<OpenTelemetryModule> {
  return import(OPEN_TELEMETRY_API) as Promise<OpenTelemetryModule>;
}

let loading: Promise<Tracing | null> | null = null;
let loaded: Tracing | null | undefined;

/**
 * The OpenTelemetry API when the optional peer `@opentelemetry/api` is installed, else `null`;
 * imported once per process (dynamic import: nothing is loaded when it is absent). With the API
 * but no SDK registered, every span is a no-op one and nothing is written to messages.
 * `importApi` replaces the import (tests).
 */
export function loadTracing(
  importApi: () => Promise<OpenTelemetryModule> = importOpenTelemetry,
): Promise<Tracing | null> {
  loading ??= importApi().then(
    (api) =>
      (loaded = {
        api,
        // Asked for at each use: a provider registered (or disabled) later is the one used.
        get tracer() {
          return api.trace.getTracer("alsek");
        },
      }),
    () => (loaded = null),
  );
  return loading;
}

/** What {@link loadTracing} found, synchronously: `null` when absent or not loaded yet. */
export function tracingNow(): Tracing | null {
  return loaded ?? null;
}

/** Whether {@link loadTracing} has settled (its answer is then {@link tracingNow}). */
export function tracingSettled(): boolean {
  return loaded !== undefined;
}

/** Forget what {@link loadTracing} found (tests). */
export function resetTracing(): void {
  loading = null;
  loaded = undefined;
}
