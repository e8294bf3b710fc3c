import { fromBinary } from '@bufbuild/protobuf';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { UserCreatedEvent } from '@cqrs/test-fixtures';

/** `count` user-created events on `topic`, keyed over `keys` users so partitions and order matter. */
export function userEvents(topic: string, count: number, keys = 17): UserCreatedEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const userId = `user-${i % keys}`;
    return new UserCreatedEvent({ eventName: 'user_created', topic, key: userId, payload: { userId, email: `${userId}@example.com`, name: `User ${i}` } });
  });
}

/** The event id inside a JSON record value. */
export function eventIdOf(value: Buffer): string {
  const parsed = JSON.parse(value.toString('utf8')) as { event_id?: string; eventId?: string };
  const id = parsed.event_id ?? parsed.eventId;
  if (typeof id !== 'string') throw new Error(`no event id in ${value.toString('utf8').slice(0, 200)}`);
  return id;
}

/**
 * The event id inside a Confluent-framed `UserCreated` record: magic byte, 4-byte schema id,
 * message index `[0]` (one zero byte), then the Protobuf bytes.
 */
export function eventIdOfFramed(value: Buffer): string {
  if (value[0] !== 0 || value[5] !== 0) throw new Error(`not a Confluent-framed first message: ${value.subarray(0, 8).toString('hex')}`);
  return fromBinary(UserCreatedSchema, value.subarray(6)).eventId;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` over `items` with `concurrency` workers, each settling one item before taking the
 * next, as a service sending a stream of commands would.
 */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
