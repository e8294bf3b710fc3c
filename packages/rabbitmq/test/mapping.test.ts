import { DeadLetterHeaders, StandardHeaders, jsonValueSerializer, messageFromEvent } from '@cqrs/core';
import { AMQPAuthenticationError, AMQPConnectionError, AMQPHeaders, AMQPTopologyError } from '@cqrs/rabbitmq';
import { buildOutgoing, queueTopology, retryQueueFor } from '@cqrs/rabbitmq/transport';
import { connectError, topologyError } from '../src/connection/classify-error';
import { readDelivery } from '../src/consumer/read-delivery';
import { deadLetterCopy, retryCopy } from '../src/consumer/redirect-delivery';
import { userCreated } from './events';
import { fakeDelivery } from './fakes';

describe('buildOutgoing', () => {
  test('routes by topic, persists, and carries name, id, key, content type and the format headers', async () => {
    const event = userCreated('user_events', 'u1');
    const message = { ...messageFromEvent(event, { tenant: 't1' }), key: 'aggregate-1' };
    const encoded = { value: new Uint8Array([1, 2, 3]), headers: { 'content-type': 'application/x-protobuf', 'x-schema-id': '42' } };
    const out = buildOutgoing(message, encoded, { exchange: 'events', contentType: 'application/x-protobuf', appId: 'svc', now: () => 1_700_000_000_500 });
    expect(out.exchange).toBe('events');
    expect(out.routingKey).toBe('user_events');
    expect(out.content).toBe(encoded.value);
    expect(out.properties).toEqual({
      headers: {
        [StandardHeaders.contentType]: 'application/x-protobuf',
        'x-schema-id': '42',
        tenant: 't1',
        [StandardHeaders.messageName]: 'user_created',
        [StandardHeaders.messageId]: event.eventId,
        [AMQPHeaders.key]: 'aggregate-1',
      },
      contentType: 'application/x-protobuf',
      messageId: event.eventId,
      type: 'user_created',
      timestamp: 1_700_000_000,
      persistent: true,
      appId: 'svc',
    });
  });

  test('takes the serializer content type when the format adds no header, and a caller cannot spoof name or id', async () => {
    const event = userCreated('t', 'u');
    const message = messageFromEvent(event, { [StandardHeaders.messageId]: 'spoofed' });
    const out = buildOutgoing(message, await jsonValueSerializer.serialize(message), { exchange: 'e', contentType: 'application/json' });
    expect(out.properties.contentType).toBe('application/json');
    expect(out.properties.headers[StandardHeaders.messageId]).toBe(event.eventId);
    expect(out.properties.headers[AMQPHeaders.key]).toBeUndefined();
  });
});

describe('queueTopology', () => {
  test('a durable queue dead-lettering to the DLX, one retry queue per retry routing back to it, and a DLQ', () => {
    const topology = queueTopology({ exchange: 'events', deadLetterExchange: 'events.dlx', queue: 'billing', bindingKeys: ['users.*', 'orders.#'], maxAttempts: 3, queueArguments: { 'x-queue-type': 'quorum' } });
    expect(topology.queue).toEqual({ name: 'billing', arguments: { 'x-dead-letter-exchange': 'events.dlx', 'x-dead-letter-routing-key': 'billing', 'x-queue-type': 'quorum' } });
    expect(topology.retryQueues).toEqual([
      { name: 'billing.retry.1', arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'billing' } },
      { name: 'billing.retry.2', arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'billing' } },
    ]);
    expect(topology.deadLetterQueue.name).toBe('billing.dlq');
    expect(topology.bindingKeys).toEqual(['users.*', 'orders.#']);
  });

  test('one retry queue even when a single attempt is allowed: outages retry past maxAttempts', () => {
    expect(queueTopology({ exchange: 'e', deadLetterExchange: 'd', queue: 'q', bindingKeys: ['k'], maxAttempts: 1 }).retryQueues.map((q) => q.name)).toEqual(['q.retry.1']);
  });

  test('a retry past the last attempt waits in the last retry queue, not in one that was never declared', () => {
    const topology = queueTopology({ exchange: 'e', deadLetterExchange: 'd', queue: 'q', bindingKeys: ['k'], maxAttempts: 3 });
    expect(topology.retryQueues.map((q) => q.name)).toEqual(['q.retry.1', 'q.retry.2']);
    expect([1, 2, 3, 50].map((attempt) => retryQueueFor(topology, attempt))).toEqual(['q.retry.1', 'q.retry.2', 'q.retry.2', 'q.retry.2']);
  });
});

