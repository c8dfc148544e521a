/**
 * Parquet files: schema and row-group statistics from the footer, column data decoded by
 * parquet-wasm (WASM, loaded once per thread) straight to Arrow and converted to Flint batches,
 * min/max row-group pruning, and an atomic streaming writer.
 *
 * Reading: `ParquetFile.stream({columns, rowGroups, batchSize: 65536})` yields one wasm record batch
 * at a time (never the whole file); each goes through Arrow IPC into apache-arrow (zero-copy views)
 * and storage/arrow.ts (tight loops, no per-value getters).
 * Statistics: the footer's Thrift is decoded with hyparquet's compact-protocol reader, and the raw
 * min/max bytes are decoded here exactly (decimals as text at their scale, int64 as numbers, or
 * bigints beyond 2^53, timestamps in microseconds).
 */
import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as A from 'apache-arrow'
import { deserializeTCompactProtocol } from 'hyparquet/src/thrift.js'
import { compareDecimal, decimalFromNumber, formatDecimal, parseDecimal, type Decimal } from '../common/decimal.js'
import { EngineError, ExecutionError, InternalError, NotImplementedError, PlanError, SqlState } from '../common/errors.js'
import { INT8_MAX, int8Value } from '../common/int8.js'
import { layoutOf, typeName, type SqlType } from '../common/types.js'
import type { Value } from '../common/value.js'
import { emptyBatch, type Batch, type Vector } from '../common/vector.js'
import { arrowFieldToSql, batchToArrow, sameColumns, vectorFromArrow, type ColumnDef } from './arrow.js'
import { atomicWrite, fileError, noSuchFile, resolveFiles, writeAll } from './files.js'

type ParquetWasm = typeof import('parquet-wasm')

let wasmModule: Promise<ParquetWasm> | undefined

/** The parquet-wasm module of this thread (instantiated on first use, once per thread). */
export function parquetWasm(): Promise<ParquetWasm> {
  wasmModule ??= import('parquet-wasm')
  return wasmModule
}

/** Min/max/null-count statistics of one column in one row group; null where the footer has none. */
export interface ColumnStatistics {
  /** Smallest non-NULL value (a Flint Value of the column's type), null when unknown. */
  readonly min: Value
  /** Largest non-NULL value, null when unknown. */
  readonly max: Value
  /** Number of NULLs, null when unknown. */
  readonly nullCount: number | null
}

/** One row group: its row count and per-column statistics (aligned with the file's columns). */
export interface RowGroupInfo {
  readonly numRows: number
  readonly columns: readonly ColumnStatistics[]
}

/** What the footer says about a Parquet file. Plain data: safe to post to worker threads. */
export interface ParquetMeta {
  readonly path: string
  readonly size: number
  readonly mtimeMs: number
  readonly numRows: number
  readonly columns: readonly ColumnDef[]
  readonly rowGroups: readonly RowGroupInfo[]
  readonly createdBy: string | null
  /** Indexes of columns whose data cannot be decoded faithfully (Parquet INTERVAL). */
  readonly unreadable: readonly number[]
}

/** Several files with one schema, read as one table. */
export interface ParquetTableMeta {
  readonly files: readonly ParquetMeta[]
  readonly columns: readonly ColumnDef[]
  readonly numRows: number
}

/** A conjunct of a scan filter usable for row-group pruning: `column op value`. */
export interface PruneConjunct {
  readonly column: number
  readonly op: '=' | '<' | '<=' | '>' | '>=' | 'is null' | 'is not null'
  readonly value: Value
}

/** Options of `pruneRowGroups`. */
export interface PruneOptions {
  /**
   * Whether text columns may be pruned for range comparisons (<, <=, >, >=). Parquet orders strings
   * by bytes, which is the "C" collation; equality pruning is valid under any deterministic one.
   */
  readonly textRanges?: boolean
}

/** Options of `readParquet`. */
export interface ReadParquetOptions {
  /** Columns to read (names or indexes), in output order; default all. */
  readonly columns?: readonly string[] | readonly number[]
  /** Row groups to read, default all. */
  readonly rowGroups?: readonly number[]
  /** Rows per decoded batch (default 65536). */
  readonly batchSize?: number
}

