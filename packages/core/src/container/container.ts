/** A class the container can build. */
export type Constructor<T> = new (...args: never[]) => T;

/**
 * The dependency-injection surface the mediators need. A tsyringe `DependencyContainer`
 * satisfies it as it is; wrap any other container in an object with `resolve`.
 */
export interface Container {
  resolve<T>(token: Constructor<T>): T;
}

/** A container that can hand out a prepared factory, so each send skips the lookup work. */
export interface FactoryContainer extends Container {
  factory<T>(token: Constructor<T>): () => T;
}

/** The fastest way this container offers to build `token` again and again. */
export function factoryOf<T>(container: Container, token: Constructor<T>): () => T {
  if (typeof (container as Partial<FactoryContainer>).factory === 'function') return (container as FactoryContainer).factory(token);
  return () => container.resolve(token);
}
