/**
 * Which offset of one partition is safe to commit. Offsets are tracked in delivery order and
 * completed in any order; the commit point is the first offset not yet done (or one past the
 * last, when all are), so a commit never skips a message still in progress, and gaps in the
 * numbering (compaction, transaction markers) don't matter.
 */
export class PartitionOffsetTracker {
  readonly #pending: bigint[] = [];
  readonly #done = new Set<bigint>();
  #head = 0;
  #next: bigint | undefined;
  #committed: bigint | undefined;

  /** Registers a delivered offset; offsets must come in increasing order. */
  track(offset: string): void {
    const value = BigInt(offset);
    const last = this.#pending[this.#pending.length - 1];
    if ((last !== undefined && value <= last) || (this.#next !== undefined && value < this.#next)) {
      throw new RangeError(`offset ${offset} was tracked out of order`);
    }
    this.#pending.push(value);
  }

  /** Marks a tracked offset done (acked, skipped or dead-lettered). */
  complete(offset: string): void {
    this.#done.add(BigInt(offset));
    while (this.#head < this.#pending.length) {
      const head = this.#pending[this.#head] as bigint;
      if (!this.#done.has(head)) break;
      this.#done.delete(head);
      this.#next = head + 1n;
      this.#head += 1;
    }
    // Drop the finished prefix now and then instead of shifting on every completion.
    if (this.#head > 1024 && this.#head * 2 > this.#pending.length) {
      this.#pending.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** Number of tracked offsets not done yet. */
  get inFlight(): number {
    return this.#pending.length - this.#head;
  }

  /** The offset to commit (the next one to read) if it moved since the last commit. */
  committable(): string | undefined {
    if (this.#next === undefined) return undefined;
    if (this.#committed !== undefined && this.#next <= this.#committed) return undefined;
    return this.#next.toString();
  }

  /** Records that `offset` (as returned by `committable`) was committed. */
  committed(offset: string): void {
    const value = BigInt(offset);
    if (this.#committed === undefined || value > this.#committed) this.#committed = value;
  }
}