/** Options of `writeParquet`. */
export interface WriteParquetOptions {
  /** Maximum rows per row group (default 122880, DuckDB's). */
  readonly rowGroupSize?: number
  /** snappy (default), zstd, gzip, brotli, lz4, lz4_raw, uncompressed. */
  readonly compression?: string
}

// ---------------------------------------------------------------------------------------------
// Opening files
// ---------------------------------------------------------------------------------------------

interface OpenFile {
  readonly key: string
  readonly pf: import('parquet-wasm').ParquetFile
  readonly meta: ParquetMeta
}

const MAX_OPEN = 32
const openFiles = new Map<string, Promise<OpenFile>>()

const corrupt = (p: string, e: unknown): ExecutionError =>
  new ExecutionError('XX001', `invalid Parquet file "${p}": ${e instanceof Error ? e.message : String(e)}`)

async function statFile(p: string): Promise<fs.Stats> {
  try {
    const st = await fsp.stat(p)
    if (!st.isFile()) throw noSuchFile(p)
    return st
  } catch (e) {
    if (e instanceof EngineError) throw e
    throw fileError(e, p)
  }
}

/** Opens a Parquet file (cached per thread by path, size and mtime). */
async function openFile(p: string): Promise<OpenFile> {
  const st = await statFile(p)
  const key = `${p}\0${st.size}\0${st.mtimeMs}`
  let hit = openFiles.get(key)
  if (hit !== undefined) {
    openFiles.delete(key)
    openFiles.set(key, hit)
    return hit
  }
  hit = loadFile(p, st, key)
  openFiles.set(key, hit)
  hit.catch(() => openFiles.delete(key))
  while (openFiles.size > MAX_OPEN) {
    const oldest = openFiles.keys().next().value as string
    const victim = openFiles.get(oldest)
    openFiles.delete(oldest)
    victim?.then((f) => f.pf.free()).catch(() => undefined)
  }
  return hit
}

async function loadFile(p: string, st: fs.Stats, key: string): Promise<OpenFile> {
  const pw = await parquetWasm()
  const footer = await readFooter(p, st.size)
  let pf: import('parquet-wasm').ParquetFile
  let schema: A.Schema
  try {
    pf = await pw.ParquetFile.fromFile(await fs.openAsBlob(p))
    schema = A.tableFromIPC(pf.schema().intoIPCStream()).schema
  } catch (e) {
    throw corrupt(p, e)
  }
  const columns: ColumnDef[] = schema.fields.map((f) => {
    try {
      return { name: f.name, type: arrowFieldToSql(f) }
    } catch (e) {
      if (e instanceof NotImplementedError) throw new NotImplementedError(`column "${f.name}" of "${p}": ${e.message}`)
      throw e
    }
  })
  const meta = metaFromFooter(p, st, footer, columns)
  return { key, pf, meta }
}

async function readFooter(p: string, size: number): Promise<Uint8Array> {
  let fh: fsp.FileHandle
  try {
    fh = await fsp.open(p, 'r')
  } catch (e) {
    throw fileError(e, p)
  }
  try {
    if (size < 12) throw corrupt(p, new Error('file is too short'))
    const tail = new Uint8Array(8)
    await fh.read(tail, 0, 8, size - 8)
    const dv = new DataView(tail.buffer)
    if (dv.getUint32(4, true) !== 0x31524150) throw corrupt(p, new Error('no PAR1 magic at the end'))
    const len = dv.getUint32(0, true)
    if (len + 12 > size) throw corrupt(p, new Error('footer length exceeds the file'))
    const buf = new Uint8Array(len)
    await fh.read(buf, 0, len, size - 8 - len)
    return buf
  } finally {
    await fh.close()
  }
}

/** Parquet physical types. */
const enum Phys {
  BOOLEAN = 0,
  INT32 = 1,
  INT64 = 2,
  INT96 = 3,
  FLOAT = 4,
  DOUBLE = 5,
  BYTE_ARRAY = 6,
  FIXED_LEN_BYTE_ARRAY = 7,
}

const CONVERTED_INTERVAL = 21

type Thrift = { [key: `field_${number}`]: unknown }

