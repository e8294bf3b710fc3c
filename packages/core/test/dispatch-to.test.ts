import { ConsumerStateError, DeserializeJsonError, InMemoryConsumer, InMemoryMessageBroker, NotificationEvent, dispatchTo, silentLogger, type ConsumedMessage, type HandlerInterceptor } from '@cqrs/core';
import { ConsumerLifecycle, intercept, processDelivery } from '@cqrs/core/transport';

class Happened extends NotificationEvent<{ n: number }> {}
const happened = new Happened({ eventName: 'happened', topic: 't', payload: { n: 1 } });

function message(): ConsumedMessage & { readonly decisions: string[] } {
  const decisions: string[] = [];
  return {
    topic: 't',
    key: undefined,
    headers: {},
    value: null,
    attempt: 1,
    decisions,
    ack: async () => void decisions.push('ack'),
    nack: async (error?: unknown) => void decisions.push(`nack ${error instanceof DeserializeJsonError ? error.name : String((error as Error | undefined)?.message)}`),
  };
}

describe('dispatchTo', () => {
  test("a sink's dispatch is used when it has one: a synchronous run settles without a promise, a throw nacks", () => {
    const sent: unknown[] = [];
    const sink = {
      send: async (): Promise<void> => {
        throw new Error('send is not used when dispatch exists');
      },
      dispatch(event: Happened): void {
        if (event.payload.n < 0) throw new Error('negative');
        sent.push(event);
      },
    };
    const handler = dispatchTo(sink);
    const subscription = { topics: ['t'], valueDeserializer: { deserialize: (value: Uint8Array | null) => (value === null ? null : new Happened({ eventName: 'happened', topic: 't', payload: { n: value[0]! - 1 } })) }, handler };
    const ok = processDelivery({ topic: 't', key: undefined, headers: {}, value: new Uint8Array([2]), attempt: 1 }, subscription);
    expect(ok).toEqual({ kind: 'ack' });
    const failed = processDelivery({ topic: 't', key: undefined, headers: {}, value: new Uint8Array([0]), attempt: 1 }, subscription);
    expect(failed).toMatchObject({ kind: 'nack', error: new Error('negative') });
    expect(sent).toHaveLength(1);
  });

  const bad = new DeserializeJsonError({ errorMessage: 'not JSON', errorType: 'SyntaxError', messageData: new Uint8Array([1]) });

  test('events go to the mediator; decode errors are nacked with themselves; empty messages are left to ack', async () => {
    const sent: unknown[] = [];
    const handler = dispatchTo({ send: async (event: Happened) => void sent.push(event) });
    const msg = message();
    await handler(happened, msg);
    await handler(bad, msg);
    await handler(null, msg);
    expect(sent).toEqual([happened]);
    expect(msg.decisions).toEqual(['nack DeserializeJsonError']);
  });

  test('the policies are options', async () => {
    const handler = dispatchTo({ send: async () => undefined }, { onDecodeError: 'ack', onEmpty: 'nack' });
    const msg = message();
    await handler(bad, msg);
    await handler(null, msg);
    expect(msg.decisions).toEqual(['nack empty message']);
  });

  test('a failing mediator rejects, so the consumer nacks and retries', async () => {
    const handler = dispatchTo({ send: async () => Promise.reject(new Error('handler failed')) });
    await expect(Promise.resolve(handler(happened, message()))).rejects.toThrow('handler failed');
  });
});

describe('interceptors', () => {
  test('wrap the handler in order, first outermost; one that does not call next skips the handler', async () => {
    const order: string[] = [];
    const outer: HandlerInterceptor = async (_body, _msg, next) => {
      order.push('outer in');
      await next();
      order.push('outer out');
    };
    const dedupe: HandlerInterceptor = async (body, _msg, next) => {
      if (body === 'duplicate') return;
      await next();
    };
    const handler = intercept<string, ConsumedMessage>((body) => void order.push(`handler ${String(body)}`), [outer, dedupe]);
    await handler('first', message());
    await handler('duplicate', message());
    expect(order).toEqual(['outer in', 'handler first', 'outer out', 'outer in', 'outer out']);
  });

  test('consumers take them as an option', async () => {
    const broker = new InMemoryMessageBroker();
    const seen: string[] = [];
    const consumer = new InMemoryConsumer({ broker, logger: silentLogger, interceptors: [async (_b, msg, next) => (msg.headers.skip === 'yes' ? undefined : next())] }).subscribe(
      { topics: ['t'], valueDeserializer: { deserialize: (data) => new TextDecoder().decode(data ?? new Uint8Array()) } },
      (body) => void seen.push(String(body)),
    );
    await consumer.start();
    broker.append('t', { value: new TextEncoder().encode('a'), headers: { skip: 'yes' } });
    broker.append('t', { value: new TextEncoder().encode('b') });
    await consumer.idle();
    await consumer.stop();
    expect(seen).toEqual(['b']);
    expect(broker.records('t.dlq')).toEqual([]);
  });
});

describe('ConsumerLifecycle', () => {
  test('fail() stops the consumer and run() rejects with the reported error', async () => {
    const closed: string[] = [];
    const lifecycle = new ConsumerLifecycle({ name: 'test consumer', logger: silentLogger, handleSignals: false }, { open: async () => undefined, close: async () => void closed.push('closed') });
    const running = lifecycle.run();
    await new Promise((resolve) => setImmediate(resolve));
    lifecycle.fail(new Error('client gave up'));
    await expect(running).rejects.toThrow('client gave up');
    expect(closed).toEqual(['closed']);
    expect(lifecycle.state).toBe('stopped');
  });

  test('a failed open leaves the consumer stopped; stop() before start() closes nothing', async () => {
    const closed: string[] = [];
    const failing = new ConsumerLifecycle({ name: 'c', logger: silentLogger, handleSignals: false }, { open: async () => Promise.reject(new Error('refused')), close: async () => void closed.push('x') });
    await expect(failing.start()).rejects.toThrow('refused');
    expect(failing.state).toBe('stopped');
    await expect(failing.start()).rejects.toBeInstanceOf(ConsumerStateError);
    const idle = new ConsumerLifecycle({ name: 'c', logger: silentLogger, handleSignals: false }, { open: async () => undefined, close: async () => void closed.push('y') });
    await idle.stop();
    expect(idle.state).toBe('stopped');
    expect(closed).toEqual([]);
  });
});
