import { main as commandHandling } from '../src/command-handling';
import { main as eventDefinition } from '../src/event-definition';
import { main as eventPublishing } from '../src/event-publishing';
import { main as mainExample } from '../src/main';
import { main as quickStart } from '../src/quick-start';

/** Runs `fn` with console output captured instead of printed; returns its result and the lines. */
async function captured<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const record = (...args: unknown[]): void => {
    lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
  };
  const spies = (['log', 'info', 'warn', 'error'] as const).map((method) => jest.spyOn(console, method).mockImplementation(record));
  try {
    return { result: await fn(), lines };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('core examples', () => {
  test('main: command → domain event → Protobuf on the broker → consumer → event handler, and the poison message is dead-lettered', async () => {
    const { result, lines } = await captured(mainExample);
    expect(result.userId).toBe('123');
    expect(result.handledEvents).toHaveLength(1);
    expect(lines).toContain('User 123 created: user@example.com');
    expect(lines).toContain('[domain] welcome mail sent to user@example.com');
    expect(result.deadLettered).toEqual([{ errorType: 'DeserializeProtobufError:InvalidFrame', bytes: 30 }]);
    expect(lines.some((line) => line.startsWith('Deserialization error: ') && line.includes('magic byte'))).toBe(true);
  });

  test('event-definition: defaults, frozen nested payload, Python envelope parsed, invalid payloads refused', async () => {
    const { result, lines } = await captured(eventDefinition);
    expect(result.basic.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.assignmentRefused).toBe(true);
    expect(result.nested.payload.address.city).toBe('Springfield');
    expect(result.fromPython.eventId).toBe('5f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f');
    expect(result.fromPython.eventTimestamp.toISOString()).toBe('2024-05-01T12:00:00.123Z');
    expect(result.fromPython.payload.address.zipCode).toBe('97201');
    expect(result.validationErrors).toHaveLength(2);
    expect(result.validationErrors[0]).toMatch(/email/);
    expect(result.validationErrors[1]).toMatch(/address\.zipCode/);
    expect(lines.find((line) => line.startsWith('toJSON: '))).toContain('"event_name":"user_created"');
  });

  test('command-handling: typed results, injected repository, one message published, nothing from the failed command', async () => {
    const { result, lines } = await captured(commandHandling);
    expect(result.userId).toBe('123');
    expect(result.user).toEqual({ userId: '123', email: 'user@example.com', name: 'John Doe' });
    expect(result.duplicateError).toBe('user 123 already exists');
    expect(result.published).toHaveLength(1);
    expect(result.published[0]).toMatchObject({ topic: 'user_events', key: '123', messageName: 'user_created', json: { payload: { userId: '123', email: 'user@example.com' } } });
    // The welcome mail went out once: the failed command emitted nothing.
    expect(lines.filter((line) => line.includes('welcome mail'))).toHaveLength(1);
    expect(lines.some((line) => line.includes('failed CreateUserCommand'))).toBe(true);
  });

  test('event-publishing: what was published directly is consumed with the same id', async () => {
    const { result, lines } = await captured(eventPublishing);
    expect(result.consumedId).toBe(result.publishedId);
    expect(result.headers).toMatchObject({ message_name: 'user_created', message_id: result.publishedId, 'content-type': 'application/json' });
    expect(lines).toContain('User 123 created: user@example.com');
  });

  test('quick-start (the core README snippet) runs and prints both handlers', async () => {
    const { result, lines } = await captured(quickStart);
    expect(result).toEqual({ userId: '123', published: 1 });
    expect(lines).toEqual(['in-process: user 123 registered', 'User 123 created: user@example.com']);
  });
});