function metaFromFooter(p: string, st: fs.Stats, footer: Uint8Array, columns: readonly ColumnDef[]): ParquetMeta {
  let raw: Thrift
  try {
    raw = deserializeTCompactProtocol({ view: new DataView(footer.buffer, footer.byteOffset, footer.byteLength), offset: 0 })
  } catch (e) {
    throw corrupt(p, e)
  }
  const schema = (raw.field_2 as Thrift[] | undefined) ?? []
  // top-level names whose leaf is a Parquet INTERVAL (arrow-rs drops their months)
  const intervalNames = new Set<string>()
  const unsignedNames = new Set<string>()
  {
    // walk the flattened schema tree: index 0 is the root
    let i = 1
    const walkNode = (top: string | null): void => {
      const el = schema[i++]
      if (el === undefined) return
      const name = decodeName(el.field_4)
      const owner = top ?? name
      const children = (el.field_5 as number | undefined) ?? 0
      if (children === 0) {
        if (el.field_6 === CONVERTED_INTERVAL) intervalNames.add(owner)
        const logical = el.field_10 as Thrift | undefined
        const intLogical = logical?.field_10 as Thrift | undefined
        const conv = el.field_6 as number | undefined
        if ((conv !== undefined && conv >= 11 && conv <= 14) || (intLogical !== undefined && intLogical.field_2 === false)) unsignedNames.add(owner)
      }
      for (let c = 0; c < children; c++) walkNode(owner)
    }
    const rootChildren = (schema[0]?.field_5 as number | undefined) ?? 0
    for (let c = 0; c < rootChildren; c++) walkNode(null)
  }
  const byName = new Map<string, number>()
  columns.forEach((c, i) => byName.set(c.name, i))
  const rowGroups: RowGroupInfo[] = []
  for (const rg of (raw.field_4 as Thrift[] | undefined) ?? []) {
    const numRows = Number(rg.field_3 as bigint)
    const stats: ColumnStatistics[] = columns.map(() => ({ min: null, max: null, nullCount: null }))
    for (const chunk of (rg.field_1 as Thrift[] | undefined) ?? []) {
      const md = chunk.field_3 as Thrift | undefined
      if (md === undefined) continue
      const pathParts = ((md.field_3 as Uint8Array[] | undefined) ?? []).map(decodeName)
      if (pathParts.length !== 1) continue
      const ci = byName.get(pathParts[0]!)
      if (ci === undefined) continue
      const s = md.field_12 as Thrift | undefined
      if (s === undefined) continue
      stats[ci] = decodeStats(s, md.field_1 as number, columns[ci]!.type, unsignedNames.has(pathParts[0]!))
    }
    rowGroups.push({ numRows, columns: stats })
  }
  const unreadable = columns.flatMap((c, i) => (intervalNames.has(c.name) ? [i] : []))
  const createdBy = raw.field_6 instanceof Uint8Array ? decodeName(raw.field_6) : null
  return {
    path: p,
    size: st.size,
    mtimeMs: st.mtimeMs,
    numRows: Number((raw.field_3 as bigint | undefined) ?? 0n),
    columns,
    rowGroups,
    createdBy,
    unreadable,
  }
}

const utf8 = new TextDecoder()
const decodeName = (b: unknown): string => (b instanceof Uint8Array ? utf8.decode(b) : String(b))

function decodeStats(s: Thrift, phys: number, type: SqlType, unsigned: boolean): ColumnStatistics {
  const nc = s.field_3 as bigint | undefined
  const nullCount = nc === undefined ? null : Number(nc)
  let minB = s.field_6 as Uint8Array | undefined
  let maxB = s.field_5 as Uint8Array | undefined
  // the deprecated min/max used signed comparison: trust them only where that order is right
  const legacyOk = !unsigned && phys !== Phys.BYTE_ARRAY && phys !== Phys.FIXED_LEN_BYTE_ARRAY && phys !== Phys.INT96
  if (minB === undefined && legacyOk) minB = s.field_2 as Uint8Array | undefined
  if (maxB === undefined && legacyOk) maxB = s.field_1 as Uint8Array | undefined
  let min: Value = null
  let max: Value = null
  if (minB !== undefined && maxB !== undefined) {
    min = decodeStat(minB, phys, type, unsigned)
    max = decodeStat(maxB, phys, type, unsigned)
    if (min === null || max === null) min = max = null
  }
  return { min, max, nullCount }
}

