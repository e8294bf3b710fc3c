import { errorMessage } from '../errors/error-like';
import { ConsumerStateError } from '../errors/errors';
import type { Logger } from '../logging/logger';
import { onShutdownSignals, type SignalTarget } from './shutdown-signals';

/** Where a consumer stands: `idle` → `starting` → `running` → `stopping` → `stopped`. A stopped consumer does not start again. */
export type ConsumerState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** What a transport does when its consumer starts and stops. */
export interface LifecycleHooks {
  /** Connects and starts delivering; a rejection stops the consumer and reaches `start()`'s caller. */
  open(): Promise<void>;
  /** Stops taking messages, lets those in flight finish (or returns them), and disconnects. */
  close(): Promise<void>;
}

/** Options of `ConsumerLifecycle`. */
export interface ConsumerLifecycleOptions {
  /** Names the consumer in errors and logs, e.g. `Kafka consumer`. */
  readonly name: string;
  readonly logger: Logger;
  /** Stop gracefully on SIGTERM and SIGINT. */
  readonly handleSignals: boolean;
  /** Where signals come from; `process` unless a test says otherwise. */
  readonly signalTarget?: SignalTarget;
}

/**
 * The one lifecycle of every consumer: `subscribe()` only before `start()`, `start()` once,
 * `stop()` any number of times, `run()` = start and wait for the stop. Misuse throws
 * `ConsumerStateError` on every transport. A transport reports an unrecoverable failure with
 * `fail()`: the consumer stops and `run()` rejects with that error.
 */
export class ConsumerLifecycle {
  readonly #options: ConsumerLifecycleOptions;
  readonly #hooks: LifecycleHooks;
  #state: ConsumerState = 'idle';
  #stopping: Promise<void> | undefined;
  #failure: Error | undefined;
  #removeSignals: (() => void) | undefined;
  #resolveStopped!: () => void;
  readonly #stopped = new Promise<void>((resolve) => (this.#resolveStopped = resolve));

  constructor(options: ConsumerLifecycleOptions, hooks: LifecycleHooks) {
    this.#options = options;
    this.#hooks = hooks;
  }

  /** The current state. */
  get state(): ConsumerState {
    return this.#state;
  }

  /** True between a successful `start()` and `stop()`. */
  get running(): boolean {
    return this.#state === 'running';
  }

  /** True while starting or running: the transport keeps delivering. */
  get active(): boolean {
    return this.#state === 'starting' || this.#state === 'running';
  }

  /** Throws `ConsumerStateError` unless the consumer has not started yet. */
  assertCanSubscribe(): void {
    if (this.#state !== 'idle') throw new ConsumerStateError(`subscribe() must be called before start(); the ${this.#options.name} is ${this.#state}`);
  }

  /** Runs the transport's `open`; throws `ConsumerStateError` when already started or stopped. */
  async start(): Promise<void> {
    if (this.#state === 'starting' || this.#state === 'running') throw new ConsumerStateError(`start() was already called on this ${this.#options.name}`);
    if (this.#state !== 'idle') throw new ConsumerStateError(`the ${this.#options.name} was stopped and does not start again; create a new one`);
    this.#state = 'starting';
    try {
      await this.#hooks.open();
    } catch (error) {
      this.#state = 'stopped';
      this.#resolveStopped();
      throw error;
    }
    // stop() during open: it has closed what open built.
    if (this.#current() !== 'starting') return;
    this.#state = 'running';
    if (this.#options.handleSignals) {
      this.#removeSignals = onShutdownSignals(() => this.stop(), this.#options.logger, this.#options.signalTarget === undefined ? {} : { target: this.#options.signalTarget });
    }
  }

  /** Stops once (later calls return the same promise): runs the transport's `close` if it had started. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /** Starts, then resolves when the consumer stopped (by `stop()` or a signal); rejects with what `fail()` reported. */
  async run(): Promise<void> {
    await this.start();
    await this.#stopped;
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** The transport gave up (a crashed client): stop, and make `run()` reject with `error`. */
  fail(error: Error): void {
    this.#failure ??= error;
    this.stop().catch((stopError: unknown) => this.#options.logger.error(`cleaning up the failed ${this.#options.name} failed`, { error: errorMessage(stopError) }));
  }

  async #stop(): Promise<void> {
    this.#removeSignals?.();
    this.#removeSignals = undefined;
    const wasOpen = this.active;
    this.#state = wasOpen ? 'stopping' : 'stopped';
    try {
      if (wasOpen) await this.#hooks.close();
    } finally {
      this.#state = 'stopped';
      this.#resolveStopped();
    }
  }

  /** The state, read through a call so TypeScript does not narrow it across awaits. */
  #current(): ConsumerState {
    return this.#state;
  }
}
