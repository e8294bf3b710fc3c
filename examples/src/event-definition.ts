// Event definition [Basic Event Definition, Event with Nested Payloads]: notification events with
// zod payload schemas (the pydantic models of the reference). Shows the defaults, immutability,
// the JSON form, parsing what a Python producer sends, and what validation refuses. The proto()
// mapping of the same events is in examples/src/protobuf/.
import 'reflect-metadata';
import { ValidationError } from '@cqrs/core';
import { UserCreatedEvent } from './shared/user-created';
import { UserCreatedWithAddressEvent } from './shared/user-created-with-address';

/** What the example did, for its test. */
export interface EventDefinitionSummary {
  readonly basic: UserCreatedEvent;
  readonly nested: UserCreatedWithAddressEvent;
  readonly fromPython: UserCreatedWithAddressEvent;
  readonly assignmentRefused: boolean;
  readonly validationErrors: readonly string[];
}

export async function main(): Promise<EventDefinitionSummary> {
  // Basic: eventId (UUID v4) and eventTimestamp are filled in.
  const basic = new UserCreatedEvent({
    eventName: 'user_created',
    topic: 'user_events',
    payload: { userId: '123', email: 'user@example.com', name: 'John Doe' },
  });
  console.log(`basic: ${basic.eventName} ${basic.eventId} at ${basic.eventTimestamp.toISOString()}`);

  // Nested payloads are frozen all the way down [frozen=True].
  const nested = new UserCreatedWithAddressEvent({
    eventName: 'user_created',
    topic: 'user_events',
    payload: {
      userId: '123',
      email: 'user@example.com',
      name: 'John Doe',
      address: { street: '1 Main St', city: 'Springfield', zipCode: '12345' },
    },
  });
  let assignmentRefused = false;
  try {
    (nested.payload.address as { city: string }).city = 'Shelbyville';
  } catch (error) {
    assignmentRefused = error instanceof TypeError;
  }
  console.log(`nested: address.city is still ${nested.payload.address.city} (assignment refused: ${assignmentRefused})`);

  // The wire form [model_dump(mode="json")]: a snake_case envelope, as python-cqrs writes it.
  console.log(`toJSON: ${JSON.stringify(nested)}`);

  // What a Python producer sends (snake_case envelope, naive timestamp with microseconds)
  // parses and validates into the same class.
  const fromPython = UserCreatedWithAddressEvent.parse({
    event_id: '5f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f',
    event_timestamp: '2024-05-01T12:00:00.123456+00:00',
    event_name: 'user_created',
    topic: 'user_events',
    payload: { userId: '456', email: 'jane@example.com', name: 'Jane Roe', address: { street: '2 Oak Ave', city: 'Portland', zipCode: '97201' } },
  });
  console.log(`parsed: ${fromPython.payload.name} in ${fromPython.payload.address.city}, ${fromPython.eventTimestamp.toISOString()}`);

  // Untrusted data that breaks the schema is refused with a ValidationError naming the field.
  const validationErrors: string[] = [];
  for (const payload of [
    { userId: '789', email: 'not-an-email', name: 'X', address: { street: 's', city: 'c', zipCode: '12345' } },
    { userId: '789', email: 'x@example.com', name: 'X', address: { street: 's', city: 'c', zipCode: 'ABC' } },
  ]) {
    try {
      UserCreatedWithAddressEvent.parse({ ...nested.toJSON(), payload });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      validationErrors.push(error.message);
      console.log(`refused: ${error.message.replace(/\n\s*/g, ' ')}`);
    }
  }
  return { basic, nested, fromPython, assignmentRefused, validationErrors };
}

if (require.main === module) void main();
