import type { DeserializeError } from './deserialize-error';

/** Where the bytes came from: decoded events take their topic from here. */
export interface DeserializeContext {
  readonly topic: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
}

/** What a deserializer yields: the event, a typed error, or `null` for an empty message. */
export type Decoded<E> = E | DeserializeError | null;

/** Turns bytes into an event [value_deserializer]. Never throws: bad bytes become a `DeserializeError`. */
export interface ValueDeserializer<E> {
  deserialize(data: Uint8Array | null | undefined, context: DeserializeContext): Decoded<E> | Promise<Decoded<E>>;
}
