import {
  ConfigurationError,
  EncodedPayload,
  EventRaisingHandler,
  NotificationEvent,
  Request,
  bootstrap,
  bootstrapEvents,
  encodedValueSerializer,
  messageFromEvent,
  silentLogger,
  type EventHandler,
  type Message,
  type MessageBroker,
  type Outbox,
} from '@cqrs/core';

class Placed extends NotificationEvent<{ orderId: string }> {}
class PlaceOrder extends Request<string> {
  constructor(readonly orderId: string, readonly fail = false) {
    super();
  }
}
class PlaceOrderHandler extends EventRaisingHandler<PlaceOrder> {
  handle(command: PlaceOrder): string {
    this.raise(new Placed({ eventName: 'order_placed', topic: 'orders', payload: { orderId: command.orderId }, key: command.orderId }));
    if (command.fail) throw new Error('payment declined');
    return command.orderId;
  }
}

/** Records what would be written to the outbox table. */
class RecordingOutbox implements Outbox {
  readonly saved: Message[][] = [];
  async save(messages: readonly Message[]): Promise<void> {
    this.saved.push([...messages]);
  }
}

const refusingBroker: MessageBroker = {
  sendMessage: () => Promise.reject(new Error('nothing may be published directly')),
};

describe('bootstrap({ outbox })', () => {
  test('a handler’s notification events are saved to the outbox and nothing is published', async () => {
    const outbox = new RecordingOutbox();
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(PlaceOrder, PlaceOrderHandler), outbox, logger: silentLogger });
    await expect(mediator.send(new PlaceOrder('o-1'))).resolves.toBe('o-1');
    expect(outbox.saved).toHaveLength(1);
    const [message] = outbox.saved[0]!;
    expect(message).toMatchObject({ messageName: 'order_placed', topic: 'orders', key: 'o-1' });
    expect(message!.payload).toBeInstanceOf(Placed);
  });

  test('a handler that throws saves nothing', async () => {
    const outbox = new RecordingOutbox();
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(PlaceOrder, PlaceOrderHandler), outbox, logger: silentLogger });
    await expect(mediator.send(new PlaceOrder('o-2', true))).rejects.toThrow('payment declined');
    expect(outbox.saved).toHaveLength(0);
  });

  test('an outbox and a message broker together are refused', () => {
    expect(() => bootstrap({ outbox: new RecordingOutbox(), messageBroker: refusingBroker })).toThrow(ConfigurationError);
    expect(() => bootstrapEvents({ outbox: new RecordingOutbox(), messageBroker: refusingBroker })).toThrow(ConfigurationError);
  });

  test('bootstrapEvents saves the notification events event handlers raise', async () => {
    class Shipped extends NotificationEvent<{ orderId: string }> {}
    class OnPlaced implements EventHandler<Placed> {
      events: Shipped[] = [];
      handle(event: Placed): void {
        this.events.push(new Shipped({ eventName: 'order_shipped', topic: 'shipments', payload: { orderId: event.payload.orderId } }));
      }
    }
    const outbox = new RecordingOutbox();
    const events = bootstrapEvents({ eventsMapper: (m) => m.bind(Placed, OnPlaced), outbox, logger: silentLogger });
    await events.send(new Placed({ eventName: 'order_placed', topic: 'orders', payload: { orderId: 'o-3' } }));
    expect(outbox.saved.flat().map((m) => m.messageName)).toEqual(['order_shipped']);
  });
});

describe('encodedValueSerializer', () => {
  test('passes stored bytes and headers through unchanged', async () => {
    const bytes = new Uint8Array([0, 0, 0, 0, 7, 0, 10, 3]);
    const serializer = encodedValueSerializer();
    const encoded = await serializer.serialize({ messageName: 'x', messageId: 'id', topic: 't', payload: new EncodedPayload(bytes, { 'content-type': 'application/x-protobuf' }) });
    expect(encoded.value).toBe(bytes);
    expect(encoded.headers).toEqual({ 'content-type': 'application/x-protobuf' });
  });

  test('serializes anything else with the fallback', async () => {
    const event = new Placed({ eventName: 'order_placed', topic: 'orders', payload: { orderId: 'o-4' } });
    const encoded = await encodedValueSerializer().serialize(messageFromEvent(event));
    expect(JSON.parse(new TextDecoder().decode(encoded.value))).toMatchObject({ event_name: 'order_placed', payload: { orderId: 'o-4' } });
  });
});
