import { DeserializeJsonError, SKIP_MESSAGE, type ConsumedMessage, type Decoded, type Subscription, type ValueDeserializer } from '@cqrs/core';
import { processDelivery } from '@cqrs/core/transport';

const text: ValueDeserializer<string> = {
  deserialize: (data) => (data === null || data === undefined || data.byteLength === 0 ? null : new TextDecoder().decode(data)),
};
const received = (value: string | null) => ({
  topic: 't',
  key: undefined,
  headers: {},
  value: value === null ? null : new TextEncoder().encode(value),
  attempt: 1,
});
const subscription = (handler: Subscription<string>['handler'], extra: Partial<Subscription<string>> = {}): Subscription<string> => ({
  topics: ['t'],
  valueDeserializer: text,
  handler,
  ...extra,
});

describe('processDelivery', () => {
  test('passes the decoded body and the message to the handler; ack acks', async () => {
    const bodies: Decoded<string>[] = [];
    const outcome = await processDelivery<string, ConsumedMessage>(
      received('hello'),
      subscription(async (body, msg) => {
        bodies.push(body);
        expect(msg.topic).toBe('t');
        await msg.ack();
      }),
    );
    expect(outcome).toEqual({ kind: 'ack' });
    expect(bodies).toEqual(['hello']);
  });

  test('ack and nack are methods of the message: a copy of it decides for the same delivery, a detached call rejects with a TypeError', async () => {
    let detached: Promise<void> | undefined;
    const outcome = await processDelivery<string, ConsumedMessage>(
      received('x'),
      subscription(async (_body, msg) => {
        // eslint-disable-next-line @typescript-eslint/unbound-method -- the misuse under test
        const { ack } = msg;
        detached = ack();
        const copy = { ...msg };
        await copy.nack(new Error('from the copy'));
      }),
    );
    await expect(detached).rejects.toThrow(new TypeError('ack() must be called on the message, as msg.ack()'));
    expect(outcome).toEqual({ kind: 'nack', error: new Error('from the copy') });
  });

  test('an empty message reaches the handler as null', async () => {
    const bodies: Decoded<string>[] = [];
    await processDelivery<string, ConsumedMessage>(received(null), subscription((body) => void bodies.push(body)));
    expect(bodies).toEqual([null]);
  });

  test('returning without deciding acks; throwing nacks with the error', async () => {
    expect(await processDelivery<string, ConsumedMessage>(received('x'), subscription(() => undefined))).toEqual({ kind: 'ack' });
    const boom = new Error('boom');
    expect(
      await processDelivery<string, ConsumedMessage>(
        received('x'),
        subscription(() => {
          throw boom;
        }),
      ),
    ).toEqual({ kind: 'nack', error: boom });
  });

  test('the first decision wins', async () => {
    const reason = new Error('first');
    const outcome = await processDelivery<string, ConsumedMessage>(
      received('x'),
      subscription(async (_body, msg) => {
        await msg.nack(reason);
        await msg.ack();
        throw new Error('later');
      }),
    );
    expect(outcome).toEqual({ kind: 'nack', error: reason });
    expect(await processDelivery<string, ConsumedMessage>(received('x'), subscription(async (_b, msg) => msg.ack().then(() => Promise.reject(new Error('x')))))).toEqual({
      kind: 'ack',
    });
  });

  test('nack() without a reason on a decode error records the decode error', async () => {
    const bad = new DeserializeJsonError({ errorMessage: 'bad', errorType: 'SyntaxError', messageData: new Uint8Array([1]) });
    const outcome = await processDelivery<string, ConsumedMessage>(received('x'), {
      topics: ['t'],
      valueDeserializer: { deserialize: () => bad },
      handler: async (_body, msg) => msg.nack(),
    });
    expect(outcome).toEqual({ kind: 'nack', error: bad });
  });

  test('a decoder can skip, replace, or defer to the deserializer', async () => {
    const bodies: Decoded<string>[] = [];
    const handler = (body: Decoded<string>): void => void bodies.push(body);
    expect(await processDelivery<string, ConsumedMessage>(received('tiny'), subscription(handler, { decoder: () => SKIP_MESSAGE }))).toEqual({ kind: 'skip' });
    await processDelivery<string, ConsumedMessage>(received('x'), subscription(handler, { decoder: () => 'replaced' }));
    await processDelivery<string, ConsumedMessage>(received('deferred'), subscription(handler, { decoder: async (msg, decode) => decode(msg) }));
    expect(bodies).toEqual(['replaced', 'deferred']);
  });

  test('a throwing decoder or deserializer nacks instead of throwing', async () => {
    const broken = new Error('decoder bug');
    const outcome = await processDelivery<string, ConsumedMessage>(
      received('x'),
      subscription(() => undefined, {
        decoder: () => {
          throw broken;
        },
      }),
    );
    expect(outcome).toEqual({ kind: 'nack', error: broken });
  });

  test('a deserializer that throws nacks; one that answers with a promise is awaited', async () => {
    const broken = new Error('deserializer bug');
    const throwing: ValueDeserializer<string> = {
      deserialize: () => {
        throw broken;
      },
    };
    let called = false;
    const thrown = await processDelivery<string, ConsumedMessage>(received('x'), subscription(() => void (called = true), { valueDeserializer: throwing }));
    expect(thrown).toEqual({ kind: 'nack', error: broken });
    expect(called).toBe(false);

    const later: ValueDeserializer<string> = { deserialize: async (data) => `later ${new TextDecoder().decode(data)}` };
    const bodies: Decoded<string>[] = [];
    const outcome = await processDelivery<string, ConsumedMessage>(received('x'), subscription((body) => void bodies.push(body), { valueDeserializer: later }));
    expect(outcome).toEqual({ kind: 'ack' });
    expect(bodies).toEqual(['later x']);
  });
});
