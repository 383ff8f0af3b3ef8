/**
 * The types a {@link Message} carries that are not persisted: what its task returns, the task's
 * parameters, and the result of its whole family (itself and its callback chain). They exist only
 * for the type checker (`Message` declares them as an optional, never-set `"~types"` field), so a
 * message read back from a backend, which nothing vouches for, has them all `unknown`.
 */
export interface MessageTypes<Result, Args extends readonly unknown[], Family> {
  /** What the message's task returns (awaited). */
  readonly result: Result;
  /** The task's parameter list (without a passed message). */
  readonly args: Args;
  /** Every result `descendants: true` may read: the message's own and its callbacks'. */
  readonly family: Family;
}

/** What the task of message `M` returns; `unknown` when `M` is untyped (read back, plain data). */
export type ResultOf<M> = M extends { readonly "~types"?: MessageTypes<infer R, readonly unknown[], unknown> } ? R : unknown;

/** The parameter list of the task of message `M`; `readonly unknown[]` when `M` is untyped. */
export type ArgsOf<M> = M extends { readonly "~types"?: MessageTypes<unknown, infer A, unknown> } ? A : readonly unknown[];

/**
 * Every result that `descendants: true` may read for message `M`: its own and those of its
 * callback chain (a trigger's fires share its task, so its own type covers them).
 */
export type FamilyResultOf<M> = M extends { readonly "~types"?: MessageTypes<unknown, readonly unknown[], infer F> }
  ? F
  : unknown;

/** The `previousResult` a callback message `M` expects (`unknown`: anything). */
export type PreviousResultOf<M> = M extends { previousResult: infer P } ? P : unknown;