describe('readDelivery', () => {
  test('first delivery: routing key as topic, attempt 1, headers as text, empty body as null', () => {
    const received = readDelivery(
      fakeDelivery({ content: Buffer.alloc(0), routingKey: 'users', deliveryTag: 7, messageId: 'm1', headers: { n: 5, b: Buffer.from('bytes'), [AMQPHeaders.key]: 'k1' } }),
      'q',
    );
    expect(received).toMatchObject({ topic: 'users', key: 'k1', value: null, attempt: 1, queue: 'q', exchange: 'events', deliveryTag: 7, redelivered: false, messageId: 'm1', contentType: 'application/json' });
    expect(received.headers).toMatchObject({ n: '5', b: 'bytes' });
  });

  test('the publisher’s return-tracking header stays out of the handler’s headers', () => {
    const received = readDelivery(fakeDelivery({ content: Buffer.from('x'), routingKey: 'users', headers: { [AMQPHeaders.publishSeq]: '42', tenant: 't1' } }), 'q');
    expect(received.headers).toEqual({ tenant: 't1' });
  });

  test('a retried copy keeps its original topic and exchange and counts its attempt', () => {
    const received = readDelivery(
      fakeDelivery({ content: Buffer.from('x'), routingKey: 'q', headers: { [AMQPHeaders.attempt]: '3', [AMQPHeaders.routingKey]: 'users.created', [AMQPHeaders.exchange]: 'events' } }),
      'q',
    );
    expect(received.topic).toBe('users.created');
    expect(received.attempt).toBe(3);
  });
});

describe('retry and dead-letter copies', () => {
  const delivery = fakeDelivery({ content: Buffer.from('original bytes'), routingKey: 'users.created', messageId: 'm1', headers: { tenant: 't1', 'x-death': [{ count: 1 }] } });
  const received = { topic: 'users.created', exchange: 'events', attempt: 2, queue: 'billing' };

  test('a retry copy waits in the retry queue of its attempt with the backoff as TTL and the next attempt number', () => {
    const copy = retryCopy(delivery, received, 250.4, 'billing.retry.2');
    expect(copy.exchange).toBe('');
    expect(copy.routingKey).toBe('billing.retry.2');
    expect(copy.content).toBe(delivery.content);
    expect(copy.properties).toMatchObject({ expiration: '250', persistent: true, messageId: 'm1', contentType: 'application/json', type: 'user_created', timestamp: 1_700_000_000 });
    expect(copy.properties.headers).toEqual({ tenant: 't1', [AMQPHeaders.attempt]: '3', [AMQPHeaders.routingKey]: 'users.created', [AMQPHeaders.exchange]: 'events' });
  });

  test('a dead-letter copy keeps the original bytes and gets the error, attempts and source in its headers', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const copy = deadLetterCopy(delivery, received, new TypeError('bad field'), 'events.dlx', now);
    expect(copy.exchange).toBe('events.dlx');
    expect(copy.routingKey).toBe('billing');
    expect(copy.content).toBe(delivery.content);
    expect(copy.properties.expiration).toBeUndefined();
    expect(copy.properties.headers).toEqual({
      tenant: 't1',
      [DeadLetterHeaders.error]: 'bad field',
      [DeadLetterHeaders.errorType]: 'TypeError',
      [DeadLetterHeaders.attempts]: '2',
      [DeadLetterHeaders.sourceTopic]: 'users.created',
      [DeadLetterHeaders.failedAt]: '2030-01-01T00:00:00.000Z',
      [AMQPHeaders.routingKey]: 'users.created',
      [AMQPHeaders.exchange]: 'events',
      [AMQPHeaders.sourceQueue]: 'billing',
    });
  });
});

describe('error classification', () => {
  test('refused logins become AMQPAuthenticationError without the password', () => {
    const error = connectError(new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused"'), 'amqp://app:s3cret@host:5672/vh');
    expect(error).toBeInstanceOf(AMQPAuthenticationError);
    expect(error.retriable).toBe(false);
    expect(error.message).toContain('amqp://app:***@host:5672/vh');
    expect(error.message).not.toContain('s3cret');
  });

  test('network failures become retriable AMQPConnectionError', () => {
    const error = connectError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5672'), { code: 'ECONNREFUSED' }), 'amqp://u:p@127.0.0.1:5672');
    expect(error).toBeInstanceOf(AMQPConnectionError);
    expect(error.retriable).toBe(true);
    expect(error.message).not.toContain('u:p@');
  });

  test('refused declarations become AMQPTopologyError, closed channels stay connection errors', () => {
    const refused = topologyError(new Error('Operation failed: QueueDeclare; 406 (PRECONDITION-FAILED) with message "inequivalent arg"'), "queue 'q'");
    expect(refused).toBeInstanceOf(AMQPTopologyError);
    expect(refused.message).toContain("queue 'q'");
    expect(topologyError(new Error('Channel closed'), "queue 'q'")).toBeInstanceOf(AMQPConnectionError);
  });
});
