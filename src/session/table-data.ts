/**
 * In-memory table data: rows kept as chunks of SharedArrayBuffer-backed vectors (workers read them
 * without copies), appended to, rewritten by UPDATE/DELETE, and checked against NOT NULL and
 * PRIMARY KEY and UNIQUE constraints.
 */
import { execError, SqlState } from '../common/errors.js'
import type { TableData, TableDef } from '../catalog/catalog.js'
import { isNull, type Batch, type Values, type Vector } from '../common/vector.js'
import { concatBatches } from '../kernels/eval.js'
import { rowKeys } from '../operators/keys.js'
import { formatValue } from '../kernels/format.js'

/** Copies a vector's buffers into SharedArrayBuffers. */
export function toShared(v: Vector): Vector {
  const copy = <A extends Values | Int32Array | Uint8Array>(a: A): A => {
    if (a.buffer instanceof SharedArrayBuffer) return a
    const C = a.constructor as { new (b: SharedArrayBuffer): A; BYTES_PER_ELEMENT: number }
    const out = new C(new SharedArrayBuffer(Math.max(1, a.length) * C.BYTES_PER_ELEMENT))
    ;(out as unknown as { set(x: A): void }).set(a)
    return a.length === 0 ? (out.subarray(0, 0) as A) : out
  }
  return {
    type: v.type,
    length: v.length,
    values: copy(v.values),
    validity: v.validity ? copy(v.validity) : null,
    ...(v.offsets ? { offsets: copy(v.offsets) } : {}),
    ...(v.child ? { child: toShared(v.child) } : {}),
  }
}

/** Re-chunks batches into shared chunks of at most `chunkRows` rows. */
export function toSharedChunks(batches: readonly Batch[], chunkRows: number): Batch[] {
  const out: Batch[] = []
  for (const b of batches) {
    if (b.numRows === 0) continue
    if (b.numRows <= chunkRows) out.push({ numRows: b.numRows, columns: b.columns.map(toShared) })
    else {
      for (let s = 0; s < b.numRows; s += chunkRows) {
        const n = Math.min(chunkRows, b.numRows - s)
        const idx = Int32Array.from({ length: n }, (_, k) => s + k)
        const part = concatBatches(
          b.columns.map((c) => c.type),
          [{ numRows: n, columns: b.columns.map((c) => sliceOf(c, idx)) }],
        )
        out.push({ numRows: n, columns: part.columns.map(toShared) })
      }
    }
  }
  return out
}

import { take } from '../kernels/eval.js'
const sliceOf = (c: Vector, idx: Int32Array): Vector => take(c, idx)

/** Appends rows to table data (merging into the last chunk while it is small), checking NOT NULL, `checkRows` (CHECK constraints) and keys. */
export function appendRows(data: TableData, def: TableDef, rows: Batch, chunkRows: number, checkRows: (rows: Batch) => void = () => {}): TableData {
  checkNotNull(def, rows)
  checkRows(rows)
  if (rows.numRows === 0) return data
  const types = def.columns.map((c) => c.type)
  const chunks = [...data.chunks]
  const last = chunks[chunks.length - 1]
  let added: Batch[]
  if (last && last.numRows + rows.numRows <= chunkRows) {
    chunks.pop()
    added = toSharedChunks([concatBatches(types, [last, rows])], chunkRows)
  } else added = toSharedChunks([rows], chunkRows)
  const next: TableData = { chunks: [...chunks, ...added], rowCount: data.rowCount + rows.numRows }
  checkUniqueKeys(def, next)
  return next
}

/** Replaces all rows of a table, checking them as appendRows does. */
export function replaceRows(def: TableDef, rows: Batch, chunkRows: number, checkRows: (rows: Batch) => void = () => {}): TableData {
  checkNotNull(def, rows)
  checkRows(rows)
  const next: TableData = { chunks: toSharedChunks([rows], chunkRows), rowCount: rows.numRows }
  checkUniqueKeys(def, next)
  return next
}

function checkNotNull(def: TableDef, rows: Batch): void {
  def.columns.forEach((c, i) => {
    if (!c.notNull) return
    const v = rows.columns[i]!
    for (let r = 0; r < rows.numRows; r++) {
      if (isNull(v, r)) {
        throw execError(SqlState.notNullViolation, `null value in column "${c.name}" of relation "${def.name}" violates not-null constraint`)
      }
    }
  })
}

/** The primary key, UNIQUE constraints and unique indexes of a table, as keys checked for duplicates. */
function uniqueKeys(def: TableDef): { name: string; columns: readonly number[] }[] {
  const keys = def.primaryKey && def.primaryKey.length > 0 ? [{ name: `${def.name}_pkey`, columns: def.primaryKey }] : []
  return [...keys, ...(def.uniques ?? []), ...(def.indexes ?? []).filter((i) => i.unique)]
}

/**
 * The first row whose key duplicates an earlier row's, as `Key (a, b)=(1, x)` text; null when none.
 * Keys holding a NULL never conflict.
 */
export function duplicateKey(def: TableDef, data: TableData, columns: readonly number[]): string | null {
  const all = concatBatches(def.columns.map((c) => c.type), data.chunks)
  const cols = columns.map((i) => all.columns[i]!)
  const { keys, hasNull } = rowKeys(cols, all.numRows)
  const seen = new Set<number | string>()
  for (let r = 0; r < all.numRows; r++) {
    if (hasNull[r]) continue
    const k = keys[r]!
    if (seen.has(k)) return `Key (${columns.map((i) => def.columns[i]!.name).join(', ')})=(${cols.map((v) => formatValue(v, r)).join(', ')})`
    seen.add(k)
  }
  return null
}

/** 23505 when two rows share a key of the primary key, a UNIQUE constraint or a unique index. */
function checkUniqueKeys(def: TableDef, data: TableData): void {
  for (const con of uniqueKeys(def)) {
    const duplicate = duplicateKey(def, data, con.columns)
    if (duplicate !== null) throw execError(SqlState.uniqueViolation, `duplicate key value violates unique constraint "${con.name}"`, `${duplicate} already exists.`)
  }
}
