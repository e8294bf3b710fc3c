import { InMemoryConsumer, InMemoryInbox, InMemoryMessageBroker, JsonValueDeserializer, MissingMessageIdError, NotificationEvent, inboxHandler, messageFromEvent, retryPolicy, type ConsumedMessage } from '@cqrs/core';
import { z } from 'zod';

const Payload = z.object({ amount: z.number() });
class Deposited extends NotificationEvent<z.infer<typeof Payload>> {
  static override readonly payloadSchema = Payload;
}

function fakeMessage(headers: Record<string, string>): ConsumedMessage & { acked: number } {
  const msg = {
    topic: 'deposits',
    key: undefined,
    headers,
    value: null,
    attempt: 1,
    acked: 0,
    async ack() {
      msg.acked += 1;
    },
    async nack() {},
  };
  return msg;
}

describe('inboxHandler', () => {
  test('a message delivered five times runs the handler once and acks every copy', async () => {
    const inbox = new InMemoryInbox();
    let balance = 0;
    const handler = inboxHandler<Deposited>(inbox, (body) => {
      if (body instanceof Deposited) balance += body.payload.amount;
    });
    const event = new Deposited({ eventName: 'deposited', topic: 'deposits', payload: { amount: 10 } });
    const msg = fakeMessage({ message_id: event.eventId });
    for (let i = 0; i < 5; i += 1) await handler(event, msg);
    expect(balance).toBe(10);
    expect(msg.acked).toBe(4);
    expect(inbox.has(event.eventId)).toBe(true);
  });

  test('concurrent copies of one message still apply once', async () => {
    const inbox = new InMemoryInbox();
    let applied = 0;
    const handler = inboxHandler<Deposited>(inbox, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      applied += 1;
    });
    const msg = fakeMessage({ message_id: 'm-1' });
    await Promise.all([handler(null, msg), handler(null, msg), handler(null, msg)]);
    expect(applied).toBe(1);
  });

  test('a handler that throws records nothing, so the redelivery runs it again', async () => {
    const inbox = new InMemoryInbox();
    let calls = 0;
    const handler = inboxHandler<Deposited>(inbox, () => {
      calls += 1;
      if (calls === 1) throw new Error('database down');
    });
    const msg = fakeMessage({ message_id: 'm-2' });
    await expect(handler(null, msg)).rejects.toThrow('database down');
    await handler(null, msg);
    expect(calls).toBe(2);
    expect(inbox.has('m-2')).toBe(true);
  });

  test('a message without an id is refused with a typed error', async () => {
    const handler = inboxHandler<Deposited>(new InMemoryInbox(), () => undefined);
    await expect(handler(null, fakeMessage({}))).rejects.toBeInstanceOf(MissingMessageIdError);
  });

  test('wraps a consumer handler with the same (body, msg) signature', async () => {
    const broker = new InMemoryMessageBroker();
    const inbox = new InMemoryInbox();
    const seen: string[] = [];
    const consumer = new InMemoryConsumer({ broker, retry: retryPolicy({ maxAttempts: 1 }) }).subscribe(
      { topics: ['deposits'], valueDeserializer: new JsonValueDeserializer({ model: Deposited }) },
      inboxHandler(inbox, (body) => {
        if (body instanceof Deposited) seen.push(body.eventId);
      }),
    );
    await consumer.start();
    const event = new Deposited({ eventName: 'deposited', topic: 'deposits', payload: { amount: 1 } });
    await broker.sendMessage(messageFromEvent(event));
    await broker.sendMessage(messageFromEvent(event));
    await consumer.idle();
    await consumer.stop();
    expect(seen).toEqual([event.eventId]);
  });

  test('the consumers\' inbox option applies a redelivered message once; a nacked one is not recorded, so its retry runs again', async () => {
    const broker = new InMemoryMessageBroker();
    const inbox = new InMemoryInbox();
    const seen: string[] = [];
    let nackFirst = true;
    const consumer = new InMemoryConsumer({ broker, inbox, retry: retryPolicy({ maxAttempts: 3, backoff: () => 0 }) }).subscribe(
      { topics: ['deposits'], valueDeserializer: new JsonValueDeserializer({ model: Deposited }) },
      async (body, msg) => {
        if (!(body instanceof Deposited)) return msg.nack();
        if (nackFirst) {
          nackFirst = false;
          return msg.nack(new Error('not yet'));
        }
        seen.push(body.eventId);
      },
    );
    await consumer.start();
    const event = new Deposited({ eventName: 'deposited', topic: 'deposits', payload: { amount: 1 } });
    await broker.sendMessage(messageFromEvent(event));
    await broker.sendMessage(messageFromEvent(event));
    await consumer.idle();
    await consumer.stop();
    expect(seen).toEqual([event.eventId]);
    expect(inbox.has(event.eventId)).toBe(true);
  });
});
