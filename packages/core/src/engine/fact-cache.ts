/**
 * Facts computed once per file and shared by every check that needs them, whatever the number of rules enabled.
 * A key is an object identity, so two modules can never collide on a string name.
 */
export interface FactKey<T> {
  readonly name: string;
  /** Phantom field: ties the key to the type of the fact it stores. */
  readonly __type?: T;
}

export function factKey<T>(name: string): FactKey<T> {
  return { name };
}

export class FactCache {
  readonly #facts = new Map<FactKey<unknown>, unknown>();

  get<T>(key: FactKey<T>, compute: () => T): T {
    // One lookup on the hot path; `has` only for a fact that is `undefined`.
    const known = this.#facts.get(key);
    if (known !== undefined || this.#facts.has(key)) return known as T;
    const value = compute();
    this.#facts.set(key, value);
    return value;
  }
}
