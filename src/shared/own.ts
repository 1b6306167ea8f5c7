/**
 * A record's own value for a key, or undefined: for lookups by a name from a user's file (a study's function, option
 * or keyword, a target, a column). `rec[name]` would find Object.prototype's members for `constructor`, `toString`
 * or `__proto__`, so such a name would pass as known. Pure: no DOM, no node modules.
 */
export function own<T>(rec: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}
