import { redact, redactUrl } from '@cqrs/core';

describe('redactUrl', () => {
  test.each([
    ['amqp://app:hunter2@mq:5672/vhost', 'amqp://app:***@mq:5672/vhost'],
    ['https://user:p%40ss@registry.example.com/apis', 'https://user:***@registry.example.com/apis'],
    ['a raw @ in the password: amqp://u:p@ss@host/', 'a raw @ in the password: amqp://u:***@host/'],
    ['no user: redis://:s3cret@cache:6379', 'no user: redis://:***@cache:6379'],
    ['two URLs: amqp://a:one@h1,amqp://b:two@h2', 'two URLs: amqp://a:***@h1,amqp://b:***@h2'],
  ])('masks the password in %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  test.each(['http://localhost:8085', 'amqp://guest@mq/', 'http://host:8085/path@x', 'plain text'])('leaves %s alone', (input) => {
    expect(redactUrl(input)).toBe(input);
  });
});

describe('redact', () => {
  test('masks values under secret-looking keys, keeps the rest', () => {
    const config = {
      brokers: ['localhost:9092'],
      clientId: 'app',
      password: 'hunter2',
      apiKey: 'k-123',
      api_key: 'k-456',
      authorization: 'Bearer abc',
      bearerToken: 'tok',
      retries: 5,
      sasl: { mechanism: 'plain', username: 'app', password: 'pw' },
      url: 'amqp://app:pw@mq/',
      credentials: ['secret-a', 'secret-b'],
    };
    expect(redact(config)).toEqual({
      brokers: ['localhost:9092'],
      clientId: 'app',
      password: '***',
      apiKey: '***',
      api_key: '***',
      authorization: '***',
      bearerToken: '***',
      retries: 5,
      sasl: { mechanism: 'plain', username: 'app', password: '***' },
      url: 'amqp://app:***@mq/',
      credentials: '***',
    });
  });

  test('does not change its input', () => {
    const input = { password: 'x', nested: { token: 'y' } };
    redact(input);
    expect(input).toEqual({ password: 'x', nested: { token: 'y' } });
  });

  test('keeps absent secrets absent and primitives as they are', () => {
    expect(redact({ password: undefined, token: null })).toEqual({ password: undefined, token: null });
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBeNull();
    expect(redact('amqp://u:p@h')).toBe('amqp://u:***@h');
  });

  test('reduces bytes to their length and errors to a masked summary', () => {
    expect(redact({ body: new Uint8Array(12) })).toEqual({ body: '[12 bytes]' });
    expect(redact({ cause: new Error('connect amqp://u:pw@h failed') })).toEqual({ cause: 'Error: connect amqp://u:***@h failed' });
  });

  test('drops what is nested too deep instead of logging it unchecked, and survives cycles', () => {
    const deep = { a: { b: { c: { d: { e: { f: { password: 'leak' } } } } } } };
    expect(JSON.stringify(redact(deep))).not.toContain('leak');
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(JSON.stringify(redact(cyclic))).toContain('[nested too deep]');
  });
});
