/**
 * Defers creating a client until first use: `new RedisBackend(new LazyClient(() => new Redis()))`
 * connects only when the backend is first used. `get()` calls the factory once and memoises it.
 */
export class LazyClient<T> {
  readonly #factory: () => T;
  #client: { value: T } | null = null;

  constructor(factory: () => T) {
    this.#factory = factory;
  }

  /** Whether the factory has run. */
  get resolved(): boolean {
    return this.#client !== null;
  }

  /** The client, created on the first call. */
  get(): T {
    this.#client ??= { value: this.#factory() };
    return this.#client.value;
  }
}
