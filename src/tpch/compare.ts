/**
 * Compares query results from two engines value by value. Values may arrive as PostgreSQL text
 * ('123.45', '1998-09-02', '25.5000000000000000'), as JSON-ish values from DuckDB (decimals and
 * bigints as text, doubles as numbers, dates as text) or as JS numbers; both sides are normalised:
 * - exact numbers (decimal text, integers) compare exactly after rounding the side with more
 *   fractional digits to the other side's scale (so '3.00' = '3.0' and sums agree to the cent);
 * - when either side is a double (by column kind, a JS fraction, or exponent notation) the values
 *   compare with a relative tolerance of 1e-9;
 * - dates compare as YYYY-MM-DD, other values as strings.
 * Row order matters only when `ordered` is set (queries with ORDER BY).
 */

/** One value of a result row. */
export type Cell = string | number | bigint | boolean | Date | null

/** What a result column holds, when the producing engine says so. */
export type ColumnKind = 'decimal' | 'integer' | 'double' | 'date' | 'text' | 'other'

/** A result with column descriptions (e.g. from the DuckDB oracle). */
export interface QueryResult {
  readonly columns: readonly { readonly name: string; readonly kind: ColumnKind }[]
  readonly rows: readonly (readonly Cell[])[]
}

/** Options of compareResults. */
export interface CompareOptions {
  /** Compare rows in order (the query has ORDER BY); otherwise as multisets. */
  readonly ordered: boolean
  /** Relative tolerance for doubles (default 1e-9). */
  readonly tolerance?: number
  /** Column kinds, overriding those of `expected`. */
  readonly kinds?: readonly ColumnKind[]
  /** At most this many differences are listed (default 10). */
  readonly maxDifferences?: number
}

/** The outcome of a comparison. */
export interface Comparison {
  readonly equal: boolean
  /** Human-readable differences (empty when equal). */
  readonly differences: string[]
}

const exactRe = /^\s*([+-]?)(\d+)(?:\.(\d*))?\s*$/
const floatRe = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$|^\s*[+-]?(?:Infinity|NaN)\s*$/

interface Exact {
  readonly unscaled: bigint
  readonly scale: number
}

function parseExact(text: string): Exact | undefined {
  const m = exactRe.exec(text)
  if (m === null) return undefined
  const frac = m[3] ?? ''
  const u = BigInt(m[2]! + frac)
  return { unscaled: m[1] === '-' ? -u : u, scale: frac.length }
}

function roundTo(e: Exact, scale: number): bigint {
  if (scale >= e.scale) return e.unscaled * 10n ** BigInt(scale - e.scale)
  const div = 10n ** BigInt(e.scale - scale)
  let q = e.unscaled / div
  const r = e.unscaled % div
  if ((r < 0n ? -r : r) * 2n >= div) q += e.unscaled < 0n ? -1n : 1n
  return q
}

/** A cell as text ('' never stands for NULL; callers check null first). */
function cellText(c: Exclude<Cell, null>): string {
  if (c instanceof Date) return c.toISOString().slice(0, 10)
  if (typeof c === 'boolean') return c ? 't' : 'f'
  return String(c)
}

const isFractionalNumber = (c: Cell): boolean => typeof c === 'number' && !Number.isInteger(c)

/** True when the two cells are equal under the rules in the module comment. */
export function cellsEqual(expected: Cell, actual: Cell, kind: ColumnKind = 'other', tolerance = 1e-9): boolean {
  if (expected === null || actual === null) return expected === actual
  const et = cellText(expected)
  const at = cellText(actual)
  if (kind === 'text') return et === at
  if (kind === 'date') return et.slice(0, 10) === at.slice(0, 10)
  const ee = parseExact(et)
  const ae = parseExact(at)
  const numeric = (ee !== undefined || floatRe.test(et)) && (ae !== undefined || floatRe.test(at))
  if (!numeric) return et === at
  const approximate = kind === 'double' || isFractionalNumber(expected) || isFractionalNumber(actual) || ee === undefined || ae === undefined
  if (approximate) {
    const x = Number(et)
    const y = Number(at)
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) return true
    return Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y)) || Math.abs(x - y) < 1e-12
  }
  const scale = Math.min(ee.scale, ae.scale)
  return roundTo(ee, scale) === roundTo(ae, scale)
}

/** Orders cells for sorting rows of an unordered result: NULLs first, numbers by value, else text. */
function compareCells(a: Cell, b: Cell): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  const at = cellText(a)
  const bt = cellText(b)
  if (floatRe.test(at) && floatRe.test(bt)) {
    const x = Number(at)
    const y = Number(bt)
    return x < y ? -1 : x > y ? 1 : 0
  }
  return at < bt ? -1 : at > bt ? 1 : 0
}

function compareRows(a: readonly Cell[], b: readonly Cell[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareCells(a[i] ?? null, b[i] ?? null)
    if (c !== 0) return c
  }
  return a.length - b.length
}

const show = (c: Cell): string => (c === null ? 'NULL' : JSON.stringify(cellText(c)))

/** Compares an expected result (rows, or a QueryResult with column kinds) with an actual one. */
export function compareResults(
  expected: QueryResult | readonly (readonly Cell[])[],
  actual: QueryResult | readonly (readonly Cell[])[],
  opts: CompareOptions,
): Comparison {
  const expRows = 'rows' in expected ? expected.rows : expected
  const actRows = 'rows' in actual ? actual.rows : actual
  const names = 'columns' in expected ? expected.columns.map((c) => c.name) : undefined
  const kinds = opts.kinds ?? ('columns' in expected ? expected.columns.map((c) => c.kind) : [])
  const tolerance = opts.tolerance ?? 1e-9
  const max = opts.maxDifferences ?? 10
  const differences: string[] = []
  if (expRows.length !== actRows.length) differences.push(`expected ${expRows.length} rows, got ${actRows.length}`)
  const e = opts.ordered ? expRows : [...expRows].sort(compareRows)
  const a = opts.ordered ? actRows : [...actRows].sort(compareRows)
  const n = Math.min(e.length, a.length)
  let total = 0
  for (let r = 0; r < n; r++) {
    const er = e[r]!
    const ar = a[r]!
    if (er.length !== ar.length) {
      total++
      if (differences.length < max) differences.push(`row ${r + 1}: expected ${er.length} columns, got ${ar.length}`)
      continue
    }
    for (let c = 0; c < er.length; c++) {
      if (!cellsEqual(er[c] ?? null, ar[c] ?? null, kinds[c] ?? 'other', tolerance)) {
        total++
        if (differences.length < max) {
          const col = names?.[c] ?? `column ${c + 1}`
          differences.push(`row ${r + 1}, ${col}: expected ${show(er[c] ?? null)}, got ${show(ar[c] ?? null)}`)
        }
      }
    }
  }
  if (total > 0 && differences.length >= max) differences.push(`… ${total} differing values in all`)
  return { equal: differences.length === 0, differences }
}
