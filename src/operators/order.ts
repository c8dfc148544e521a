/**
 * Row order by ORDER BY keys with PostgreSQL's rules (ASC/DESC, NULLS FIRST/LAST), shared by
 * sorts, window functions and ordered aggregates.
 */
import { isNull, type Vector } from '../common/vector.js'
import { compareAt } from '../kernels/arith.js'

/** Compares rows x and y on key columns `cols` (evaluated), ordered as `keys` say; 0 when equal on all. */
export function compareByKeys(cols: readonly Vector[], keys: readonly { readonly desc: boolean; readonly nullsFirst: boolean }[], x: number, y: number): number {
  for (let k = 0; k < cols.length; k++) {
    const c = cols[k]!
    const key = keys[k]!
    const xn = isNull(c, x)
    const yn = isNull(c, y)
    if (xn || yn) {
      if (xn && yn) continue
      return (xn ? 1 : -1) * (key.nullsFirst ? -1 : 1)
    }
    const r = compareAt(c, x, c, y)
    if (r !== 0) return key.desc ? -r : r
  }
  return 0
}
