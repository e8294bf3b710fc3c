/** `a > b` for offsets as decimal strings without leading zeros: longer is larger, else compare text. */
function isAfter(a: string, b: string): boolean {
  return a.length === b.length ? a > b : a.length > b.length;
}

/**
 * Which offset of one partition is safe to commit. Offsets are tracked in delivery order and
 * completed in any order; the commit point is the first offset not yet done (or one past the
 * last, when all are), so a commit never skips a message still in progress, and gaps in the
 * numbering (compaction, transaction markers) don't matter. Offsets stay decimal strings, as
 * kafkajs gives them (int64 exceeds a JS number); only the commit point is computed.
 */
export class PartitionOffsetTracker {
  readonly #pending: string[] = [];
  readonly #done = new Set<string>();
  #head = 0;
  #lastDone: string | undefined;
  #committed: bigint | undefined;

  /** Registers a delivered offset; offsets must come in increasing order. */
  track(offset: string): void {
    const last = this.#pending.length > this.#head ? this.#pending[this.#pending.length - 1] : this.#lastDone;
    if (last !== undefined && !isAfter(offset, last)) throw new RangeError(`offset ${offset} was tracked out of order`);
    this.#pending.push(offset);
  }

  /** Marks a tracked offset done (acked, skipped or dead-lettered). */
  complete(offset: string): void {
    // The usual case, completion in order, touches no set.
    if (this.#pending[this.#head] !== offset) this.#done.add(offset);
    else this.#advance(offset);
    while (this.#head < this.#pending.length && this.#done.size > 0) {
      const head = this.#pending[this.#head] as string;
      if (!this.#done.delete(head)) break;
      this.#advance(head);
    }
    // Drop the finished prefix now and then instead of shifting on every completion.
    if (this.#head > 1024 && this.#head * 2 > this.#pending.length) {
      this.#pending.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** The last offset of the done prefix (every offset up to it is done), if any. */
  get lastDone(): string | undefined {
    return this.#lastDone;
  }

  /** Number of tracked offsets not done yet. */
  get inFlight(): number {
    return this.#pending.length - this.#head;
  }

  /** The offset to commit (the next one to read) if it moved since the last commit. */
  committable(): string | undefined {
    if (this.#lastDone === undefined) return undefined;
    const next = BigInt(this.#lastDone) + 1n;
    if (this.#committed !== undefined && next <= this.#committed) return undefined;
    return next.toString();
  }

  /** Records that `offset` (as returned by `committable`) was committed. */
  committed(offset: string): void {
    const value = BigInt(offset);
    if (this.#committed === undefined || value > this.#committed) this.#committed = value;
  }

  #advance(offset: string): void {
    this.#lastDone = offset;
    this.#head += 1;
  }
}
