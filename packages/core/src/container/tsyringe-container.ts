import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';
import type { Constructor, FactoryContainer } from './container';

/** True when tsyringe would have to inject constructor arguments. */
function needsInjection(token: Constructor<unknown>): boolean {
  const paramTypes: unknown = Reflect.getMetadata('design:paramtypes', token);
  return token.length > 0 || (Array.isArray(paramTypes) && paramTypes.length > 0);
}

/** tsyringe tracks instances with a `dispose()` method so `container.dispose()` can call it. */
function isDisposableClass(token: Constructor<unknown>): boolean {
  return typeof (token.prototype as { dispose?: unknown } | undefined)?.dispose === 'function';
}

interface InterceptorRegistry {
  has(token: unknown): boolean;
}

/** `beforeResolution` / `afterResolution` hooks on `token`; tsyringe keeps them in a field it does not export. */
function hasInterceptors(container: DependencyContainer, token: unknown): boolean {
  const interceptors = (container as { interceptors?: { preResolution?: InterceptorRegistry; postResolution?: InterceptorRegistry } }).interceptors;
  return interceptors?.preResolution?.has(token) === true || interceptors?.postResolution?.has(token) === true;
}

/**
 * tsyringe behind the `Container` interface. `factory` is where the speed comes from: a class
 * that is not registered, has no constructor parameters, no `dispose()` and no resolution
 * interceptors is built with `new` directly, which is exactly what tsyringe would do, without
 * its per-call registry walk. Anything else (singletons, factories, scoped, classes with
 * dependencies) goes through `resolve` on every call. The choice is made when the factory is
 * prepared (the first `send` of a request class), so register handlers before that.
 */
export class TsyringeContainer implements FactoryContainer {
  /** The wrapped tsyringe container, for registering dependencies. */
  readonly tsyringe: DependencyContainer;

  constructor(tsyringe: DependencyContainer = rootContainer.createChildContainer()) {
    this.tsyringe = tsyringe;
  }

  resolve<T>(token: Constructor<T>): T {
    return this.tsyringe.resolve<T>(token as InjectionToken<T>);
  }

  factory<T>(token: Constructor<T>): () => T {
    const injectionToken = token as InjectionToken<T>;
    const tsyringe = this.tsyringe;
    if (tsyringe.isRegistered(injectionToken, true) || needsInjection(token) || isDisposableClass(token) || hasInterceptors(tsyringe, token)) {
      return () => tsyringe.resolve<T>(injectionToken);
    }
    const Ctor = token as unknown as new () => T;
    return () => new Ctor();
  }
}

/** True for a tsyringe `DependencyContainer` (duck-typed, so any copy of tsyringe counts). */
export function isTsyringeContainer(value: unknown): value is DependencyContainer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DependencyContainer).resolve === 'function' &&
    typeof (value as DependencyContainer).isRegistered === 'function' &&
    typeof (value as DependencyContainer).createChildContainer === 'function'
  );
}
