/**
 * Seeded pseudo-random streams for the TPC-H generator. Every generated column draws from its own
 * stream (seeded from the stream's name), so a column's values do not depend on how many draws
 * other columns make, nor on how the rows are cut into batches.
 */

/** 32-bit FNV-1a hash of a string (used to derive a stream's seed from its name). */
export function hashName(name: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** A pseudo-random stream (mulberry32: 32-bit state, full period 2^32). */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed | 0
  }

  /** A stream seeded from a name, e.g. 'lineitem.l_quantity', and a data-set seed. */
  static named(name: string, seed = 0): Rng {
    return new Rng(hashName(name) ^ Math.imul(seed, 0x9e3779b9))
  }

  /** The next unsigned 32-bit value. */
  nextU32(): number {
    const s = (this.state = (this.state + 0x6d2b79f5) | 0)
    let t = Math.imul(s ^ (s >>> 15), s | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  /** A uniformly distributed integer in [lo, hi] (inclusive; hi - lo < 2^32). */
  int(lo: number, hi: number): number {
    return lo + Math.floor((this.nextU32() * (hi - lo + 1)) / 4294967296)
  }

  /** A uniformly distributed double in [0, 1). */
  float(): number {
    return this.nextU32() / 4294967296
  }
}
