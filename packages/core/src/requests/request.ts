/**
 * A command or a query. `TResult` is what its handler returns, so `mediator.send(request)` is
 * typed without casts:
 *
 * ```ts
 * class GetUser extends Request<User> { constructor(readonly id: string) { super(); } }
 * const user = await mediator.send(new GetUser('42')); // User
 * ```
 */
export abstract class Request<TResult = void> {
  /**
   * Carries the result type for the compiler only; never set at runtime. A function type, not
   * `TResult` itself: inferring from an optional `TResult` property would drop `undefined` from
   * results such as `User | undefined`.
   */
  declare readonly __result?: () => TResult;
}

/** The result type of a request class's handler. */
export type ResultOf<R> = R extends Request<infer T> ? T : never;

/** A request class (the key it is bound under). */
export type RequestClass<R extends Request<unknown> = Request<unknown>> = abstract new (...args: never[]) => R;
