import { z } from 'zod';
import { ValidationError } from '../errors/errors';
import { isBareHex, isUuid } from './uuid-text';

/**
 * The UUID in `value` in its hyphenated form, or `undefined` when it is not one. Hyphenated
 * UUIDs are kept as they are; 32 bare hex digits (python-cqrs 5.x) get their hyphens and are
 * lower-cased, so one event has one id whichever service wrote it.
 */
export function normalizeUuid(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length === 36) return isUuid(value) ? value : undefined;
  if (!isBareHex(value)) return undefined;
  const hyphenated = `${value.slice(0, 8)}-${value.slice(8, 12)}-${value.slice(12, 16)}-${value.slice(16, 20)}-${value.slice(20)}`.toLowerCase();
  return isUuid(hyphenated) ? hyphenated : undefined;
}

/**
 * The envelope fields of a notification event as zod states them. `parse` does not run it per
 * event (a zod object costs microseconds per call); `isValidEnvelope` checks the same rules by
 * hand, and this schema only words the error once a check failed.
 */
const envelopeSchema = z.object({
  eventId: z.string().refine((value) => normalizeUuid(value) !== undefined, 'Invalid UUID: expected a hyphenated UUID or 32 hex digits'),
  eventTimestamp: z.union([z.date(), z.string().min(1), z.number()]),
  eventName: z.string().min(1),
  topic: z.string(),
  payload: z.unknown(),
});

/** What `z.union([z.date(), z.string().min(1), z.number()])` accepts. */
function isTimestampInput(value: unknown): value is Date | string | number {
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return Number.isFinite(value);
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** True when the fields (`eventId` already normalized) pass `envelopeSchema`, checked without building anything. */
export function isValidEnvelope(eventId: string | undefined, eventTimestamp: unknown, eventName: unknown, topic: unknown): eventId is string {
  return eventId !== undefined && isTimestampInput(eventTimestamp) && typeof eventName === 'string' && eventName.length > 0 && typeof topic === 'string';
}

/** Throws the `ValidationError` that says which envelope fields of `className` are wrong. */
export function invalidEnvelope(className: string, fields: { eventId: unknown; eventTimestamp: unknown; eventName: unknown; topic: unknown; payload: unknown }): never {
  const result = envelopeSchema.safeParse(fields);
  // Unreachable while isValidEnvelope mirrors the schema; says so rather than passing bad data on.
  if (result.success) throw new ValidationError(`${className}: invalid envelope`);
  throw new ValidationError(`${className}: invalid envelope: ${z.prettifyError(result.error)}`, { cause: result.error });
}
