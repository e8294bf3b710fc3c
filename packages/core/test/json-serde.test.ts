import { z } from 'zod';
import {
  ConfigurationError,
  DeserializeJsonError,
  JsonValueDeserializer,
  JsonValueSerializer,
  NotificationEvent,
  isDeserializeError,
  jsonValueSerializer,
  messageFromEvent,
} from '@cqrs/core';

const Payload = z.object({ userId: z.string(), email: z.email(), name: z.string() });
class UserCreatedEvent extends NotificationEvent<z.infer<typeof Payload>> {
  static override readonly payloadSchema = Payload;
}

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);
const event = (): UserCreatedEvent =>
  new UserCreatedEvent({ eventName: 'user_created', topic: 'user_events', payload: { userId: '123', email: 'user@example.com', name: 'John Doe' } });
const deserializer = new JsonValueDeserializer({ model: UserCreatedEvent });

describe('JsonValueSerializer', () => {
  test('writes the event wire form as UTF-8 JSON with a content type', () => {
    const original = event();
    const encoded = jsonValueSerializer.serialize(messageFromEvent(original));
    expect(encoded).not.toBeInstanceOf(Promise);
    const { value, headers } = encoded as Awaited<ReturnType<JsonValueSerializer['serialize']>>;
    expect(headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(new TextDecoder().decode(value))).toEqual(original.toJSON());
  });

  test('writes a plain payload as it is', () => {
    const encoded = new JsonValueSerializer().serialize({ messageName: 'm', messageId: 'id', topic: 't', payload: { ünïcode: '✓' } });
    expect(new TextDecoder().decode(encoded.value)).toBe('{"ünïcode":"✓"}');
  });
});

describe('JsonValueDeserializer', () => {
  test('reads bytes the serializer wrote back into an equal event', () => {
    const original = event();
    const { value } = jsonValueSerializer.serialize(messageFromEvent(original)) as { value: Uint8Array };
    const decoded = deserializer.deserialize(value, { topic: 'user_events' });
    expect(decoded).toBeInstanceOf(UserCreatedEvent);
    expect((decoded as UserCreatedEvent).toJSON()).toEqual(original.toJSON());
  });

  test('takes the topic from the context, and works without one', () => {
    const { value } = jsonValueSerializer.serialize(messageFromEvent(event())) as { value: Uint8Array };
    expect((deserializer.deserialize(value, { topic: 'mirrored' }) as UserCreatedEvent).topic).toBe('mirrored');
    expect((deserializer.deserialize(value) as UserCreatedEvent).topic).toBe('user_events');
  });

  test.each([
    ['null', null],
    ['undefined', undefined],
    ['empty bytes', new Uint8Array(0)],
  ])('returns null for %s', (_label, data) => {
    expect(deserializer.deserialize(data, { topic: 't' })).toBeNull();
  });

  test('invalid UTF-8 is a DeserializeJsonError carrying the original bytes', () => {
    const data = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const decoded = deserializer.deserialize(data, { topic: 't' });
    expect(decoded).toBeInstanceOf(DeserializeJsonError);
    const error = decoded as DeserializeJsonError;
    expect(isDeserializeError(error)).toBe(true);
    expect(error.name).toBe('DeserializeJsonError');
    expect(error.errorType).toBe('TypeError');
    expect(error.errorMessage).toMatch(/^Not valid UTF-8 JSON/);
    expect(error.messageData).toBe(data);
  });

  test('invalid JSON is a DeserializeJsonError with SyntaxError', () => {
    const data = bytes('{"event_id": ');
    const error = deserializer.deserialize(data, { topic: 't' }) as DeserializeJsonError;
    expect(error).toBeInstanceOf(DeserializeJsonError);
    expect(error.errorType).toBe('SyntaxError');
    expect(error.errorMessage).toMatch(/^Not valid UTF-8 JSON/);
    expect(error.messageData).toBe(data);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(String(error)).toBe(`DeserializeJsonError(SyntaxError): ${error.errorMessage} [${data.byteLength} bytes]`);
  });

  test('valid JSON that fails validation is a DeserializeJsonError with ValidationError', () => {
    const json = { ...event().toJSON(), payload: { userId: 123, email: 'nope', name: 'x' } };
    const data = bytes(JSON.stringify(json));
    const error = deserializer.deserialize(data, { topic: 't' }) as DeserializeJsonError;
    expect(error).toBeInstanceOf(DeserializeJsonError);
    expect(error.errorType).toBe('ValidationError');
    expect(error.errorMessage).toMatch(/UserCreatedEvent: invalid payload/);
    expect(error.errorMessage).toMatch(/userId/);
    expect(error.messageData).toBe(data);
  });

  test.each([
    ['a JSON string', bytes('"just a string"')],
    ['a JSON null', bytes('null')],
    ['an array', bytes('[1,2,3]')],
    ['a BOM and garbage', new Uint8Array([0xef, 0xbb, 0xbf, 0x00])],
  ])('never throws: %s becomes a DeserializeJsonError', (_label, data) => {
    expect(() => deserializer.deserialize(data, { topic: 't' })).not.toThrow();
    expect(deserializer.deserialize(data, { topic: 't' })).toBeInstanceOf(DeserializeJsonError);
  });
});

