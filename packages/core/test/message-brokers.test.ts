import {
  DevnullMessageBroker,
  InMemoryMessageBroker,
  NotificationEvent,
  StandardHeaders,
  messageFromEvent,
  type InMemoryRecord,
  type ValueSerializer,
} from '@cqrs/core';

class OrderPlaced extends NotificationEvent<{ orderId: string }> {}
const placed = (orderId: string, key?: string): OrderPlaced =>
  new OrderPlaced({ eventName: 'order_placed', topic: 'orders', payload: { orderId }, ...(key === undefined ? {} : { key }) });

describe('messageFromEvent', () => {
  test('wraps an event with its name, id, topic, key and extra headers', () => {
    const event = placed('o1', 'customer-7');
    expect(messageFromEvent(event, { trace: 'abc' })).toEqual({
      messageName: 'order_placed',
      messageId: event.eventId,
      topic: 'orders',
      payload: event,
      key: 'customer-7',
      headers: { trace: 'abc' },
    });
    expect(messageFromEvent(placed('o2'))).not.toHaveProperty('key');
  });
});

describe('InMemoryMessageBroker', () => {
  test('serializes each message to bytes and stores it in its topic with the standard headers', async () => {
    const broker = new InMemoryMessageBroker();
    const event = placed('o1', 'k1');
    await broker.sendMessage(messageFromEvent(event, { trace: 't-1' }));
    const [record] = broker.records('orders');
    expect(record?.offset).toBe(0);
    expect(record?.key).toBe('k1');
    expect(record?.value).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(new TextDecoder().decode(record?.value ?? new Uint8Array()))).toEqual(event.toJSON());
    expect(record?.headers).toEqual({
      [StandardHeaders.contentType]: 'application/json',
      [StandardHeaders.messageName]: 'order_placed',
      [StandardHeaders.messageId]: event.eventId,
      trace: 't-1',
    });
    expect(Object.isFrozen(record)).toBe(true);
  });

  test('keeps order and offsets per topic; sendMessages sends them all', async () => {
    const broker = new InMemoryMessageBroker();
    await broker.sendMessages([messageFromEvent(placed('o1')), messageFromEvent(placed('o2'))]);
    await broker.sendMessage({ messageName: 'other', messageId: 'x', topic: 'elsewhere', payload: { n: 1 } });
    expect(broker.records('orders').map((r) => r.offset)).toEqual([0, 1]);
    expect(broker.records('elsewhere')).toHaveLength(1);
    expect(broker.records('never-used')).toEqual([]);
  });

  test('uses the serializer it is given', async () => {
    const serializer: ValueSerializer = {
      contentType: 'text/plain',
      serialize: async (message) => ({ value: new TextEncoder().encode(`custom:${message.messageName}`), headers: { 'content-type': 'text/plain' } }),
    };
    const broker = new InMemoryMessageBroker({ valueSerializer: serializer });
    await broker.sendMessage(messageFromEvent(placed('o1')));
    const record = broker.records('orders')[0];
    expect(new TextDecoder().decode(record?.value ?? new Uint8Array())).toBe('custom:order_placed');
    expect(record?.headers['content-type']).toBe('text/plain');
  });

  test('a serializer failure rejects the send and stores nothing', async () => {
    const broker = new InMemoryMessageBroker({
      valueSerializer: {
        contentType: 'x',
        serialize: () => {
          throw new Error('cannot encode');
        },
      },
    });
    await expect(broker.sendMessage(messageFromEvent(placed('o1')))).rejects.toThrow('cannot encode');
    expect(broker.records('orders')).toEqual([]);
  });

  test('notifies subscribers of new records until they unsubscribe', async () => {
    const broker = new InMemoryMessageBroker();
    const seen: InMemoryRecord[] = [];
    const unsubscribe = broker.subscribe('orders', (record) => seen.push(record));
    await broker.sendMessage(messageFromEvent(placed('o1')));
    unsubscribe();
    await broker.sendMessage(messageFromEvent(placed('o2')));
    expect(seen.map((r) => r.offset)).toEqual([0]);
  });

  test('append stores raw bytes as they are (for other formats and poison messages)', () => {
    const broker = new InMemoryMessageBroker();
    const raw = new Uint8Array([0, 1, 2]);
    const record = broker.append('raw', { value: raw });
    expect(record).toEqual({ topic: 'raw', key: undefined, value: raw, headers: {}, offset: 0 });
    expect(broker.append('raw', { value: null }).offset).toBe(1);
  });
});

describe('DevnullMessageBroker', () => {
  test('accepts messages one by one and in batches and keeps nothing', async () => {
    const broker = new DevnullMessageBroker();
    await expect(broker.sendMessage(messageFromEvent(placed('o1')))).resolves.toBeUndefined();
    await expect(broker.sendMessages([messageFromEvent(placed('o2')), messageFromEvent(placed('o3'))])).resolves.toBeUndefined();
    expect(Object.keys(broker)).toEqual([]);
  });
});
