import type { ConsumerConfig, ConsumerRunConfig, EachBatchPayload, KafkaConfig, KafkaMessage, Offsets, ProducerBatch, ProducerConfig, RecordMetadata } from 'kafkajs';
import type { ConsumerLike, ProducerLike } from '@cqrs/kafka';
import type { BatchPayload } from '../src/consumer/process-batch';

/** A kafkajs-shaped producer that records what it was asked to do. */
export class FakeProducer implements ProducerLike {
  readonly batches: ProducerBatch[] = [];
  connects = 0;
  disconnects = 0;
  failConnects = 0;
  failSends: Error | undefined;
  config: { kafka: KafkaConfig; producer: ProducerConfig } | undefined;

  async connect(): Promise<void> {
    this.connects += 1;
    if (this.failConnects > 0) {
      this.failConnects -= 1;
      const error = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'), { name: 'KafkaJSConnectionError', code: 'ECONNREFUSED' });
      throw Object.assign(new Error(error.message), { name: 'KafkaJSNumberOfRetriesExceeded', retryCount: 2, cause: error });
    }
  }

  async disconnect(): Promise<void> {
    this.disconnects += 1;
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    if (this.failSends !== undefined) throw this.failSends;
    this.batches.push(batch);
    return [];
  }

  /** The records sent so far, flattened. */
  get sent(): { topic: string; key: unknown; value: Buffer | string | null; headers: Record<string, unknown> }[] {
    return this.batches.flatMap((batch) =>
      (batch.topicMessages ?? []).flatMap(({ topic, messages }) => messages.map((m) => ({ topic, key: m.key, value: m.value, headers: { ...m.headers } }))),
    );
  }
}

/** A kafkajs record at `offset` with a UTF-8 value. */
export function record(offset: number, value: string | null, headers: Record<string, string> = {}, key: string | null = null): KafkaMessage {
  return {
    offset: String(offset),
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    timestamp: '0',
    attributes: 0,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

/** An `eachBatch` payload for one partition that records resolves, commits and heartbeats. */
export class FakeBatch implements BatchPayload {
  readonly batch: BatchPayload['batch'];
  readonly resolved: string[] = [];
  readonly commits: string[] = [];
  heartbeats = 0;
  running = true;
  stale = false;
  heartbeatError: Error | undefined;
  failCommits = false;

  constructor(messages: KafkaMessage[], topic = 'users', partition = 0) {
    this.batch = { topic, partition, messages };
  }

  resolveOffset = (offset: string): void => {
    this.resolved.push(offset);
  };

  heartbeat = async (): Promise<void> => {
    this.heartbeats += 1;
    if (this.heartbeatError !== undefined) throw this.heartbeatError;
  };

  commitOffsetsIfNecessary = async (offsets?: Offsets): Promise<void> => {
    if (this.failCommits) throw new Error('commit refused');
    for (const topic of offsets?.topics ?? []) for (const p of topic.partitions) this.commits.push(p.offset);
  };

  isRunning = (): boolean => this.running;
  isStale = (): boolean => this.stale;

  /** The last committed offset, if any. */
  get lastCommit(): string | undefined {
    return this.commits[this.commits.length - 1];
  }
}

/** Casts a fake batch to the kafkajs payload type `eachBatch` receives. */
export function asPayload(batch: FakeBatch): EachBatchPayload {
  return batch as unknown as EachBatchPayload;
}

/** A kafkajs-shaped consumer: `deliver()` plays a batch through the `eachBatch` given to `run()`. */
export class FakeConsumer {
  readonly events = { CRASH: 'consumer.crash' } as ConsumerLike['events'];
  readonly subscriptions: { topics: (string | RegExp)[]; fromBeginning?: boolean }[] = [];
  runConfig: ConsumerRunConfig | undefined;
  config: { kafka: KafkaConfig; consumer: ConsumerConfig } | undefined;
  connected = false;
  disconnects = 0;
  running = false;
  failConnect: Error | undefined;
  crashListener: ((event: { payload: { error: Error; restart: boolean } }) => void) | undefined;
  /** Restarts kafkajs ran after a crash (its timer fired). */
  restarts = 0;
  /** Held open while set: `disconnect()` waits for it, as kafkajs does for a slow leave during an outage. */
  disconnectGate: Promise<void> | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  #restartTimer: NodeJS.Timeout | undefined;

  connect = async (): Promise<void> => {
    if (this.failConnect !== undefined) throw this.failConnect;
    this.connected = true;
  };

  subscribe = async (subscription: { topics: (string | RegExp)[]; fromBeginning?: boolean }): Promise<void> => {
    this.subscriptions.push(subscription);
  };

  run = async (config?: ConsumerRunConfig): Promise<void> => {
    this.runConfig = config;
    this.running = true;
  };

  // Like kafkajs: stop fetching, wait for the batch in flight, leave.
  disconnect = async (): Promise<void> => {
    this.running = false;
    // kafkajs' stop() clears the restart it scheduled.
    clearTimeout(this.#restartTimer);
    await this.disconnectGate;
    await this.#inFlight.catch(() => undefined);
    this.disconnects += 1;
    this.connected = false;
  };

  on = ((_event: string, listener: (event: { payload: { error: Error; restart: boolean } }) => void) => {
    this.crashListener = listener;
    return () => undefined;
  }) as unknown as ConsumerLike['on'];

  /**
   * Crashes like kafkajs' runner: disconnects, asks `retry.restartOnFailure` (after the
   * disconnect, as kafkajs does), reports CRASH, and schedules the restart in `restartInMs`.
   */
  async crash(error: Error, restartInMs = 10): Promise<void> {
    this.running = false;
    this.connected = false;
    const restartOnFailure = this.config?.consumer.retry?.restartOnFailure;
    const restart = restartOnFailure === undefined ? true : await restartOnFailure(error);
    this.crashListener?.({ payload: { error, restart } });
    if (restart) {
      this.#restartTimer = setTimeout(() => {
        this.restarts += 1;
        this.connected = true;
        this.running = true;
      }, restartInMs);
    }
  }

  /** Plays one batch; resolves when `eachBatch` is done. */
  deliver(batch: FakeBatch): Promise<void> {
    batch.isRunning = () => this.running && batch.running;
    const eachBatch = this.runConfig?.eachBatch;
    if (eachBatch === undefined) throw new Error('run() was not called with eachBatch');
    this.#inFlight = eachBatch(asPayload(batch));
    return this.#inFlight;
  }
}
