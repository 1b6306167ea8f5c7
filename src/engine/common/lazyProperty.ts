/**
 * A property of plain objects that is computed on its first read, from a value stamped on each object.
 *
 * Used where millions of result rows each carry a list few callers read (an expression row's `wells`: three objects
 * and an array, about 190 bytes a row, 600 MB on a 10⁷-well study). The property stays an own, enumerable property in
 * its place among the keys, so JSON.stringify, spread, structured clone, Object.keys and deep equality see the same
 * object as with a data property; the first read (or a write) turns it into a plain data property. Also used for a
text import's `plate.wells` (the views are made on the first read: plate/wellSource.ts).
 *
 * The number lives in a private field, stamped with the base-class constructor's return-override (a class whose
 * constructor returns the object it is given): invisible to every reflection API, stored in the object itself (no
 * side table), and one hidden class for all the objects, as is the shared getter and setter pair.
 */

/** Returns its argument from the constructor, so that a derived class adds its private fields to that object. */
class Stamp {
  constructor(o: object) {
    return o;
  }
}

class Stamped extends Stamp {
  #n: unknown;
  constructor(o: object, n: unknown) {
    super(o);
    this.#n = n;
  }
  static read(o: object): unknown {
    return (o as Stamped).#n;
  }
}

/** Attaches the lazy property to an object (once per object); `pending(o)` is o's stamp while the property is unread. */
export interface LazyAttach<S> {
  (o: object, s: S): void;
  pending(o: object): S | undefined;
}

/**
 * `attach(o, s)` defines `key` on `o` (next in its key order, or in its place when `o` has it), whose first read
 * returns `make(s)` (then kept). Every attach of one `lazyProperty` shares one descriptor. An object takes one stamp.
 */
export function lazyProperty<T, S = number>(key: string, make: (s: S) => T): LazyAttach<S> {
  const settle = (o: object, value: T): void => {
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  };
  const descriptor: PropertyDescriptor = {
    get(this: object): T {
      const value = make(Stamped.read(this) as S);
      // A frozen object keeps its accessor (made again on each read); an assignment to it throws, as to a frozen data property.
      if (!Object.isFrozen(this)) settle(this, value);
      return value;
    },
    set(this: object, value: T): void {
      settle(this, value);
    },
    enumerable: true,
    configurable: true,
  };
  const attach = (o: object, s: S): void => {
    new Stamped(o, s);
    Object.defineProperty(o, key, descriptor);
  };
  attach.pending = (o: object): S | undefined =>
    (Object.getOwnPropertyDescriptor(o, key)?.get === descriptor.get ? (Stamped.read(o) as S) : undefined);
  return attach;
}
