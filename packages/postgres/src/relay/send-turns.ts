/** Hands the send turn to the next cycle waiting for it; calling it again does nothing. */
export type PassTurn = () => void;

/**
 * The cycles of one relay send in turn: a cycle takes the turn before it publishes and passes
 * it on once its next claim is on the wire (or when it stops claiming). Encoding a batch blocks
 * the event loop; if another cycle encoded its batch meanwhile, the first cycle's
 * acknowledgement, commit and next claim would wait behind it, and the cycles fall into step:
 * both claiming while the relay idles, then both sending while PostgreSQL idles.
 */
export class SendTurns {
  #last: Promise<void> = Promise.resolve();

  /** Waits for the turn; resolves to the function that passes it on. */
  take(): Promise<PassTurn> {
    let pass!: () => void;
    const mine = new Promise<void>((resolve) => (pass = resolve));
    const previous = this.#last;
    this.#last = mine;
    return previous.then(() => pass);
  }
}
