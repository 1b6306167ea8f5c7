/**
 * A property of plain objects that is computed on its first read, from a value stamped on each object.
 *
 * Used where millions of result rows each carry a list few callers read (an expression row's `wells`: three objects
 * and an array, about 190 bytes a row, 600 MB on a 10⁷-well study), and for a text import's `plate.wells` (the views
 * are made on the first read: plate/wellSource.ts). The property stays an own, enumerable property in its place
 * among the keys, so JSON.stringify, spread, structured clone, Object.keys and deep equality see the same object as
 * with a data property; the first read (or a write) turns it into a plain data property.
 *
 * The value and the function that makes the property from it live in private fields, stamped with the base-class
 * constructor's return-override (a class whose constructor returns the object it is given): invisible to every
 * reflection API, stored in the object itself (no side table), and one hidden class for all the objects, as is the
 * getter and setter pair shared by every property of one key.
 */

/** Returns its argument from the constructor, so that a derived class adds its private fields to that object. */
class Stamp {
  constructor(o: object) {
    return o;
  }
}

/** The stamp: the `make` of the lazy property and the value it is called with. */
class Stamped extends Stamp {
  #make: (s: unknown) => unknown;
  #s: unknown;
  constructor(o: object, make: (s: unknown) => unknown, s: unknown) {
    super(o);
    this.#make = make;
    this.#s = s;
  }
  static make(o: object): (s: unknown) => unknown { return (o as Stamped).#make; }
  static stamp(o: object): unknown { return (o as Stamped).#s; }
}

/** Attaches the lazy property to an object (once per object); `pending(o)` is o's stamp while the property is unread. */
export interface LazyAttach<S> {
  (o: object, s: S): void;
  pending(o: object): S | undefined;
}

/**
 * One accessor pair per key, shared by every `lazyProperty` of that key (the `make` is stamped on the object): the
 * objects of every call then share one hidden class. An accessor pair made per call gave each call's objects a new
 * branch of hidden classes, and after a few calls (an editor re-running expression) each attach took three times as
 * long.
 */
const DESCRIPTORS = new Map<string, PropertyDescriptor>();

function descriptorOf(key: string): PropertyDescriptor {
  let d = DESCRIPTORS.get(key);
  if (d) return d;
  const settle = (o: object, value: unknown): void => {
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  };
  d = {
    get(this: object): unknown {
      const value = Stamped.make(this)(Stamped.stamp(this));
      // A frozen object keeps its accessor (made again on each read); an assignment to it throws, as to a frozen data property.
      if (!Object.isFrozen(this)) settle(this, value);
      return value;
    },
    set(this: object, value: unknown): void {
      settle(this, value);
    },
    enumerable: true,
    configurable: true,
  };
  DESCRIPTORS.set(key, d);
  return d;
}

/**
 * `attach(o, s)` defines `key` on `o` (next in its key order, or in its place when `o` has it), whose first read
 * returns `make(s)` (then kept). An object takes one stamp.
 */
export function lazyProperty<T, S = number>(key: string, make: (s: S) => T): LazyAttach<S> {
  const descriptor = descriptorOf(key), made = make as (s: unknown) => unknown;
  const attach = (o: object, s: S): void => {
    new Stamped(o, made, s);
    Object.defineProperty(o, key, descriptor);
  };
  attach.pending = (o: object): S | undefined =>
    (Object.getOwnPropertyDescriptor(o, key)?.get === descriptor.get && Stamped.make(o) === made ? (Stamped.stamp(o) as S) : undefined);
  return attach;
}
