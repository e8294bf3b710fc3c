/** What `Inbox.once` did: ran the work and kept its result, or found the id recorded already. */
export type InboxOutcome<T> = { readonly duplicate: false; readonly result: T } | { readonly duplicate: true };

/**
 * Remembers which messages were applied [InboxProcessor]: `once` records the message id and
 * runs `work` in one transaction, so the id commits with the handler's writes or not at all,
 * and a redelivered message is recognised without running the handler again.
 */
export interface Inbox {
  /** Runs `work` unless `messageId` was recorded already; `work` throwing rolls the record back with it. */
  once<T>(messageId: string, work: () => Promise<T>): Promise<InboxOutcome<T>>;
}
