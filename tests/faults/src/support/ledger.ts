/** What a fault scenario counts, by event id. */
export interface LedgerCounts {
  readonly sent: number;
  readonly acknowledged: number;
  readonly rejected: number;
  readonly handled: number;
  readonly lost: number;
  readonly duplicated: number;
}

/**
 * Counts every event of a fault scenario by id: sent, acknowledged by the broker, rejected
 * with an error, handled by a consumer. Lost means acknowledged but never handled; duplicated,
 * handled more than once (allowed: delivery is at least once, and the count is reported).
 */
export class EventLedger {
  private readonly sentIds = new Set<string>();
  private readonly acked = new Set<string>();
  private readonly rejections = new Map<string, unknown>();
  private readonly handledTimes = new Map<string, number>();

  constructor(readonly scenario: string) {}

  /** A send of `id` began. */
  sent(id: string): void {
    this.sentIds.add(id);
  }

  /** The broker confirmed `id`. */
  acknowledged(id: string): void {
    this.acked.add(id);
  }

  /** Events a batch send put on the broker before the scenario began: sent and acknowledged. */
  published(events: readonly { readonly eventId: string }[]): void {
    for (const event of events) {
      this.sent(event.eventId);
      this.acknowledged(event.eventId);
    }
  }

  /** The send of `id` failed with `error`. */
  rejected(id: string, error: unknown): void {
    this.rejections.set(id, error);
  }

  /** A consumer handled `id` (once more). */
  handled(id: string): void {
    this.handledTimes.set(id, (this.handledTimes.get(id) ?? 0) + 1);
  }

  /** Ids handled at least once. */
  get handledIds(): ReadonlySet<string> {
    return new Set(this.handledTimes.keys());
  }

  /** Ids the broker acknowledged. */
  get acknowledgedIds(): ReadonlySet<string> {
    return this.acked;
  }

  /** The errors sends were rejected with. */
  get rejectionErrors(): readonly unknown[] {
    return [...this.rejections.values()];
  }

  /** Acknowledged ids no consumer handled. */
  lostIds(): string[] {
    return [...this.acked].filter((id) => !this.handledTimes.has(id));
  }

  /** Sends neither acknowledged nor rejected: a send that never settled. */
  unsettledIds(): string[] {
    return [...this.sentIds].filter((id) => !this.acked.has(id) && !this.rejections.has(id));
  }

  /** The counts, also printed so a run's figures can be read from its output. */
  counts(): LedgerCounts {
    const counts: LedgerCounts = {
      sent: this.sentIds.size,
      acknowledged: this.acked.size,
      rejected: this.rejections.size,
      handled: this.handledTimes.size,
      lost: this.lostIds().length,
      duplicated: [...this.handledTimes.values()].filter((times) => times > 1).length,
    };
    process.stdout.write(`[faults] ${this.scenario}: ${JSON.stringify(counts)}\n`);
    return counts;
  }
}
