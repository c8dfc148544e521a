/**
 * Row keys for hashing (GROUP BY, joins, DISTINCT, set operations): each row's key columns become
 * one JS value usable as a Map key — the number itself for a single numeric column, a string
 * otherwise — with NULL tracked separately.
 */
import { fitsDouble, wideValues } from '../common/int8.js'
import { layoutOf } from '../common/types.js'
import { jsonKey, valueAt } from '../common/value.js'
import { decodeUtf8, isNull, type Vector } from '../common/vector.js'

/** Per-row keys of some columns, and whether each row has a NULL in them. */
export interface RowKeys {
  readonly keys: (number | string)[]
  /** 1 where at least one key column is NULL. */
  readonly hasNull: Uint8Array
}

const SEP = '\u0000'

/** Computes row keys. Equal keys ⇔ equal values, NULL equal to NULL only (bpchar ignores trailing spaces; -0 = 0). */
export function rowKeys(cols: readonly Vector[], n: number): RowKeys {
  const hasNull = new Uint8Array(n)
  for (const c of cols) {
    const bm = c.validity
    if (bm) for (let i = 0; i < n; i++) if (!((bm[i >> 3]! >> (i & 7)) & 1)) hasNull[i] = 1
  }
  const keys = new Array<number | string>(n)
  if (cols.length === 1) {
    const c = cols[0]!
    const layout = layoutOf(c.type)
    const wide = wideValues(c)
    if (wide !== null) {
      // exact int8 keys: the number when it fits a double (so narrow and wide vectors agree), else its digits
      for (let i = 0; i < n; i++) keys[i] = hasNull[i] ? SEP : int8KeyOf(wide[i]!)
      return { keys, hasNull }
    }
    if (layout !== 'utf8' && layout !== 'interval' && layout !== 'list') {
      const v = c.values
      // a NULL is its own key (a string never equals a number key), not the zero its slot holds
      for (let i = 0; i < n; i++) keys[i] = hasNull[i] ? SEP : v[i]! + 0
      return { keys, hasNull }
    }
  }
  const parts = cols.map((c) => partFn(c))
  for (let i = 0; i < n; i++) {
    let k = ''
    if (hasNull[i]) {
      // a NULL part is empty; the NULLs' positions, each after two more separators, set it apart from any value
      let tail = ''
      for (let p = 0; p < parts.length; p++) {
        const nul = isNull(cols[p]!, i)
        k += (p ? SEP : '') + (nul ? '' : parts[p]!(i))
        if (nul) tail += SEP + SEP + p
      }
      k += tail
    } else for (let p = 0; p < parts.length; p++) k += (p ? SEP : '') + parts[p]!(i)
    keys[i] = k
  }
  if (cols.length === 0) keys.fill('')
  return { keys, hasNull }
}

/** A single-column key of an exact int8. */
const int8KeyOf = (x: bigint): number | string => (fitsDouble(x) ? Number(x) : String(x))

function partFn(c: Vector): (i: number) => string {
  const layout = layoutOf(c.type)
  if (layout === 'utf8') {
    const off = c.offsets!
    const bytes = c.values as Uint8Array
    const bp = c.type.id === 'bpchar'
    if (c.type.id === 'numeric') {
      // unconstrained numerics keep their scale: 1.0 and 1.00 are one key
      return (i) => {
        const t = decodeUtf8(bytes, off[i]!, off[i + 1]!)
        const k = t.includes('.') ? t.replace(/\.?0+$/, '') : t
        return k === '-0' ? '0' : k
      }
    }
    return (i) => {
      let e = off[i + 1]!
      if (bp) while (e > off[i]! && bytes[e - 1] === 32) e--
      return decodeUtf8(bytes, off[i]!, e)
    }
  }
  if (layout === 'interval') {
    const v = c.values
    // equal when equal under PostgreSQL's 30-day-month normalisation
    return (i) => String((v[3 * i]! * 30 + v[3 * i + 1]!) * 86400e6 + v[3 * i + 2]!)
  }
  if (layout === 'list') return (i) => jsonKey(valueAt(c, i))
  const wide = wideValues(c)
  if (wide !== null) return (i) => String(wide[i]!)
  const v = c.values
  return (i) => String(v[i]! + 0)
}
