import { NotificationEvent } from '@cqrs/core';
import { z } from 'zod';

const Payload = z.object({ account: z.string(), amount: z.number() });

/** A deposit to an account: the inbox tests' event, applied by adding it to a table. */
export class Deposited extends NotificationEvent<z.infer<typeof Payload>> {
  static override readonly payloadSchema = Payload;
}

/** `count` deposits of 1 to accounts `acc-0` … `acc-9`, keyed by account, each with its own id. */
export function deposits(topic: string, count: number): Deposited[] {
  return Array.from({ length: count }, (_, i) => {
    const account = `acc-${i % 10}`;
    return new Deposited({ eventName: 'deposited', topic, key: account, payload: { account, amount: 1 } });
  });
}

/** The table each application of a deposit adds a row to, so applying one twice shows. */
export const appliedTable = (schema: string): string => `${schema}.applied`;

export const createAppliedTable = (schema: string): string =>
  `CREATE TABLE ${appliedTable(schema)} (event_id text NOT NULL, account text NOT NULL, amount integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`;

export const insertApplied = (schema: string): string => `INSERT INTO ${appliedTable(schema)} (event_id, account, amount) VALUES ($1, $2, $3)`;