describe('JSON envelopes python-cqrs reads and writes', () => {
  const id = '9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d';
  const fixed = (): UserCreatedEvent =>
    new UserCreatedEvent({ eventId: id, eventTimestamp: new Date('2026-12-01T08:08:00.835Z'), eventName: 'user_created', topic: 'user_events', payload: { userId: '1', email: 'a@b.co', name: 'A' } });

  test("envelope: 'camelCase' writes python-cqrs 5.x's own keys, in its order, without event_type", () => {
    const { value } = new JsonValueSerializer({ envelope: 'camelCase' }).serialize(messageFromEvent(fixed())) as { value: Uint8Array };
    expect(new TextDecoder().decode(value)).toBe(
      `{"eventName":"user_created","payload":{"userId":"1","email":"a@b.co","name":"A"},"eventId":"${id}","eventTimestamp":"2026-12-01T08:08:00.835Z","topic":"user_events"}`,
    );
    expect((deserializer.deserialize(value) as UserCreatedEvent).toJSON()).toEqual(fixed().toJSON());
  });

  test("the default writes the snake_case envelope with event_type", () => {
    const { value } = new JsonValueSerializer().serialize(messageFromEvent(fixed())) as { value: Uint8Array };
    expect(Object.keys(JSON.parse(new TextDecoder().decode(value)) as object)).toEqual(['event_id', 'event_timestamp', 'event_name', 'event_type', 'topic', 'payload']);
  });

  test('naiveTimeZone and subMillisecond reach parse', () => {
    const wire = bytes(JSON.stringify({ eventName: 'user_created', payload: { userId: '1', email: 'a@b.co', name: 'A' }, eventId: id.replaceAll('-', ''), eventTimestamp: '2026-12-01T08:08:00.835014', topic: 'user_events' }));
    expect((deserializer.deserialize(wire) as UserCreatedEvent).eventTimestamp.toISOString()).toBe('2026-12-01T08:08:00.835Z');
    const kolkata = new JsonValueDeserializer({ model: UserCreatedEvent, naiveTimeZone: 'Asia/Kolkata' });
    expect((kolkata.deserialize(wire) as UserCreatedEvent).eventTimestamp.toISOString()).toBe('2026-12-01T02:38:00.835Z');
    const strict = new JsonValueDeserializer({ model: UserCreatedEvent, subMillisecond: 'reject' });
    const error = strict.deserialize(wire) as DeserializeJsonError;
    expect(error).toBeInstanceOf(DeserializeJsonError);
    expect(error.errorMessage).toMatch(/invalid eventTimestamp 2026-12-01T08:08:00\.835014/);
    expect(error.messageData).toBe(wire);
  });

  test('an unknown naiveTimeZone is a ConfigurationError at construction', () => {
    expect(() => new JsonValueDeserializer({ model: UserCreatedEvent, naiveTimeZone: 'Mars/Olympus' })).toThrow(ConfigurationError);
  });
});
