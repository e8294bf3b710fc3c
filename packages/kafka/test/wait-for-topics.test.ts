import { SubscriptionError } from '@cqrs/core';
import { KafkaMissingTopicError } from '@cqrs/kafka';
import { isUnknownTopicError, subscribeWhenTopicsExist } from '../src/consumer/wait-for-topics';

// kafkajs' error for a topic the broker does not have.
const unknownTopic = (): Error => Object.assign(new Error('This server does not host this topic-partition'), { name: 'KafkaJSProtocolError', type: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true });

describe('subscribeWhenTopicsExist', () => {
  test('tries again while the topic is missing, then subscribes', async () => {
    let calls = 0;
    await subscribeWhenTopicsExist({
      subscribe: async () => {
        calls += 1;
        if (calls < 3) throw unknownTopic();
      },
      topics: ['users'],
      timeoutMs: 10_000,
      pollMs: 1,
      signal: new AbortController().signal,
    });
    expect(calls).toBe(3);
  });

  test('after the timeout, a KafkaMissingTopicError (a SubscriptionError) names the topics', async () => {
    let clock = 0;
    const waiting = subscribeWhenTopicsExist({
      subscribe: async () => {
        clock += 400;
        throw unknownTopic();
      },
      topics: ['users', 'orders'],
      timeoutMs: 1000,
      pollMs: 1,
      signal: new AbortController().signal,
      now: () => clock,
    });
    await expect(waiting).rejects.toBeInstanceOf(KafkaMissingTopicError);
    await expect(waiting).rejects.toBeInstanceOf(SubscriptionError);
    await expect(waiting).rejects.toThrow('topic users, orders does not exist (waited 1000 ms');
    await expect(waiting).rejects.toMatchObject({ topics: ['users', 'orders'], code: 'SUBSCRIPTION_INVALID' });
  });

  test('other errors are not waited on', async () => {
    const refused = new Error('Connection error');
    let calls = 0;
    const waiting = subscribeWhenTopicsExist({
      subscribe: async () => {
        calls += 1;
        throw refused;
      },
      topics: ['users'],
      timeoutMs: 10_000,
      signal: new AbortController().signal,
    });
    await expect(waiting).rejects.toBe(refused);
    expect(calls).toBe(1);
  });

  test('stop() ends the wait without an error', async () => {
    const abort = new AbortController();
    let calls = 0;
    const waiting = subscribeWhenTopicsExist({
      subscribe: async () => {
        calls += 1;
        abort.abort();
        throw unknownTopic();
      },
      topics: ['users'],
      timeoutMs: 10_000,
      signal: abort.signal,
    });
    await expect(waiting).resolves.toBeUndefined();
    expect(calls).toBe(1);
  });

  test('finds the unknown-topic error in a cause chain', () => {
    expect(isUnknownTopicError(new Error('retries exceeded', { cause: unknownTopic() }))).toBe(true);
    expect(isUnknownTopicError(new Error('other'))).toBe(false);
    expect(isUnknownTopicError('UNKNOWN_TOPIC_OR_PARTITION')).toBe(false);
  });
});
