import { container as globalContainer, inject, injectable, singleton } from 'tsyringe';
import {
  Request,
  TsyringeContainer,
  bootstrap,
  isTsyringeContainer,
  silentLogger,
  type Constructor,
  type Container,
  type FactoryContainer,
  type RequestHandler,
} from '@cqrs/core';
import { factoryOf } from '@cqrs/core/transport';

class SaveUser extends Request<string> {
  constructor(readonly name: string) {
    super();
  }
}

/** A dependency the handler gets through its constructor. */
@injectable()
class UserRepository {
  readonly saved: string[] = [];
  save(name: string): void {
    this.saved.push(name);
  }
}

describe('tsyringe (the default container)', () => {
  test('a handler gets its constructor dependency injected', async () => {
    @injectable()
    class SaveUserHandler implements RequestHandler<SaveUser> {
      constructor(private readonly users: UserRepository) {}
      handle(request: SaveUser): string {
        this.users.save(request.name);
        return `saved ${request.name}`;
      }
    }
    const child = globalContainer.createChildContainer();
    const repository = new UserRepository();
    child.registerInstance(UserRepository, repository);
    const mediator = bootstrap({ container: child, commandsMapper: (m) => m.bind(SaveUser, SaveUserHandler), logger: silentLogger });
    expect(await mediator.send(new SaveUser('ada'))).toBe('saved ada');
    expect(await mediator.send(new SaveUser('bob'))).toBe('saved bob');
    expect(repository.saved).toEqual(['ada', 'bob']);
  });

  test('a token dependency registered with @inject is resolved', async () => {
    @injectable()
    class GreetingHandler implements RequestHandler<SaveUser> {
      constructor(@inject('greeting') private readonly greeting: string) {}
      handle(request: SaveUser): string {
        return `${this.greeting} ${request.name}`;
      }
    }
    const tsyringe = new TsyringeContainer();
    tsyringe.tsyringe.register('greeting', { useValue: 'hello' });
    const mediator = bootstrap({ container: tsyringe, commandsMapper: (m) => m.bind(SaveUser, GreetingHandler), logger: silentLogger });
    expect(await mediator.send(new SaveUser('ada'))).toBe('hello ada');
  });

  test('a handler registered as a singleton is resolved through the container on every send', async () => {
    let built = 0;
    class SingletonHandler implements RequestHandler<SaveUser> {
      readonly id = ++built;
      handle(): string {
        return `instance ${this.id}`;
      }
    }
    const tsyringe = new TsyringeContainer();
    tsyringe.tsyringe.registerSingleton(SingletonHandler);
    const resolve = jest.spyOn(tsyringe.tsyringe, 'resolve');
    const mediator = bootstrap({ container: tsyringe, commandsMapper: (m) => m.bind(SaveUser, SingletonHandler), logger: silentLogger });
    expect(await mediator.send(new SaveUser('a'))).toBe('instance 1');
    expect(await mediator.send(new SaveUser('b'))).toBe('instance 1');
    expect(resolve).toHaveBeenCalledTimes(2);
    expect(built).toBe(1);
  });

  test('@singleton() handlers (registered in the global container) are shared too', async () => {
    let built = 0;
    @singleton()
    class GlobalSingletonHandler implements RequestHandler<SaveUser> {
      readonly id = ++built;
      handle(): string {
        return `instance ${this.id}`;
      }
    }
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(SaveUser, GlobalSingletonHandler), logger: silentLogger });
    await mediator.send(new SaveUser('a'));
    await mediator.send(new SaveUser('b'));
    expect(built).toBe(1);
  });

  test('an unregistered handler without dependencies is built fresh per send, without resolve', async () => {
    const instances = new Set<object>();
    class FreshHandler implements RequestHandler<SaveUser> {
      handle(): string {
        instances.add(this);
        return 'ok';
      }
    }
    const tsyringe = new TsyringeContainer();
    const resolve = jest.spyOn(tsyringe.tsyringe, 'resolve');
    const mediator = bootstrap({ container: tsyringe, commandsMapper: (m) => m.bind(SaveUser, FreshHandler), logger: silentLogger });
    await mediator.send(new SaveUser('a'));
    await mediator.send(new SaveUser('b'));
    expect(instances.size).toBe(2);
    expect(resolve).not.toHaveBeenCalled();
  });

  test('disposable handlers and handlers with resolution interceptors keep going through resolve', () => {
    class DisposableHandler {
      dispose(): void {}
    }
    class InterceptedHandler {}
    const tsyringe = new TsyringeContainer();
    const seen: string[] = [];
    tsyringe.tsyringe.afterResolution(InterceptedHandler, () => seen.push('intercepted'));
    const resolve = jest.spyOn(tsyringe.tsyringe, 'resolve');
    tsyringe.factory(DisposableHandler)();
    tsyringe.factory(InterceptedHandler)();
    expect(resolve).toHaveBeenCalledTimes(2);
    expect(seen).toEqual(['intercepted']);
  });

  test('a raw tsyringe container is recognised and wrapped', () => {
    expect(isTsyringeContainer(globalContainer)).toBe(true);
    expect(isTsyringeContainer({ resolve: () => undefined })).toBe(false);
    expect(isTsyringeContainer(null)).toBe(false);
  });

  test('tsyringe errors reach the caller (a dependency it cannot build)', async () => {
    class Unresolvable {
      constructor(readonly value: string) {}
    }
    @injectable()
    class NeedsUnresolvable implements RequestHandler<SaveUser> {
      constructor(private readonly dep: Unresolvable) {}
      handle(): string {
        return this.dep.value;
      }
    }
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(SaveUser, NeedsUnresolvable), logger: silentLogger });
    await expect(mediator.send(new SaveUser('a'))).rejects.toThrow(/Unresolvable/);
  });
});

