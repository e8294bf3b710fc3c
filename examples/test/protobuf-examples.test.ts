import { DeserializeProtobufError } from '@cqrs/protobuf';
import { main as basicEvent } from '../src/protobuf/basic-event';
import { UserCreatedProtoEvent, UserCreatedWithAddressProtoEvent } from '../src/protobuf/events';
import { main as nestedPayloads } from '../src/protobuf/nested-payloads';
import { main as registryAuthentication, registryConfig } from '../src/protobuf/schema-registry-authentication';
import { main as registryConfiguration } from '../src/protobuf/schema-registry-configuration';
import { main as testing } from '../src/protobuf/testing';

/** Runs `fn` with console output captured instead of printed; returns its result and the lines. */
async function captured<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const record = (...args: unknown[]): void => {
    lines.push(args.map(String).join(' '));
  };
  const spies = (['log', 'info', 'warn', 'error'] as const).map((method) => jest.spyOn(console, method).mockImplementation(record));
  try {
    return { result: await fn(), lines };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('protobuf examples', () => {
  const savedUrl = process.env.KAFKA_SCHEMA_REGISTRY_URL;
  const savedAuthUrl = process.env.SCHEMA_REGISTRY_AUTH_URL;
  beforeEach(() => {
    // The examples fall back to the in-memory registry only when no real one is configured.
    delete process.env.KAFKA_SCHEMA_REGISTRY_URL;
    delete process.env.SCHEMA_REGISTRY_AUTH_URL;
  });
  afterAll(() => {
    if (savedUrl !== undefined) process.env.KAFKA_SCHEMA_REGISTRY_URL = savedUrl;
    if (savedAuthUrl !== undefined) process.env.SCHEMA_REGISTRY_AUTH_URL = savedAuthUrl;
  });

  test('basic event: proto(), Confluent frame, and back to an equal event', async () => {
    const { result, lines } = await captured(basicEvent);
    expect(result.decoded).toBeInstanceOf(UserCreatedProtoEvent);
    const decoded = result.decoded as UserCreatedProtoEvent;
    expect(decoded.toJSON()).toEqual(result.event.toJSON());
    expect(result.schemaId).toBe(1);
    expect(lines[0]).toBe(`proto(): cqrs.example.v1.UserCreated event_id=${result.event.eventId} payload.user_id=123`);
  });

  test('nested payloads: the address survives, and a bad zip code is refused', async () => {
    const { result, lines } = await captured(nestedPayloads);
    expect(result.decoded).toBeInstanceOf(UserCreatedWithAddressProtoEvent);
    expect((result.decoded as UserCreatedWithAddressProtoEvent).payload.address).toEqual({ street: '1 Main St', city: 'Springfield', zipCode: '12345' });
    expect(result.refused).toBeInstanceOf(DeserializeProtobufError);
    expect(result.refused?.errorType).toBe('ValidationError');
    expect(lines).toContain('decoded: John Doe lives in Springfield');
  });

  test('schema registry configuration: KAFKA_SCHEMA_REGISTRY_URL, one registration for all messages', async () => {
    const { result, lines } = await captured(registryConfiguration);
    expect(result.registryUrl).toBe('mem://schema-registry');
    expect(new Set(result.schemaIds).size).toBe(1);
    expect(result.schemaIds).toHaveLength(3);
    expect(result.received).toEqual(['1', '2', '3']);
    expect(lines[0]).toBe('schema registry: mem://schema-registry');
  });

  test('schema registry with authentication: credentials configured once, never printed', async () => {
    const { result, lines } = await captured(registryAuthentication);
    expect(result.registry).toBe('mem://authenticated');
    expect((result.decoded as UserCreatedProtoEvent).payload.email).toBe('auth@example.com');
    expect(lines.join('\n')).not.toContain('"password":"password"');
    expect(registryConfig({ SCHEMA_REGISTRY_AUTH_URL: 'https://sr.example.com', SCHEMA_REGISTRY_AUTH_USER: 'u', SCHEMA_REGISTRY_AUTH_PASSWORD: 'p' })).toEqual({
      url: 'https://sr.example.com',
      basicAuth: { username: 'u', password: 'p' },
    });
  });

  test('testing: event → proto → event loses nothing', async () => {
    const { result } = await captured(testing);
    expect(result.deserialized.eventId).toBe(result.event.eventId);
    expect(result.deserialized.eventTimestamp.toISOString()).toBe(result.event.eventTimestamp.toISOString());
    expect(result.fromBytes.toJSON()).toEqual(result.event.toJSON());
  });
});