/** Decodes one statistics value to a Flint Value of `type`, or null when it cannot be exactly. */
function decodeStat(b: Uint8Array, phys: number, type: SqlType, unsigned: boolean): Value {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength)
  switch (type.id) {
    case 'bool':
      return phys === Phys.BOOLEAN && b.length >= 1 ? b[0] !== 0 : null
    case 'int2':
    case 'int4':
      if (phys !== Phys.INT32 || b.length !== 4) return null
      return unsigned ? dv.getUint32(0, true) : dv.getInt32(0, true)
    case 'int8': {
      let v: bigint
      if (phys === Phys.INT32 && b.length === 4) return unsigned ? dv.getUint32(0, true) : dv.getInt32(0, true)
      if (phys !== Phys.INT64 || b.length !== 8) return null
      v = unsigned ? dv.getBigUint64(0, true) : dv.getBigInt64(0, true)
      return v > INT8_MAX ? null : int8Value(v)
    }
    case 'float4':
    case 'float8': {
      let x: number
      if (phys === Phys.FLOAT && b.length === 4) x = dv.getFloat32(0, true)
      else if (phys === Phys.DOUBLE && b.length === 8) x = dv.getFloat64(0, true)
      else return null
      if (Number.isNaN(x)) return null
      // a 0 bound may stand for -0 or +0 in the data; both compare equal in SQL
      return x
    }
    case 'numeric': {
      if (type.scale === null) return null
      let u: bigint
      if (phys === Phys.INT32 && b.length === 4) u = BigInt(dv.getInt32(0, true))
      else if (phys === Phys.INT64 && b.length === 8) u = dv.getBigInt64(0, true)
      else if ((phys === Phys.BYTE_ARRAY || phys === Phys.FIXED_LEN_BYTE_ARRAY) && b.length > 0) {
        u = 0n
        for (const byte of b) u = (u << 8n) | BigInt(byte)
        if (b[0]! & 0x80) u -= 1n << BigInt(8 * b.length)
      } else return null
      return formatDecimal({ unscaled: u, scale: type.scale })
    }
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'json':
      return phys === Phys.BYTE_ARRAY || phys === Phys.FIXED_LEN_BYTE_ARRAY ? utf8.decode(b) : null
    case 'date':
      if (phys === Phys.INT32 && b.length === 4) return dv.getInt32(0, true)
      return null
    case 'timestamp':
    case 'timestamptz':
    case 'time': {
      // the unit is not known here: it is recovered by the caller; see statsUnit
      if (phys === Phys.INT64 && b.length === 8) return Number(dv.getBigInt64(0, true))
      if (phys === Phys.INT32 && b.length === 4 && type.id === 'time') return dv.getInt32(0, true)
      return null
    }
    default:
      return null
  }
}

/** Statistics of temporal columns are in the file's unit: convert them to microseconds. */
function fixTemporalStats(meta: ParquetMeta, schema: A.Schema): ParquetMeta {
  const mults: (number | null)[] = schema.fields.map((f) => {
    const t = f.type
    if (t.typeId === A.Type.Timestamp || t.typeId === A.Type.Time) {
      const unit = (t as A.Timestamp | A.Time).unit
      return unit === A.TimeUnit.SECOND ? 1e6 : unit === A.TimeUnit.MILLISECOND ? 1e3 : unit === A.TimeUnit.MICROSECOND ? 1 : 1e-3
    }
    return null
  })
  if (mults.every((m) => m === null)) return meta
  const rowGroups = meta.rowGroups.map((rg) => ({
    numRows: rg.numRows,
    columns: rg.columns.map((s, i) => {
      const m = mults[i]
      if (m === null || m === undefined || s.min === null || s.max === null) return s
      const lo = Math.floor((s.min as number) * m)
      const hi = Math.floor((s.max as number) * m)
      if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) return { min: null, max: null, nullCount: s.nullCount }
      // nanosecond bounds went through a double: widen by one microsecond to stay conservative
      return m < 1 ? { min: lo - 1, max: hi + 1, nullCount: s.nullCount } : { min: lo, max: hi, nullCount: s.nullCount }
    }),
  }))
  return { ...meta, rowGroups }
}

const metaCache = new WeakMap<OpenFile, ParquetMeta>()

