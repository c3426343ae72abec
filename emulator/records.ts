// State records keyed by names that arrive in requests (group slugs, file paths, setting names) are read
// and written as own properties only, so a name such as `constructor`, `toString` or `__proto__` is data
// like any other, never a property every JavaScript object inherits.

/** The value stored under `key` itself; undefined when the record does not hold that key. */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Stores `value` under `key` (an assignment to `__proto__` would change the prototype instead). */
export function setOwn<V>(record: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
