import { z } from 'zod';
import {
  ConsumerStateError,
  DeadLetterHeaders,
  DeserializeJsonError,
  InMemoryConsumer,
  InMemoryMessageBroker,
  JsonValueDeserializer,
  NotificationEvent,
  SKIP_MESSAGE,
  messageFromEvent,
  retryPolicy,
  type Decoded,
  type InMemoryConsumedMessage,
  type MessageHandler,
} from '@cqrs/core';
import { deferred, waitFor } from './support/async';
import { CapturingLogger } from './support/capturing-logger';

const Payload = z.object({ n: z.number() });
class Numbered extends NotificationEvent<z.infer<typeof Payload>> {
  static override readonly payloadSchema = Payload;
}

const numbered = (n: number, topic = 'numbers'): Numbered => new Numbered({ eventName: 'numbered', topic, payload: { n } });
const deserializer = new JsonValueDeserializer({ model: Numbered });

/** A retry policy with a recorded, zero backoff, so retries run at once. */
function zeroBackoff(maxAttempts: number) {
  const backoffCalls: number[] = [];
  const policy = retryPolicy({
    maxAttempts,
    backoff: (attempt) => {
      backoffCalls.push(attempt);
      return 0;
    },
  });
  return { policy, backoffCalls };
}

function consumerFor(broker: InMemoryMessageBroker, handler: MessageHandler<Numbered, InMemoryConsumedMessage>, options: { maxAttempts?: number; topics?: string[]; logger?: CapturingLogger } = {}) {
  const { policy, backoffCalls } = zeroBackoff(options.maxAttempts ?? 3);
  const logger = options.logger ?? new CapturingLogger();
  const consumer = new InMemoryConsumer({ broker, retry: policy, logger }).subscribe({ topics: options.topics ?? ['numbers'], valueDeserializer: deserializer }, handler);
  return { consumer, backoffCalls, logger };
}

