import type { Inbox, InboxOutcome } from './inbox';

/**
 * An inbox in process memory, for tests and examples: there is no transaction to share, so an
 * id is recorded once its work succeeded, and a second delivery of an id still in progress
 * waits for the first. Forgets everything on restart; production uses a database inbox.
 */
export class InMemoryInbox implements Inbox {
  readonly #done = new Set<string>();
  readonly #running = new Map<string, Promise<unknown>>();

  async once<T>(messageId: string, work: () => Promise<T>): Promise<InboxOutcome<T>> {
    for (let pending = this.#running.get(messageId); pending !== undefined; pending = this.#running.get(messageId)) {
      await pending.catch(() => undefined);
    }
    if (this.#done.has(messageId)) return { duplicate: true };
    const running = work();
    this.#running.set(messageId, running);
    try {
      const result = await running;
      this.#done.add(messageId);
      return { duplicate: false, result };
    } finally {
      this.#running.delete(messageId);
    }
  }

  /** Whether `messageId` was applied. */
  has(messageId: string): boolean {
    return this.#done.has(messageId);
  }
}
