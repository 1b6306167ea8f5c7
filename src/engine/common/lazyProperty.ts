/**
 * A property of many plain objects that is computed on its first read, from a number stamped on each object.
 *
 * Used where millions of result rows each carry a list few callers read (an expression row's `wells`: three objects
 * and an array, about 190 bytes a row, 600 MB on a 10⁷-well study). The property stays an own, enumerable property in
 * its place among the keys, so JSON.stringify, spread, structured clone, Object.keys and deep equality see the same
 * object as with a data property; the first read (or a write) turns it into a plain data property.
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
  #n: number;
  constructor(o: object, n: number) {
    super(o);
    this.#n = n;
  }
  static read(o: object): number {
    return (o as Stamped).#n;
  }
}

/**
 * `attach(o, n)` defines `key` on `o` (next in its key order), whose first read returns `make(n)` (then kept).
 * Every attach of one `lazyProperty` shares one descriptor.
 */
export function lazyProperty<T>(key: string, make: (n: number) => T): (o: object, n: number) => void {
  const settle = (o: object, value: T): void => {
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  };
  const descriptor: PropertyDescriptor = {
    get(this: object): T {
      const value = make(Stamped.read(this));
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
  return (o, n) => {
    new Stamped(o, n);
    Object.defineProperty(o, key, descriptor);
  };
}