describe('any Container implementation', () => {
  test('a container with only resolve() builds every handler', async () => {
    const repository = new UserRepository();
    const resolved: string[] = [];
    class HandWired implements Container {
      resolve<T>(token: Constructor<T>): T {
        resolved.push(token.name);
        if (token === (SaveUserHandler as Constructor<unknown>)) return new SaveUserHandler(repository) as T;
        throw new Error(`unknown ${token.name}`);
      }
    }
    class SaveUserHandler implements RequestHandler<SaveUser> {
      constructor(private readonly users: UserRepository) {}
      handle(request: SaveUser): string {
        this.users.save(request.name);
        return 'done';
      }
    }
    const mediator = bootstrap({ container: new HandWired(), commandsMapper: (m) => m.bind(SaveUser, SaveUserHandler), logger: silentLogger });
    expect(await mediator.send(new SaveUser('x'))).toBe('done');
    expect(await mediator.send(new SaveUser('y'))).toBe('done');
    expect(resolved).toEqual(['SaveUserHandler', 'SaveUserHandler']);
    expect(repository.saved).toEqual(['x', 'y']);
  });

  test('a container offering factory() has it prepared once per handler class', async () => {
    const prepared: string[] = [];
    class Handler implements RequestHandler<SaveUser> {
      handle(request: SaveUser): string {
        return request.name;
      }
    }
    const fast: FactoryContainer = {
      resolve: () => {
        throw new Error('resolve should not be used when factory exists');
      },
      factory: <T>(token: Constructor<T>) => {
        prepared.push(token.name);
        return () => new (token as unknown as new () => T)();
      },
    };
    const mediator = bootstrap({ container: fast, commandsMapper: (m) => m.bind(SaveUser, Handler), logger: silentLogger });
    expect(await mediator.send(new SaveUser('1'))).toBe('1');
    expect(await mediator.send(new SaveUser('2'))).toBe('2');
    expect(prepared).toEqual(['Handler']);
  });

  test('factoryOf falls back to resolve', () => {
    const calls: string[] = [];
    const plain: Container = {
      resolve: <T>(token: Constructor<T>): T => {
        calls.push(token.name);
        return {} as T;
      },
    };
    class Thing {}
    const make = factoryOf(plain, Thing);
    make();
    make();
    expect(calls).toEqual(['Thing', 'Thing']);
  });
});
