/**
 * A store's statements, each prepared the first time it is used. A
 * command uses a handful of the dozens a store has, and preparing them
 * all cost about 7 ms on every open, most of a small command's work.
 */
export function preparedOnUse<T extends Record<string, () => unknown>>(makers: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const statements = {} as { [K in keyof T]: ReturnType<T[K]> };
  for (const name of Object.keys(makers) as Array<keyof T>) {
    Object.defineProperty(statements, name, {
      configurable: true,
      enumerable: true,
      get() {
        const made = makers[name]!() as ReturnType<T[typeof name]>;
        // From now on a plain property: the getter runs once.
        Object.defineProperty(statements, name, { value: made, enumerable: true });
        return made;
      },
    });
  }
  return statements;
}
