import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';
import type { Constructor, FactoryContainer } from './container';

function needsInjection(token: Constructor<unknown>): boolean {
  const paramTypes: unknown = Reflect.getMetadata('design:paramtypes', token);
  return token.length > 0 || (Array.isArray(paramTypes) && paramTypes.length > 0);
}

/**
 * tsyringe behind the `Container` interface. `factory` is where the speed comes from: a class
 * that is not registered and has no constructor parameters is built with `new` directly,
 * which is exactly what tsyringe would do, without its per-call registry walk. Anything
 * registered (singletons, factories, scoped) or with dependencies goes through `resolve`.
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
    if (this.tsyringe.isRegistered(injectionToken, true) || needsInjection(token)) return () => this.tsyringe.resolve<T>(injectionToken);
    const Ctor = token as unknown as new () => T;
    return () => new Ctor();
  }
}

/** Wraps a raw tsyringe container so the mediators get the fast factory path. */
export function isTsyringeContainer(value: unknown): value is DependencyContainer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DependencyContainer).resolve === 'function' &&
    typeof (value as DependencyContainer).isRegistered === 'function' &&
    typeof (value as DependencyContainer).createChildContainer === 'function'
  );
}
