import type { FamilyResultOf, ResultOf } from "@alsek/core";
import type { ResultRecord } from "./result-record.js";

/** The value of option `K` in options type `O` (`undefined` when `O` does not have it). */
type FlagOf<O, K extends string> = K extends keyof O ? O[K] : undefined;

/** `Yes` when flag `V` is `true`, `No` when it is `false` or absent, either when it may be both. */
type Either<V, Yes, No> = [V] extends [true] ? Yes : [V] extends [false | undefined] ? No : Yes | No;

/**
 * What reading message `M`'s result with options `O` gives: its result (typed by the task that
 * generated `M`; `unknown` for an untyped message), an array of its family's results with
 * `descendants: true`, as `ResultRecord`s with `withMetadata: true`. A flag that is only known
 * to be a `boolean` gives the union of both shapes.
 */
export type ResultShape<M, O> = Either<
  FlagOf<O, "descendants">,
  Either<FlagOf<O, "withMetadata">, ResultRecord<FamilyResultOf<M>>[], FamilyResultOf<M>[]>,
  Either<FlagOf<O, "withMetadata">, ResultRecord<ResultOf<M>>, ResultOf<M>>
>;

/**
 * What `ResultPool` yields for messages `M` read with options `O`: each message paired with its
 * own result type (a union of pairs when `M` is a union, e.g. a mixed array or tuple).
 */
export type ResultPair<M, O> = M extends unknown ? [M, ResultShape<M, O>] : never;
