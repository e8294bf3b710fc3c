import { z } from 'zod';
import { NotificationEvent, ValidationError } from '@cqrs/core';

const hyphenate = (hex: string): string => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

// The zod schema `parse` ran on every call before checking the envelope by hand, with bare hex
// UUIDs (python-cqrs 5.x) added: the hand checks must accept exactly what it accepts.
const zodEnvelope = z.object({
  eventId: z
    .string()
    .refine((id) => z.uuid().safeParse(id).success || (/^[0-9a-f]{32}$/i.test(id) && z.uuid().safeParse(hyphenate(id)).success), 'Invalid UUID: expected a hyphenated UUID or 32 hex digits'),
  eventTimestamp: z.union([z.date(), z.string().min(1), z.number()]),
  eventName: z.string().min(1),
  topic: z.string(),
  payload: z.unknown(),
});

class Plain extends NotificationEvent<unknown> {}

const valid = { eventId: '9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d', eventTimestamp: '2024-05-01T10:00:00.123Z', eventName: 'user_created', topic: 'user_events', payload: { n: 1 } };

const candidates: Record<'eventId' | 'eventTimestamp' | 'eventName' | 'topic', unknown[]> = {
  eventId: [
    valid.eventId,
    valid.eventId.toUpperCase(),
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '9b2f3c4e-0d6a-9b7e-9c1d-2e3f4a5b6c7d', // version 9
    '9b2f3c4e-0d6a-4b7e-7c1d-2e3f4a5b6c7d', // variant 7
    '9b2f3c4e0d6a4b7e9c1d2e3f4a5b6c7d',
    '9B2F3C4E0D6A4B7E9C1D2E3F4A5B6C7D',
    '9b2f3c4e0d6a9b7e9c1d2e3f4a5b6c7d', // version 9
    '9b2f3c4e0d6a4b7e9c1d2e3f4a5b6c7',
    '9b2f3c4e0d6a4b7e9c1d2e3f4a5b6c7g',
    ` ${valid.eventId}`,
    `${valid.eventId}\n`,
    '{9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d}',
    '',
    42,
    null,
    undefined,
    {},
  ],
  eventTimestamp: [
    valid.eventTimestamp,
    '2024-05-01T10:00:00.123456+00:00',
    'x',
    '',
    0,
    -1.5,
    1714557600123,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    new Date('2024-05-01T10:00:00Z'),
    new Date(Number.NaN),
    10n,
    true,
    null,
    undefined,
    [],
  ],
  eventName: ['user_created', 'x', '', 1, null, undefined],
  topic: ['user_events', '', 1, null, undefined],
};

function zodAccepts(fields: Record<string, unknown>): boolean {
  return zodEnvelope.safeParse(fields).success;
}

function parseOutcome(fields: Record<string, unknown>): 'ok' | 'envelope' | 'timestamp' {
  try {
    Plain.parse(fields);
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as Error).message;
    if (message.startsWith('Plain: invalid envelope: ')) return 'envelope';
    if (message.startsWith('Plain: invalid eventTimestamp ')) return 'timestamp';
    throw error;
  }
}

