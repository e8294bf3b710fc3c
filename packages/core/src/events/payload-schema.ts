/**
 * Anything that validates untrusted data into a payload: a zod schema fits as it is.
 * `parse` throws when the data is invalid.
 */
export interface PayloadSchema<P> {
  parse(input: unknown): P;
}