/** Schema, row groups and statistics of a Parquet file (58P01 when it does not exist). */
export async function openParquet(path: string): Promise<ParquetMeta> {
  const f = await openFile(path)
  const hit = metaCache.get(f)
  if (hit !== undefined) return hit
  const schema = A.tableFromIPC(f.pf.schema().intoIPCStream()).schema
  const meta = fixTemporalStats(f.meta, schema)
  metaCache.set(f, meta)
  return meta
}

/**
 * Opens every file a location names (a file, a directory, or a glob: see resolveFiles) as one
 * table; the files' columns must agree (42804 otherwise).
 */
export async function openParquetTable(pattern: string): Promise<ParquetTableMeta> {
  const paths = await resolveFiles(pattern, { extensions: ['.parquet'] })
  const files: ParquetMeta[] = []
  for (const p of paths) files.push(await openParquet(p))
  const first = files[0]!
  for (const f of files.slice(1)) {
    if (!sameColumns(first.columns, f.columns)) {
      throw new PlanError(
        SqlState.datatypeMismatch,
        `schema of Parquet file "${f.path}" (${describeColumns(f.columns)}) does not match "${first.path}" (${describeColumns(first.columns)})`,
      )
    }
  }
  return { files, columns: first.columns, numRows: files.reduce((s, f) => s + f.numRows, 0) }
}

const describeColumns = (cols: readonly ColumnDef[]): string => cols.map((c) => `${c.name} ${typeName(c.type)}`).join(', ')

// ---------------------------------------------------------------------------------------------
// Pruning
// ---------------------------------------------------------------------------------------------

/** Row groups (indexes) that may contain rows satisfying every conjunct (min/max pruning). */
export function pruneRowGroups(meta: ParquetMeta, conjuncts: readonly PruneConjunct[], opts: PruneOptions = {}): number[] {
  const out: number[] = []
  meta.rowGroups.forEach((rg, g) => {
    if (conjuncts.every((c) => mayMatch(rg, meta.columns[c.column]?.type, c, opts))) out.push(g)
  })
  return out
}

function mayMatch(rg: RowGroupInfo, type: SqlType | undefined, c: PruneConjunct, opts: PruneOptions): boolean {
  const s = rg.columns[c.column]
  if (type === undefined || s === undefined) return true
  if (rg.numRows === 0) return false
  if (c.op === 'is null') return s.nullCount === null || s.nullCount > 0
  if (c.op === 'is not null') return s.nullCount === null || s.nullCount < rg.numRows
  if (c.value === null) return false // comparison with NULL is never true
  if (s.nullCount !== null && s.nullCount >= rg.numRows) return false
  if (s.min === null || s.max === null) return true
  const isFloat = type.id === 'float4' || type.id === 'float8'
  if (isFloat && typeof c.value === 'number' && Number.isNaN(c.value)) return true
  const isText = layoutOf(type) === 'utf8' && type.id !== 'numeric'
  if (isText && c.op !== '=' && opts.textRanges === false) return true
  const cmp = comparator(type)
  if (cmp === null) return true
  let lo: number
  let hi: number
  try {
    lo = cmp(s.min, c.value)
    hi = cmp(s.max, c.value)
  } catch {
    return true
  }
  switch (c.op) {
    case '=':
      return lo <= 0 && hi >= 0
    case '<':
      return lo < 0
    case '<=':
      return lo <= 0
    // PostgreSQL orders NaN above every number and statistics leave NaN out: keep float groups
    case '>':
      return isFloat || hi > 0
    case '>=':
      return isFloat || hi >= 0
  }
}

type Cmp = (a: Value, b: Value) => number

function comparator(type: SqlType): Cmp | null {
  switch (type.id) {
    case 'bool':
      return (a, b) => Number(a) - Number(b)
    case 'int2':
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
    case 'date':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      return (a, b) => {
        if (typeof b === 'string') return compareDecimal(toDecimal(a), toDecimal(b))
        const x = a as number
        const y = b as number
        return x < y ? -1 : x > y ? 1 : 0
      }
    case 'numeric':
      return (a, b) => compareDecimal(toDecimal(a), toDecimal(b))
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'json':
      return (a, b) => compareUtf8(String(a), String(b))
    default:
      return null
  }
}

function toDecimal(v: Value): Decimal {
  if (typeof v === 'number') return decimalFromNumber(v)
  if (typeof v === 'bigint') return { unscaled: v, scale: 0 }
  if (typeof v === 'string') return parseDecimal(v)
  if (typeof v === 'boolean') return decimalFromNumber(v ? 1 : 0)
  throw new InternalError('not a number')
}

