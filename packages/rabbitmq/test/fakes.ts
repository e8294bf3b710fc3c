import { EventEmitter } from 'node:events';
import type { ChannelModel, ConsumeMessage } from 'amqplib';
import type { AMQPConnect } from '@cqrs/rabbitmq';

/** One publish a fake channel saw. */
export interface FakePublish {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Record<string, unknown>;
}

/** How a fake confirm channel answers publishes. */
export type ConfirmMode = 'ack' | 'nack' | 'never' | 'close';

/** A confirm channel in memory: records publishes, acks or nacks them, can be closed like the broker would. */
export class FakeChannel extends EventEmitter {
  readonly published: FakePublish[] = [];
  readonly acked: number[] = [];
  readonly nacked: { tag: number; requeue: boolean }[] = [];
  readonly declared: string[] = [];
  confirm: ConfirmMode = 'ack';
  /** Routing keys no queue is bound for: a mandatory publish to one is returned before its ack. */
  unroutable = new Set<string>();
  closed = false;
  #pending: ((error: Error | null) => void)[] = [];
  readonly #alternates = new Set<string>();
  onConsume: ((message: ConsumeMessage | null) => void) | undefined;

  publish(exchange: string, routingKey: string, content: Buffer, options: Record<string, unknown>, callback?: (error: Error | null) => void): boolean {
    if (this.closed) throw new Error('Channel closed');
    this.published.push({ exchange, routingKey, content, options });
    const done = callback ?? (() => undefined);
    if (options.mandatory === true && this.unroutable.has(routingKey) && !this.#alternates.has(exchange)) {
      // As RabbitMQ does: basic.return first, then the confirm of the same message.
      queueMicrotask(() => this.emit('return', { content, fields: { exchange, routingKey, replyCode: 312, replyText: 'NO_ROUTE' }, properties: options }));
    }
    if (this.confirm === 'ack') queueMicrotask(() => done(null));
    else if (this.confirm === 'nack') queueMicrotask(() => done(new Error('message nacked')));
    else if (this.confirm === 'close') {
      this.#pending.push(done);
      queueMicrotask(() => this.kill());
    } else this.#pending.push(done);
    return true;
  }

  /** Closes as if the broker or the connection dropped it: pending confirms fail. */
  kill(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.#pending.splice(0)) pending(new Error('channel closed'));
    this.emit('close');
  }

  ack(message: ConsumeMessage): void {
    if (this.closed) throw new Error('Channel closed');
    this.acked.push(message.fields.deliveryTag);
  }

  nack(message: ConsumeMessage, _allUpTo?: boolean, requeue?: boolean): void {
    if (this.closed) throw new Error('Channel closed');
    this.nacked.push({ tag: message.fields.deliveryTag, requeue: requeue ?? true });
  }

  async assertExchange(name: string, _type?: string, options?: { arguments?: Record<string, unknown> }): Promise<unknown> {
    const args = options?.arguments ?? {};
    // An exchange with an alternate exchange routes every message somewhere: nothing is returned.
    if (args['alternate-exchange'] !== undefined) this.#alternates.add(name);
    this.declared.push(Object.keys(args).length === 0 ? `exchange:${name}` : `exchange:${name}:${JSON.stringify(args)}`);
    return {};
  }

  async assertQueue(name: string, options?: { arguments?: Record<string, unknown> }): Promise<unknown> {
    this.declared.push(`queue:${name}:${JSON.stringify(options?.arguments ?? {})}`);
    return {};
  }

  async bindQueue(queue: string, exchange: string, key: string): Promise<unknown> {
    this.declared.push(`bind:${queue}<-${exchange}:${key}`);
    return {};
  }

  async checkExchange(): Promise<unknown> {
    return {};
  }

  async checkQueue(): Promise<unknown> {
    return {};
  }

  async prefetch(): Promise<unknown> {
    return {};
  }

  async consume(_queue: string, onMessage: (message: ConsumeMessage | null) => void): Promise<{ consumerTag: string }> {
    this.onConsume = onMessage;
    return { consumerTag: 'ctag' };
  }

  async cancel(): Promise<unknown> {
    this.onConsume = undefined;
    return {};
  }

  async close(): Promise<void> {
    this.kill();
  }
}

/** A connection in memory; `drop()` closes it as a broker restart would. */
export class FakeConnection extends EventEmitter {
  readonly channels: FakeChannel[] = [];
  /** Shared by every channel of this connection: see `FakeChannel.unroutable`. */
  readonly unroutable = new Set<string>();
  /** True: `close()` never answers, as with a server that stopped responding. */
  hangOnClose = false;
  /** Where amqplib keeps the socket; destroying it drops the connection. */
  readonly connection = { stream: { destroy: (): void => this.drop() } };
  closed = false;

  constructor(readonly confirm: ConfirmMode = 'ack') {
    super();
  }

  async createConfirmChannel(): Promise<FakeChannel> {
    return this.createChannel();
  }

  async createChannel(): Promise<FakeChannel> {
    const channel = new FakeChannel();
    channel.confirm = this.confirm;
    channel.unroutable = this.unroutable;
    this.channels.push(channel);
    return channel;
  }

  drop(): void {
    if (this.closed) return;
    this.closed = true;
    for (const channel of this.channels) channel.kill();
    this.emit('error', new Error('CONNECTION_FORCED - Closed via management plugin'));
    this.emit('close', new Error('CONNECTION_FORCED - Closed via management plugin'));
  }

  async close(): Promise<void> {
    if (this.hangOnClose) return new Promise<void>(() => undefined);
    if (this.closed) return;
    this.closed = true;
    for (const channel of this.channels) channel.kill();
    this.emit('close');
  }
}

/** A connector handing out fake connections; each outcome is a connection, or an error to throw. */
export function fakeConnector(outcomes: (() => FakeConnection | Error)[], fallback: () => FakeConnection | Error = () => new FakeConnection()): {
  connect: AMQPConnect;
  connections: FakeConnection[];
  calls: number;
} {
  const state = {
    connections: [] as FakeConnection[],
    calls: 0,
    connect: (async () => {
      state.calls += 1;
      const outcome = (outcomes.shift() ?? fallback)();
      if (outcome instanceof Error) throw outcome;
      state.connections.push(outcome);
      return outcome as unknown as ChannelModel;
    }) as AMQPConnect,
  };
  return state;
}

/** A delivery as amqplib hands it to a consumer. */
export function fakeDelivery(init: { content: Buffer; routingKey?: string; deliveryTag?: number; headers?: Record<string, unknown>; messageId?: string; redelivered?: boolean }): ConsumeMessage {
  return {
    content: init.content,
    fields: { deliveryTag: init.deliveryTag ?? 1, redelivered: init.redelivered ?? false, exchange: 'events', routingKey: init.routingKey ?? 'users', consumerTag: 'ctag' },
    properties: {
      contentType: 'application/json',
      contentEncoding: undefined,
      headers: init.headers ?? {},
      deliveryMode: 2,
      priority: undefined,
      correlationId: undefined,
      replyTo: undefined,
      expiration: undefined,
      messageId: init.messageId,
      timestamp: 1_700_000_000,
      type: 'user_created',
      userId: undefined,
      appId: undefined,
      clusterId: undefined,
    },
  };
}
