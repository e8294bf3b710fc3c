/**
 * Values a generated function needs but can't spell as a literal (sets, prototypes, shared
 * zero values, functions): each is passed in one array and referenced as `K[i]`.
 */
export class Constants {
  readonly values: unknown[] = [];
  readonly #index = new Map<unknown, number>();

  /** `K[i]` for `value`, added once. */
  ref(value: unknown): string {
    let index = this.#index.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.#index.set(value, index);
    }
    return `K[${index}]`;
  }

  /** A JavaScript expression for a field's zero or default value. */
  literal(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'boolean':
        return String(value);
      case 'bigint':
        return `${value}n`;
      case 'number':
        return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : this.ref(value);
      case 'undefined':
        return 'undefined';
      default:
        return this.ref(value);
    }
  }
}