describe('InMemoryConsumer', () => {
  test('delivers decoded events; ack leaves nothing behind', async () => {
    const broker = new InMemoryMessageBroker();
    const seen: number[] = [];
    const { consumer } = consumerFor(broker, async (body, msg) => {
      if (body instanceof Numbered) seen.push(body.payload.n);
      await msg.ack();
    });
    await consumer.start();
    await broker.sendMessage(messageFromEvent(numbered(1)));
    await broker.sendMessage(messageFromEvent(numbered(2)));
    await consumer.idle();
    expect(seen).toEqual([1, 2]);
    expect(broker.records('numbers.dlq')).toEqual([]);
    await consumer.stop();
  });

  test('the message carries topic, key, headers, offset and attempt', async () => {
    const broker = new InMemoryMessageBroker();
    const messages: InMemoryConsumedMessage[] = [];
    const { consumer } = consumerFor(broker, (_body, msg) => void messages.push(msg));
    const event = new Numbered({ eventName: 'numbered', topic: 'numbers', payload: { n: 1 }, key: 'k-1' });
    await broker.sendMessage(messageFromEvent(event));
    await consumer.start();
    await consumer.idle();
    expect(messages[0]).toMatchObject({ topic: 'numbers', key: 'k-1', offset: 0, attempt: 1 });
    expect(messages[0]?.headers.message_id).toBe(event.eventId);
    await consumer.stop();
  });

  test('a handler returning without deciding acks: no redelivery', async () => {
    const broker = new InMemoryMessageBroker();
    let calls = 0;
    const { consumer } = consumerFor(broker, () => {
      calls += 1;
    });
    await broker.sendMessage(messageFromEvent(numbered(1)));
    await consumer.start();
    await consumer.idle();
    expect(calls).toBe(1);
    expect(broker.records('numbers.dlq')).toEqual([]);
    await consumer.stop();
  });

  test('a throwing handler is retried up to maxAttempts with backoff, then dead-lettered with the original bytes and headers', async () => {
    const broker = new InMemoryMessageBroker();
    const attempts: number[] = [];
    const { consumer, backoffCalls, logger } = consumerFor(
      broker,
      (_body, msg) => {
        attempts.push(msg.attempt);
        throw new Error('database unavailable');
      },
      { maxAttempts: 3 },
    );
    await broker.sendMessage(messageFromEvent(numbered(1), { trace: 't-9' }));
    const original = broker.records('numbers')[0];
    await consumer.start();
    await consumer.idle();
    expect(attempts).toEqual([1, 2, 3]);
    expect(backoffCalls).toEqual([1, 2]);
    const [dead] = broker.records('numbers.dlq');
    expect(dead?.value).toBe(original?.value);
    expect(dead?.headers).toMatchObject({
      ...original?.headers,
      trace: 't-9',
      [DeadLetterHeaders.error]: 'database unavailable',
      [DeadLetterHeaders.errorType]: 'Error',
      [DeadLetterHeaders.attempts]: '3',
      [DeadLetterHeaders.sourceTopic]: 'numbers',
      [DeadLetterHeaders.sourceOffset]: '0',
    });
    expect(logger.at('warn')[0]?.message).toMatch(/nacked on attempt 1 of 3; retrying in 0 ms: Error: database unavailable/);
    expect(logger.at('warn').at(-1)?.message).toMatch(/dead-lettering message numbers@0 to numbers.dlq after 3 attempt.*database unavailable/);
    await consumer.stop();
  });

  test('a message that succeeds on a retry is not dead-lettered', async () => {
    const broker = new InMemoryMessageBroker();
    const attempts: number[] = [];
    const { consumer } = consumerFor(broker, async (_body, msg) => {
      attempts.push(msg.attempt);
      if (msg.attempt < 2) await msg.nack(new Error('transient'));
      else await msg.ack();
    });
    await broker.sendMessage(messageFromEvent(numbered(1)));
    await consumer.start();
    await consumer.idle();
    expect(attempts).toEqual([1, 2]);
    expect(broker.records('numbers.dlq')).toEqual([]);
    await consumer.stop();
  });

  test('bad bytes nacked by the handler go straight to the dead-letter topic', async () => {
    const broker = new InMemoryMessageBroker();
    const errors: DeserializeJsonError[] = [];
    const { consumer, backoffCalls } = consumerFor(broker, async (body, msg) => {
      if (body instanceof DeserializeJsonError) {
        errors.push(body);
        await msg.nack();
        return;
      }
      await msg.ack();
    });
    const poison = new TextEncoder().encode('{"not": json');
    broker.append('numbers', { value: poison, headers: { origin: 'legacy' } });
    await broker.sendMessage(messageFromEvent(numbered(2)));
    await consumer.start();
    await consumer.idle();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.messageData).toBe(poison);
    expect(backoffCalls).toEqual([]);
    const [dead] = broker.records('numbers.dlq');
    expect(dead?.value).toBe(poison);
    expect(dead?.headers).toMatchObject({ origin: 'legacy', [DeadLetterHeaders.errorType]: 'DeserializeJsonError:SyntaxError', [DeadLetterHeaders.attempts]: '1' });
    // The topic did not stall on the poison message.
    expect(broker.records('numbers.dlq')).toHaveLength(1);
    await consumer.stop();
  });

  test('a decoder returning SKIP_MESSAGE skips: the handler is not called and nothing is dead-lettered', async () => {
    const broker = new InMemoryMessageBroker();
    const bodies: Decoded<Numbered>[] = [];
    const consumer = new InMemoryConsumer({ broker, logger: new CapturingLogger() }).subscribe(
      {
        topics: ['numbers'],
        valueDeserializer: deserializer,
        // Skip tiny messages, like the reference's custom decoder.
        decoder: (msg, decode) => (msg.value === null || msg.value.byteLength < 10 ? SKIP_MESSAGE : decode(msg)),
      },
      (body) => void bodies.push(body),
    );
    broker.append('numbers', { value: new Uint8Array([1, 2]) });
    broker.append('numbers', { value: null });
    await broker.sendMessage(messageFromEvent(numbered(3)));
    await consumer.start();
    await consumer.idle();
    expect(bodies).toHaveLength(1);
    expect((bodies[0] as Numbered).payload.n).toBe(3);
    expect(broker.records('numbers.dlq')).toEqual([]);
    await consumer.stop();
  });

  test('keeps order within a topic and handles one record at a time, even with slow handlers', async () => {
    const broker = new InMemoryMessageBroker();
    const order: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const { consumer } = consumerFor(broker, async (body) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const n = (body as Numbered).payload.n;
      // Earlier records take longer: a concurrent consumer would finish them last.
      for (let i = 0; i < (5 - n) * 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
      order.push(n);
      inFlight -= 1;
    });
    await consumer.start();
    for (let n = 0; n < 5; n += 1) await broker.sendMessage(messageFromEvent(numbered(n)));
    await consumer.idle();
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(maxInFlight).toBe(1);
    await consumer.stop();
  });

  test('topics are consumed independently: a slow topic does not hold another one back', async () => {
    const broker = new InMemoryMessageBroker();
    const gate = deferred();
    const seen: string[] = [];
    const { consumer } = consumerFor(
      broker,
      async (body, msg) => {
        if (msg.topic === 'slow') await gate.promise;
        seen.push(`${msg.topic}:${(body as Numbered).payload.n}`);
      },
      { topics: ['slow', 'fast'] },
    );
    await consumer.start();
    await broker.sendMessage(messageFromEvent(numbered(1, 'slow')));
    await broker.sendMessage(messageFromEvent(numbered(2, 'fast')));
    await waitFor(() => seen.includes('fast:2'), 'fast topic delivered');
    expect(seen).toEqual(['fast:2']);
    gate.resolve();
    await consumer.idle();
    expect(seen).toEqual(['fast:2', 'slow:1']);
    await consumer.stop();
  });

  test('fromBeginning false skips records that were there before the first start', async () => {
    const broker = new InMemoryMessageBroker();
    const seen: number[] = [];
    await broker.sendMessage(messageFromEvent(numbered(1)));
    const consumer = new InMemoryConsumer({ broker, fromBeginning: false, logger: new CapturingLogger() }).subscribe({ topics: ['numbers'], valueDeserializer: deserializer }, (body) =>
      void seen.push((body as Numbered).payload.n),
    );
    await consumer.start();
    await broker.sendMessage(messageFromEvent(numbered(2)));
    await consumer.idle();
    expect(seen).toEqual([2]);
    await consumer.stop();
  });

  test('stop() waits for the record in hand, takes no more, and the next consumer of the group resumes where it stopped', async () => {
    const broker = new InMemoryMessageBroker();
    const gate = deferred();
    const seen: number[] = [];
    const handler: MessageHandler<Numbered, InMemoryConsumedMessage> = async (body) => {
      const n = (body as Numbered).payload.n;
      if (n === 1) await gate.promise;
      seen.push(n);
    };
    const { consumer } = consumerFor(broker, handler);
    await consumer.start();
    await broker.sendMessage(messageFromEvent(numbered(1)));
    await broker.sendMessage(messageFromEvent(numbered(2)));
    let stopped = false;
    const stopping = consumer.stop().then(() => {
      stopped = true;
    });
    expect(consumer.running).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(seen).toEqual([1]);
    await broker.sendMessage(messageFromEvent(numbered(3)));
    await consumer.idle();
    expect(seen).toEqual([1]);
    const { consumer: next } = consumerFor(broker, handler);
    await next.start();
    await next.idle();
    expect(seen).toEqual([1, 2, 3]);
    await next.stop();
  });

  test('stop() during a backoff abandons the retry; the record is redelivered to the next consumer of the group', async () => {
    const broker = new InMemoryMessageBroker();
    const attempts: number[] = [];
    let fail = true;
    const make = () =>
      new InMemoryConsumer({ broker, retry: retryPolicy({ maxAttempts: 5, backoff: () => 3_600_000 }), logger: new CapturingLogger() }).subscribe(
        { topics: ['numbers'], valueDeserializer: deserializer },
        (_body, msg) => {
          attempts.push(msg.attempt);
          if (fail) throw new Error('not yet');
        },
      );
    const consumer = make();
    await broker.sendMessage(messageFromEvent(numbered(1)));
    await consumer.start();
    await waitFor(() => attempts.length === 1, 'first attempt');
    // The consumer now waits an hour before the retry; stop must not wait for it.
    await consumer.stop();
    expect(broker.records('numbers.dlq')).toEqual([]);
    fail = false;
    const next = make();
    await next.start();
    await next.idle();
    expect(attempts).toEqual([1, 1]);
    expect(broker.records('numbers.dlq')).toEqual([]);
    await next.stop();
  });

  test('a throwing retry hook is logged and the record skipped, so the topic never stalls', async () => {
    const broker = new InMemoryMessageBroker();
    const logger = new CapturingLogger();
    const seen: number[] = [];
    const consumer = new InMemoryConsumer({
      broker,
      logger,
      retry: retryPolicy({
        isRetriable: () => {
          throw new Error('policy bug');
        },
      }),
    }).subscribe({ topics: ['numbers'], valueDeserializer: deserializer }, (body) => {
      const n = (body as Numbered).payload.n;
      if (n === 1) throw new Error('fails');
      seen.push(n);
    });
    await broker.sendMessage(messageFromEvent(numbered(1)));
    await broker.sendMessage(messageFromEvent(numbered(2)));
    await consumer.start();
    await consumer.idle();
    expect(seen).toEqual([2]);
    expect(logger.at('error')[0]).toMatchObject({ message: 'could not process message numbers@0; skipping it', fields: { error: 'policy bug' } });
    await consumer.stop();
  });

  test('a custom dead-letter topic name is used', async () => {
    const broker = new InMemoryMessageBroker();
    const consumer = new InMemoryConsumer({ broker, retry: retryPolicy({ maxAttempts: 1 }), deadLetterTopic: (topic) => `dead.${topic}`, logger: new CapturingLogger() }).subscribe(
      { topics: ['numbers'], valueDeserializer: deserializer },
      () => {
        throw new Error('x');
      },
    );
    await broker.sendMessage(messageFromEvent(numbered(1)));
    await consumer.start();
    await consumer.idle();
    expect(broker.records('dead.numbers')).toHaveLength(1);
    await consumer.stop();
  });

  test('subscribe() after start() is refused with ConsumerStateError, as on every transport', async () => {
    const broker = new InMemoryMessageBroker();
    const consumer = new InMemoryConsumer({ broker, logger: new CapturingLogger() }).subscribe({ topics: ['other'], valueDeserializer: deserializer }, () => undefined);
    await consumer.start();
    expect(() => consumer.subscribe({ topics: ['numbers'], valueDeserializer: deserializer }, () => undefined)).toThrow(ConsumerStateError);
    await expect(consumer.start()).rejects.toBeInstanceOf(ConsumerStateError);
    await consumer.stop();
    await expect(consumer.start()).rejects.toBeInstanceOf(ConsumerStateError);
  });
});
