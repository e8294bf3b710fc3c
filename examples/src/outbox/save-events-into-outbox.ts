// Twin of python-cqrs's examples/save_events_into_outbox.py: a command handler raises two
// notification events, and they are saved to the outbox in the handler's own transaction,
// together with its write; nothing is published by `send()`. The handler reaches the
// transaction through the injected `PgTransaction` [the request-scoped OutboxedEventRepository].
//
//   bash scripts/services up postgres && eval "$(bash scripts/services env)"
//   node dist/outbox/save-events-into-outbox.js
import 'reflect-metadata';
import { ECSTEvent, EventRaisingHandler, NotificationEvent, Request, TsyringeContainer, bootstrap } from '@cqrs/core';
import { PgOutbox, PgTransaction, PgUnitOfWork, migrate, unitOfWorkMiddleware } from '@cqrs/postgres';
import type { PoolClient } from 'pg';
import { container, inject, injectable } from 'tsyringe';
import { poolOf, type OutboxExampleOptions } from './settings';

interface UserJoinedPayload {
  readonly userId: string;
  readonly meetingId: string;
}

/** [NotificationEvent[UserJoinedNotificationPayload]] */
class UserJoinedNotification extends NotificationEvent<UserJoinedPayload> {}
/** [NotificationEvent[UserJoinedECSTPayload]] */
class UserJoinedECST extends ECSTEvent<UserJoinedPayload> {}

/** [JoinMeetingCommand] */
class JoinMeetingCommand extends Request<void> {
  constructor(readonly userId: string, readonly meetingId: string) {
    super();
  }
}

/** [JoinMeetingCommandHandler]: its write and its events commit in one transaction. */
@injectable()
class JoinMeetingCommandHandler extends EventRaisingHandler<JoinMeetingCommand> {
  constructor(@inject(PgTransaction) private readonly tx: PgTransaction<PoolClient>, @inject('schema') private readonly schema: string) {
    super();
  }

  async handle(request: JoinMeetingCommand): Promise<void> {
    console.log(`User ${request.userId} joined meeting ${request.meetingId}`);
    await this.tx.client.query(`INSERT INTO ${this.schema}.meeting_participants (meeting_id, user_id) VALUES ($1, $2)`, [request.meetingId, request.userId]);
    const payload = { userId: request.userId, meetingId: request.meetingId };
    this.raise(new UserJoinedNotification({ eventName: 'user_joined_notification', topic: 'user_notification_events', payload }));
    this.raise(new UserJoinedECST({ eventName: 'user_joined_ecst', topic: 'user_ecst_events', payload }));
  }
}

/** What the example counted, for its test. */
export interface SaveEventsSummary {
  readonly participants: number;
  readonly notificationEvents: number;
  readonly ecstEvents: number;
}

export async function main(options: OutboxExampleOptions = {}): Promise<SaveEventsSummary> {
  const schema = options.schema ?? 'examples_outbox';
  const pool = poolOf(options);
  try {
    await migrate(pool, { schema });
    await pool.query(`CREATE TABLE IF NOT EXISTS ${schema}.meeting_participants (meeting_id text, user_id text, PRIMARY KEY (meeting_id, user_id))`);
    const meetingId = `meeting-${Date.now()}`;

    // The unit of work opens one transaction per send; its context goes into the container.
    const unitOfWork = new PgUnitOfWork<PoolClient>({ pool });
    const di = container.createChildContainer();
    di.registerInstance(PgTransaction, unitOfWork.transaction);
    di.registerInstance('schema', schema);
    const mediator = bootstrap({
      container: new TsyringeContainer(di),
      commandsMapper: (mapper) => mapper.bind(JoinMeetingCommand, JoinMeetingCommandHandler),
      middlewares: [unitOfWorkMiddleware(unitOfWork)],
      outbox: new PgOutbox({ transaction: unitOfWork.transaction, schema }),
    });

    for (const userId of ['1', '2', '3', '4']) await mediator.send(new JoinMeetingCommand(userId, meetingId));

    // Query events from the outbox by topic [repository.get_many(topic=...)].
    const byTopic = async (topic: string): Promise<number> => {
      const { rows } = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${schema}.cqrs_outbox WHERE aggregatetype = $1 AND convert_from(payload, 'UTF8')::jsonb->'payload'->>'meetingId' = $2`,
        [topic, meetingId],
      );
      return Number(rows[0]?.n ?? 0);
    };
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.meeting_participants WHERE meeting_id = $1`, [meetingId]);
    const summary = { participants: Number(rows[0]?.n ?? 0), notificationEvents: await byTopic('user_notification_events'), ecstEvents: await byTopic('user_ecst_events') };
    console.log(`There are ${summary.participants} users in the room`);
    console.log(`There are ${summary.notificationEvents} notification events in the outbox`);
    console.log(`There are ${summary.ecstEvents} ecst events in the outbox`);
    return summary;
  } finally {
    await pool.end();
  }
}

if (require.main === module) void main();
