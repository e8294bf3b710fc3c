import { z } from 'zod';
import { ValidationError } from '../errors/errors';

/**
 * The envelope fields of a notification event as zod states them. `parse` does not run it per
 * event (a zod object costs microseconds per call); `isValidEnvelope` checks the same rules by
 * hand, and this schema only words the error once a check failed.
 */
const envelopeSchema = z.object({
  eventId: z.uuid(),
  eventTimestamp: z.union([z.date(), z.string().min(1), z.number()]),
  eventName: z.string().min(1),
  topic: z.string(),
  payload: z.unknown(),
});

/** The pattern `z.uuid()` checks: RFC 9562 versions 1-8, the nil and the max UUID. */
const UUID = z.regexes.uuid();

/** What `z.union([z.date(), z.string().min(1), z.number()])` accepts. */
function isTimestampInput(value: unknown): value is Date | string | number {
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return Number.isFinite(value);
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** True when the fields pass `envelopeSchema`, checked without building anything. */
export function isValidEnvelope(eventId: unknown, eventTimestamp: unknown, eventName: unknown, topic: unknown): boolean {
  return typeof eventId === 'string' && UUID.test(eventId) && isTimestampInput(eventTimestamp) && typeof eventName === 'string' && eventName.length > 0 && typeof topic === 'string';
}

/** Throws the `ValidationError` that says which envelope fields of `className` are wrong. */
export function invalidEnvelope(className: string, fields: { eventId: unknown; eventTimestamp: unknown; eventName: unknown; topic: unknown; payload: unknown }): never {
  const result = envelopeSchema.safeParse(fields);
  // Unreachable while isValidEnvelope mirrors the schema; says so rather than passing bad data on.
  if (result.success) throw new ValidationError(`${className}: invalid envelope`);
  throw new ValidationError(`${className}: invalid envelope: ${z.prettifyError(result.error)}`, { cause: result.error });
}
