// Dependency wiring shared by the examples.
import { container, type DependencyContainer } from 'tsyringe';
import { UserRepository } from './users';

/** A child of tsyringe's global container with one `UserRepository` for the whole example. */
export function usersContainer(): DependencyContainer {
  const child = container.createChildContainer();
  child.registerSingleton(UserRepository);
  return child;
}