describe('NotificationEvent.parse envelope checks', () => {
  for (const [field, values] of Object.entries(candidates)) {
    test.each(values.map((value) => [typeof value === 'string' ? JSON.stringify(value) : String(value), value]))(`${field} = %s: refused exactly when zod refuses it`, (_label, value) => {
      const fields = { ...valid, [field]: value };
      const outcome = parseOutcome(fields);
      if (zodAccepts(fields)) expect(outcome).not.toBe('envelope');
      else expect(outcome).toBe('envelope');
    });
  }

  test('the error of an invalid envelope is the one zod words, with the ZodError as cause', () => {
    const fields = { ...valid, eventId: 'not-a-uuid', eventName: '' };
    const expected = zodEnvelope.safeParse(fields);
    expect(expected.success).toBe(false);
    let caught: unknown;
    try {
      Plain.parse(fields);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).message).toBe(`Plain: invalid envelope: ${z.prettifyError(expected.error!)}`);
    expect((caught as ValidationError).cause).toBeInstanceOf(z.ZodError);
  });

  test('missing fields are refused, under either spelling', () => {
    for (const field of ['eventId', 'eventTimestamp', 'eventName', 'topic']) {
      const { [field as keyof typeof valid]: _dropped, ...rest } = valid;
      expect(() => Plain.parse(rest)).toThrow(ValidationError);
      expect(() => Plain.parse(rest)).toThrow(/invalid envelope/);
    }
    expect(() => Plain.parse({ event_id: valid.eventId, event_timestamp: valid.eventTimestamp, topic: 't', payload: 1 })).toThrow(/invalid envelope/);
  });

  test('a timestamp zod accepts but Date cannot read is an invalid eventTimestamp', () => {
    expect(() => Plain.parse({ ...valid, eventTimestamp: 'yesterday' })).toThrow('Plain: invalid eventTimestamp yesterday');
    expect(() => Plain.parse({ ...valid, eventTimestamp: 8.64e15 + 1 })).toThrow(/invalid eventTimestamp/);
  });

  test('numbers and Dates are read as times, and a given Date is not kept', () => {
    const at = new Date('2024-05-01T10:00:00.123Z');
    const fromDate = Plain.parse({ ...valid, eventTimestamp: at });
    expect(fromDate.eventTimestamp).not.toBe(at);
    expect(fromDate.eventTimestamp.getTime()).toBe(at.getTime());
    expect(Plain.parse({ ...valid, eventTimestamp: at.getTime() }).eventTimestamp.toISOString()).toBe('2024-05-01T10:00:00.123Z');
  });

  test('the topic option wins over the data, and must be a string either way', () => {
    expect(Plain.parse({ ...valid, topic: 1 }, { topic: 'given' }).topic).toBe('given');
    expect(() => Plain.parse({ ...valid, topic: undefined })).toThrow(/invalid envelope/);
  });
});

describe('the envelopes python-cqrs writes', () => {
  test("5.x dataclass events: camelCase, bare hex id, naive timestamp with microseconds, no event_type", () => {
    const wire = { eventName: 'user_created', payload: { n: 1 }, eventId: '9b2f3c4e0d6a4b7e9c1d2e3f4a5b6c7d', eventTimestamp: '2026-12-01T08:08:00.835014', topic: 'user_events' };
    const event = Plain.parse(JSON.parse(JSON.stringify(wire)));
    expect(event.eventId).toBe('9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d');
    expect(event.eventTimestamp.toISOString()).toBe('2026-12-01T08:08:00.835Z');
    expect(event.eventName).toBe('user_created');
    expect(event.topic).toBe('user_events');
    expect(event.payload).toEqual({ n: 1 });
  });

  test('an upper-case bare hex id becomes the lower-case hyphenated one', () => {
    expect(Plain.parse({ ...valid, eventId: '9B2F3C4E0D6A4B7E9C1D2E3F4A5B6C7D' }).eventId).toBe('9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d');
  });

  test('the reference page pydantic events: snake_case, hyphenated id, zoned timestamp', () => {
    const event = Plain.parse({ event_id: valid.eventId, event_timestamp: '2026-12-01T08:08:00.835014+05:30', event_name: 'user_created', event_type: 'notification_event', topic: 't', payload: null });
    expect(event.eventId).toBe(valid.eventId);
    expect(event.eventTimestamp.toISOString()).toBe('2026-12-01T02:38:00.835Z');
  });

  test('the naive rule and the sub-millisecond policy are options of parse', () => {
    const naive = { ...valid, eventTimestamp: '2026-12-01T08:08:00.835014' };
    expect(Plain.parse(naive, { naiveTimeZone: 'Asia/Kolkata' }).eventTimestamp.toISOString()).toBe('2026-12-01T02:38:00.835Z');
    expect(() => Plain.parse(naive, { subMillisecond: 'reject' })).toThrow('Plain: invalid eventTimestamp 2026-12-01T08:08:00.835014');
  });
});