/** Compares strings in UTF-8 byte order (Parquet's order for BYTE_ARRAY statistics). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    // surrogates (U+10000 and above) sort after U+E000–U+FFFF in UTF-8 but before them in UTF-16
    const sx = x >= 0xd800 && x <= 0xdfff
    const sy = y >= 0xd800 && y <= 0xdfff
    if (sx !== sy) return sx ? 1 : -1
    return x < y ? -1 : 1
  }
  return a.length - b.length
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

function columnIndexes(meta: ParquetMeta, columns: ReadParquetOptions['columns']): number[] {
  if (columns === undefined) return meta.columns.map((_, i) => i)
  return (columns as readonly (string | number)[]).map((c) => {
    if (typeof c === 'number') {
      if (c < 0 || c >= meta.columns.length) throw new InternalError(`column index ${c} out of range for "${meta.path}"`)
      return c
    }
    const i = meta.columns.findIndex((x) => x.name === c)
    if (i < 0) throw new PlanError(SqlState.undefinedColumn, `column "${c}" does not exist in "${meta.path}"`)
    return i
  })
}

/**
 * Streams the requested columns of the requested row groups as Flint batches (at most `batchSize`
 * rows each; batches never span row groups). Columns come in the requested order.
 */
export async function* readParquet(path: string, opts: ReadParquetOptions = {}): AsyncGenerator<Batch> {
  const f = await openFile(path)
  const meta = f.meta
  const idx = columnIndexes(meta, opts.columns)
  for (const i of idx) {
    if (meta.unreadable.includes(i)) {
      throw new NotImplementedError(`reading Parquet INTERVAL column "${meta.columns[i]!.name}" is not supported`)
    }
  }
  const groups = opts.rowGroups ?? meta.rowGroups.map((_, g) => g)
  for (const g of groups) {
    if (g < 0 || g >= meta.rowGroups.length) throw new InternalError(`row group ${g} out of range for "${path}"`)
  }
  const batchSize = opts.batchSize ?? 65536
  if (groups.length === 0) return
  if (idx.length === 0) {
    // no columns (count(*)): the footer has the row counts
    for (const g of groups) {
      const n = meta.rowGroups[g]!.numRows
      for (let start = 0; start < n; start += batchSize) yield { numRows: Math.min(batchSize, n - start), columns: [] }
    }
    return
  }
  const wanted = [...new Set(idx)]
  const names = wanted.map((i) => meta.columns[i]!.name)
  let stream: ReadableStream<import('parquet-wasm').RecordBatch>
  try {
    stream = (await f.pf.stream({ columns: names, rowGroups: [...groups], batchSize })) as ReadableStream<import('parquet-wasm').RecordBatch>
  } catch (e) {
    throw corrupt(path, e)
  }
  const reader = stream.getReader()
  try {
    for (;;) {
      let r: Awaited<ReturnType<typeof reader.read>>
      try {
        r = await reader.read()
      } catch (e) {
        throw corrupt(path, e)
      }
      if (r.done) break
      const wb = r.value
      let ipc: Uint8Array
      try {
        ipc = wb.intoIPCStream()
      } catch (e) {
        throw corrupt(path, e)
      }
      const table = A.tableFromIPC(ipc)
      const pos = new Map<string, number>()
      table.schema.fields.forEach((fl, k) => pos.set(fl.name, k))
      for (const rb of table.batches) {
        const byIndex = new Map<number, Vector>()
        const columns = idx.map((i) => {
          const done = byIndex.get(i)
          if (done !== undefined) return done
          const col = meta.columns[i]!
          const k = pos.get(col.name)
          const data = k === undefined ? undefined : rb.data.children[k]
          if (data === undefined) throw new InternalError(`column "${col.name}" missing from decoded Parquet batch`)
          const v = vectorFromArrow(data as A.Data, col.type)
          byIndex.set(i, v)
          return v
        })
        yield { numRows: rb.numRows, columns }
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
}

/** Reads the given columns of every file of a table (files in order, all row groups). */
export async function* readParquetTable(meta: ParquetTableMeta, opts: Omit<ReadParquetOptions, 'rowGroups'> = {}): AsyncGenerator<Batch> {
  for (const f of meta.files) yield* readParquet(f.path, opts)
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

const codecs: Record<string, keyof typeof import('parquet-wasm').Compression> = {
  uncompressed: 'UNCOMPRESSED',
  none: 'UNCOMPRESSED',
  snappy: 'SNAPPY',
  gzip: 'GZIP',
  brotli: 'BROTLI',
  lz4: 'LZ4_RAW',
  lz4_raw: 'LZ4_RAW',
  zstd: 'ZSTD',
}

/**
 * Writes batches to a Parquet file atomically (temporary file in the same directory, fsync,
 * rename), streaming: row groups are encoded as the batches arrive. Returns the row count.
 */
export async function writeParquet(
  path: string,
  columns: readonly ColumnDef[],
  batches: Iterable<Batch> | AsyncIterable<Batch>,
  opts: WriteParquetOptions = {},
): Promise<{ rows: number }> {
  for (const c of columns) {
    if (c.type.id === 'interval' || (c.type.id === 'array' && c.type.element.id === 'interval')) {
      throw new NotImplementedError(`cannot write interval column "${c.name}" to Parquet`)
    }
  }
  const codecName = (opts.compression ?? 'snappy').toLowerCase()
  const codec = codecs[codecName]
  if (codec === undefined) throw new PlanError(SqlState.invalidParameterValue, `unrecognized Parquet compression "${opts.compression}"`)
  if (columns.length === 0) throw new NotImplementedError('cannot write a Parquet file without columns')
  const pw = await parquetWasm()
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression[codec])
    .setMaxRowGroupSize(opts.rowGroupSize ?? 122880)
    .setCreatedBy('flint')
    .build()
  const iter = toAsyncIterator(batches)
  const toWasm = (b: Batch): import('parquet-wasm').RecordBatch[] =>
    pw.Table.fromIPCStream(A.tableToIPC(new A.Table([batchToArrow(b, columns, 'portable')]), 'stream')).recordBatches()
  // the first non-empty batch decides between the streaming writer and an empty file
  let first: Batch | undefined
  for (;;) {
    const r = await iter.next()
    if (r.done === true) break
    if (r.value.numRows > 0) {
      first = r.value
      break
    }
  }
  if (first === undefined) {
    const empty = batchToArrow(emptyBatch(columns.map((c) => c.type)), columns, 'portable')
    const bytes = pw.writeParquet(pw.Table.fromIPCStream(A.tableToIPC(new A.Table([empty]), 'stream')), props)
    await atomicWrite(path, (fh) => writeAll(fh, bytes))
    return { rows: 0 }
  }
  let rows = 0
  let pending: Batch | undefined = first
  let failure: unknown
  const source = new ReadableStream<import('parquet-wasm').RecordBatch>({
    async pull(ctrl) {
      try {
        let b = pending
        pending = undefined
        while (b === undefined) {
          const r = await iter.next()
          if (r.done === true) {
            ctrl.close()
            return
          }
          if (r.value.numRows > 0) b = r.value
        }
        rows += b.numRows
        for (const w of toWasm(b)) ctrl.enqueue(w)
      } catch (e) {
        failure = e
        ctrl.error(e)
      }
    },
  })
  await atomicWrite(path, async (fh) => {
    let out: ReadableStream<Uint8Array>
    try {
      out = (await pw.transformParquetStream(source, props)) as ReadableStream<Uint8Array>
    } catch (e) {
      throw failure ?? wrapWriteError(path, e)
    }
    const reader = out.getReader()
    try {
      for (;;) {
        const r = await reader.read()
        if (r.done) break
        await writeAll(fh, r.value)
      }
    } catch (e) {
      throw failure ?? wrapWriteError(path, e)
    }
    if (failure !== undefined) throw failure
  })
  return { rows }
}

function wrapWriteError(p: string, e: unknown): EngineError {
  if (e instanceof EngineError) return e
  return new ExecutionError(SqlState.ioError, `could not write Parquet file "${p}": ${e instanceof Error ? e.message : String(e)}`)
}

function toAsyncIterator<T>(src: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> | Iterator<T> {
  if (Symbol.asyncIterator in src) return (src as AsyncIterable<T>)[Symbol.asyncIterator]()
  return (src as Iterable<T>)[Symbol.iterator]()
}
