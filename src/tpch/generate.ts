/**
 * TPC-H data generator, following the population rules of the TPC-H specification (clause 4.2).
 * It writes straight into Flint vectors (typed arrays and UTF-8 buffers, no per-row objects) and
 * streams each table as a sequence of batches. Every column draws from its own seeded random
 * stream, so the data depends only on the scale factor (not on batch sizes or on which tables
 * are generated).
 */
import { InternalError } from '../common/errors.js'
import { T } from '../common/types.js'
import type { Batch, Vector } from '../common/vector.js'
import { asciiBytes, float64s, int32s, Utf8Builder } from './builders.js'
import { Rng } from './random.js'
import { MONEY, TABLE_COLUMNS, TABLE_NAMES, type ColumnDef, type TableName } from './schema.js'
import {
  cardinalities,
  COLORS,
  CONTAINER_SYLLABLES,
  CURRENT_DATE,
  INSTRUCTIONS,
  LAST_ORDER_DATE,
  MODES,
  NATIONS,
  orderKeyOf,
  partSupplier,
  PRIORITIES,
  REGIONS,
  retailPriceCents,
  SEGMENTS,
  START_DATE,
  TYPE_SYLLABLES,
  VSTRING_ALPHABET,
} from './spec.js'
import { textPool } from './text.js'

/** Options of the generator. */
export interface GenerateOptions {
  /** Target rows per batch (default 65536; lineitem batches vary with the lines per order). */
  readonly batchSize?: number
  /** Allocate column buffers in SharedArrayBuffers (for the worker pool). */
  readonly shared?: boolean
  /** Seed of all random streams (default DEFAULT_SEED); the same seed and SF give the same data. */
  readonly seed?: number
}

/** A generated table held in memory. */
export interface GeneratedTable {
  readonly columns: readonly ColumnDef[]
  readonly batches: readonly Batch[]
}

const DEFAULT_BATCH = 65536

/**
 * The default seed of the random streams. At SF 0.01 several queries select only about one row
 * (Q8's nation share, Q18's large orders, Q19's brand/container combinations, Q20's and Q21's
 * single-nation suppliers), so whether they return anything depends on the seed; with this one
 * all 22 queries return non-empty, non-degenerate answers at SF 0.01.
 */
export const DEFAULT_SEED = 49

/** Checks a scale factor (positive, at most 100, orders fit in int4). */
export function checkScaleFactor(sf: number): void {
  if (!Number.isFinite(sf) || sf <= 0 || sf > 100) throw new InternalError(`invalid TPC-H scale factor ${sf}: expected a number in (0, 100]`)
}

/** Generates one table as a stream of batches. */
export function* tableBatches(table: TableName, sf: number, opts: GenerateOptions = {}): Generator<Batch> {
  checkScaleFactor(sf)
  const ctx = context(sf, opts)
  switch (table) {
    case 'region':
      yield* region(ctx)
      return
    case 'nation':
      yield* nation(ctx)
      return
    case 'supplier':
      yield* supplier(ctx)
      return
    case 'customer':
      yield* customer(ctx)
      return
    case 'part':
      yield* part(ctx)
      return
    case 'partsupp':
      yield* partsupp(ctx)
      return
    case 'orders':
      for (const b of ordersAndLineitems(ctx, true, false)) yield b.orders!
      return
    case 'lineitem':
      for (const b of ordersAndLineitems({ ...ctx, batch: Math.max(1, Math.floor(ctx.batch / 4)) }, false, true)) yield b.lineitem!
      return
  }
}

/** Generates all eight tables in memory. */
export function generateTables(sf: number, opts: GenerateOptions = {}): Map<TableName, GeneratedTable> {
  checkScaleFactor(sf)
  const ctx = context(sf, opts)
  const out = new Map<TableName, GeneratedTable>()
  const orders: Batch[] = []
  const lineitem: Batch[] = []
  for (const name of TABLE_NAMES) {
    if (name === 'orders' || name === 'lineitem') continue
    out.set(name, { columns: TABLE_COLUMNS[name], batches: [...tableBatches(name, sf, opts)] })
  }
  // Orders and lineitem come from one pass (an order's status and total derive from its lines).
  for (const b of ordersAndLineitems({ ...ctx, batch: Math.max(1, Math.floor(ctx.batch / 4)) }, true, true)) {
    orders.push(b.orders!)
    lineitem.push(b.lineitem!)
  }
  out.set('orders', { columns: TABLE_COLUMNS.orders, batches: orders })
  out.set('lineitem', { columns: TABLE_COLUMNS.lineitem, batches: lineitem })
  return out
}

function context(sf: number, opts: GenerateOptions): Ctx {
  return { sf, seed: opts.seed ?? DEFAULT_SEED, batch: opts.batchSize ?? DEFAULT_BATCH, shared: opts.shared ?? false, pool: textPool() }
}

interface Ctx {
  readonly sf: number
  readonly seed: number
  readonly batch: number
  readonly shared: boolean
  readonly pool: Uint8Array
}

const batchOf = (numRows: number, columns: Vector[]): Batch => ({ numRows, columns })
const int4Vector = (values: Int32Array): Vector => ({ type: T.int4, length: values.length, values, validity: null })
const moneyVector = (values: Float64Array): Vector => ({ type: MONEY, length: values.length, values, validity: null })
const dateVector = (values: Int32Array): Vector => ({ type: T.date, length: values.length, values, validity: null })

/** A text-string column (clause 4.2.2.10): a random substring of the pool, length in [min, max]. */
class TextColumn {
  private readonly rng: Rng
  constructor(
    name: string,
    seed: number,
    private readonly min: number,
    private readonly max: number,
    private readonly pool: Uint8Array,
  ) {
    this.rng = Rng.named(name, seed)
  }
  builder(rows: number, shared: boolean): Utf8Builder {
    return new Utf8Builder(rows, (this.min + this.max) / 2 + 1, shared)
  }
  /** Appends one value (not ending the row). */
  append(b: Utf8Builder): void {
    const len = this.rng.int(this.min, this.max)
    const at = this.rng.int(0, this.pool.length - len)
    b.appendRange(this.pool, at, at + len)
  }
}

/** A random v-string (clause 4.2.2.7): alphabet characters, length uniform in [min, max]. */
class VStringColumn {
  private readonly rng: Rng
  private readonly alphabet = asciiBytes(VSTRING_ALPHABET)
  constructor(
    name: string,
    seed: number,
    private readonly min: number,
    private readonly max: number,
  ) {
    this.rng = Rng.named(name, seed)
  }
  append(b: Utf8Builder): void {
    const len = this.rng.int(this.min, this.max)
    b.reserve(len)
    const bytes = b.bytes
    let pos = b.pos
    for (let k = 0; k < len; k++) bytes[pos++] = this.alphabet[this.rng.nextU32() & 63]!
    b.pos = pos
  }
}

/** A column picking uniformly from a fixed word list. */
class ListColumn {
  private readonly rng: Rng
  private readonly words: Uint8Array[]
  constructor(name: string, seed: number, words: readonly string[]) {
    this.rng = Rng.named(name, seed)
    this.words = words.map(asciiBytes)
  }
  append(b: Utf8Builder): void {
    b.append(this.words[this.rng.int(0, this.words.length - 1)]!)
  }
}

/** Appends a phone number for a nation (clause 4.2.2.9): "CC-LLL-LLL-LLLL", CC = nation + 10. */
function appendPhone(b: Utf8Builder, nationKey: number, rng: Rng): void {
  b.appendPadded(nationKey + 10, 2)
  b.appendByte(0x2d)
  b.appendPadded(rng.int(100, 999), 3)
  b.appendByte(0x2d)
  b.appendPadded(rng.int(100, 999), 3)
  b.appendByte(0x2d)
  b.appendPadded(rng.int(1000, 9999), 4)
}

function* chunks(total: number, size: number): Generator<[start: number, count: number]> {
  for (let start = 0; start < total; start += size) yield [start, Math.min(size, total - start)]
}

function* region(ctx: Ctx): Generator<Batch> {
  const n = REGIONS.length
  const comment = new TextColumn('region.r_comment', ctx.seed, 31, 115, ctx.pool)
  const keys = int32s(n, ctx.shared)
  const names = new Utf8Builder(n, 12, ctx.shared)
  const comments = comment.builder(n, ctx.shared)
  for (let i = 0; i < n; i++) {
    keys[i] = i
    names.append(asciiBytes(REGIONS[i]!))
    names.endRow()
    comment.append(comments)
    comments.endRow()
  }
  yield batchOf(n, [int4Vector(keys), names.finish(T.text), comments.finish(T.text)])
}

function* nation(ctx: Ctx): Generator<Batch> {
  const n = NATIONS.length
  const comment = new TextColumn('nation.n_comment', ctx.seed, 31, 114, ctx.pool)
  const keys = int32s(n, ctx.shared)
  const regions = int32s(n, ctx.shared)
  const names = new Utf8Builder(n, 12, ctx.shared)
  const comments = comment.builder(n, ctx.shared)
  for (let i = 0; i < n; i++) {
    const [name, regionKey] = NATIONS[i]!
    keys[i] = i
    regions[i] = regionKey
    names.append(asciiBytes(name))
    names.endRow()
    comment.append(comments)
    comments.endRow()
  }
  yield batchOf(n, [int4Vector(keys), names.finish(T.text), int4Vector(regions), comments.finish(T.text)])
}

const SUPPLIER_PREFIX = asciiBytes('Supplier#')
const CUSTOMER_PREFIX = asciiBytes('Customer#')
const CLERK_PREFIX = asciiBytes('Clerk#')
const CUSTOMER_WORD = asciiBytes('Customer')
const COMPLAINTS_WORD = asciiBytes('Complaints')
const RECOMMENDS_WORD = asciiBytes('Recommends')

/**
 * The suppliers whose comment holds "Customer…Complaints" (1) or "Customer…Recommends" (2):
 * SF × 5 rows each (at least one), chosen at random (clause 4.2.3, S_COMMENT).
 */
function supplierRemarks(count: number, sf: number, seed: number): Map<number, 1 | 2> {
  const rng = Rng.named('supplier.s_comment.remarks', seed)
  const each = Math.min(Math.floor(count / 2), Math.max(1, Math.round(sf * 5)))
  const out = new Map<number, 1 | 2>()
  for (const kind of [1, 2] as const) {
    let placed = 0
    while (placed < each) {
      const row = rng.int(0, count - 1)
      if (out.has(row)) continue
      out.set(row, kind)
      placed++
    }
  }
  return out
}

function* supplier(ctx: Ctx): Generator<Batch> {
  const total = cardinalities(ctx.sf).supplier
  const address = new VStringColumn('supplier.s_address', ctx.seed, 10, 40)
  const nationRng = Rng.named('supplier.s_nationkey', ctx.seed)
  const phoneRng = Rng.named('supplier.s_phone', ctx.seed)
  const balanceRng = Rng.named('supplier.s_acctbal', ctx.seed)
  const comment = new TextColumn('supplier.s_comment', ctx.seed, 25, 100, ctx.pool)
  const remarkRng = Rng.named('supplier.s_comment.remark_position', ctx.seed)
  const remarks = supplierRemarks(total, ctx.sf, ctx.seed)
  for (const [start, n] of chunks(total, ctx.batch)) {
    const keys = int32s(n, ctx.shared)
    const nations = int32s(n, ctx.shared)
    const balances = float64s(n, ctx.shared)
    const names = new Utf8Builder(n, 18, ctx.shared)
    const addresses = new Utf8Builder(n, 26, ctx.shared)
    const phones = new Utf8Builder(n, 15, ctx.shared)
    const comments = comment.builder(n, ctx.shared)
    for (let i = 0; i < n; i++) {
      const key = start + i + 1
      keys[i] = key
      names.append(SUPPLIER_PREFIX)
      names.appendPadded(key, 9)
      names.endRow()
      address.append(addresses)
      addresses.endRow()
      const nationKey = nationRng.int(0, 24)
      nations[i] = nationKey
      appendPhone(phones, nationKey, phoneRng)
      phones.endRow()
      balances[i] = balanceRng.int(-99999, 999999)
      const begin = comments.pos
      comment.append(comments)
      const remark = remarks.get(start + i)
      if (remark !== undefined) {
        // Overwrite part of the comment with "Customer", some of the original text, then the word.
        const len = comments.pos - begin
        const word = remark === 1 ? COMPLAINTS_WORD : RECOMMENDS_WORD
        const gap = remarkRng.int(0, len - CUSTOMER_WORD.length - word.length)
        const at = begin + remarkRng.int(0, len - CUSTOMER_WORD.length - word.length - gap)
        comments.bytes.set(CUSTOMER_WORD, at)
        comments.bytes.set(word, at + CUSTOMER_WORD.length + gap)
      }
      comments.endRow()
    }
    yield batchOf(n, [
      int4Vector(keys),
      names.finish(T.text),
      addresses.finish(T.text),
      int4Vector(nations),
      phones.finish(T.text),
      moneyVector(balances),
      comments.finish(T.text),
    ])
  }
}

function* customer(ctx: Ctx): Generator<Batch> {
  const total = cardinalities(ctx.sf).customer
  const address = new VStringColumn('customer.c_address', ctx.seed, 10, 40)
  const nationRng = Rng.named('customer.c_nationkey', ctx.seed)
  const phoneRng = Rng.named('customer.c_phone', ctx.seed)
  const balanceRng = Rng.named('customer.c_acctbal', ctx.seed)
  const segment = new ListColumn('customer.c_mktsegment', ctx.seed, SEGMENTS)
  const comment = new TextColumn('customer.c_comment', ctx.seed, 29, 116, ctx.pool)
  for (const [start, n] of chunks(total, ctx.batch)) {
    const keys = int32s(n, ctx.shared)
    const nations = int32s(n, ctx.shared)
    const balances = float64s(n, ctx.shared)
    const names = new Utf8Builder(n, 18, ctx.shared)
    const addresses = new Utf8Builder(n, 26, ctx.shared)
    const phones = new Utf8Builder(n, 15, ctx.shared)
    const segments = new Utf8Builder(n, 10, ctx.shared)
    const comments = comment.builder(n, ctx.shared)
    for (let i = 0; i < n; i++) {
      const key = start + i + 1
      keys[i] = key
      names.append(CUSTOMER_PREFIX)
      names.appendPadded(key, 9)
      names.endRow()
      address.append(addresses)
      addresses.endRow()
      const nationKey = nationRng.int(0, 24)
      nations[i] = nationKey
      appendPhone(phones, nationKey, phoneRng)
      phones.endRow()
      balances[i] = balanceRng.int(-99999, 999999)
      segment.append(segments)
      segments.endRow()
      comment.append(comments)
      comments.endRow()
    }
    yield batchOf(n, [
      int4Vector(keys),
      names.finish(T.text),
      addresses.finish(T.text),
      int4Vector(nations),
      phones.finish(T.text),
      moneyVector(balances),
      segments.finish(T.text),
      comments.finish(T.text),
    ])
  }
}

const COLOR_BYTES = COLORS.map(asciiBytes)
const TYPE_BYTES = TYPE_SYLLABLES.map((list) => list.map(asciiBytes))
const CONTAINER_BYTES = CONTAINER_SYLLABLES.map((list) => list.map(asciiBytes))
const MFGR_PREFIX = asciiBytes('Manufacturer#')
const BRAND_PREFIX = asciiBytes('Brand#')

function* part(ctx: Ctx): Generator<Batch> {
  const total = cardinalities(ctx.sf).part
  const nameRng = Rng.named('part.p_name', ctx.seed)
  const mfgrRng = Rng.named('part.p_mfgr', ctx.seed)
  const brandRng = Rng.named('part.p_brand', ctx.seed)
  const typeRng = Rng.named('part.p_type', ctx.seed)
  const sizeRng = Rng.named('part.p_size', ctx.seed)
  const containerRng = Rng.named('part.p_container', ctx.seed)
  const comment = new TextColumn('part.p_comment', ctx.seed, 5, 22, ctx.pool)
  const picked = new Int32Array(5)
  for (const [start, n] of chunks(total, ctx.batch)) {
    const keys = int32s(n, ctx.shared)
    const sizes = int32s(n, ctx.shared)
    const prices = float64s(n, ctx.shared)
    const names = new Utf8Builder(n, 36, ctx.shared)
    const mfgrs = new Utf8Builder(n, 14, ctx.shared)
    const brands = new Utf8Builder(n, 8, ctx.shared)
    const types = new Utf8Builder(n, 22, ctx.shared)
    const containers = new Utf8Builder(n, 8, ctx.shared)
    const comments = comment.builder(n, ctx.shared)
    for (let i = 0; i < n; i++) {
      const key = start + i + 1
      keys[i] = key
      // Five distinct color words separated by single spaces.
      for (let w = 0; w < 5; w++) {
        let c: number
        let dup: boolean
        do {
          c = nameRng.int(0, COLOR_BYTES.length - 1)
          dup = false
          for (let k = 0; k < w; k++) if (picked[k] === c) dup = true
        } while (dup)
        picked[w] = c
        if (w > 0) names.appendByte(0x20)
        names.append(COLOR_BYTES[c]!)
      }
      names.endRow()
      const m = mfgrRng.int(1, 5)
      mfgrs.append(MFGR_PREFIX)
      mfgrs.appendPadded(m, 1)
      mfgrs.endRow()
      brands.append(BRAND_PREFIX)
      brands.appendPadded(m * 10 + brandRng.int(1, 5), 2)
      brands.endRow()
      for (let s = 0; s < 3; s++) {
        const list = TYPE_BYTES[s]!
        if (s > 0) types.appendByte(0x20)
        types.append(list[typeRng.int(0, list.length - 1)]!)
      }
      types.endRow()
      sizes[i] = sizeRng.int(1, 50)
      for (let s = 0; s < 2; s++) {
        const list = CONTAINER_BYTES[s]!
        if (s > 0) containers.appendByte(0x20)
        containers.append(list[containerRng.int(0, list.length - 1)]!)
      }
      containers.endRow()
      prices[i] = retailPriceCents(key)
      comment.append(comments)
      comments.endRow()
    }
    yield batchOf(n, [
      int4Vector(keys),
      names.finish(T.text),
      mfgrs.finish(T.text),
      brands.finish(T.text),
      types.finish(T.text),
      int4Vector(sizes),
      containers.finish(T.text),
      moneyVector(prices),
      comments.finish(T.text),
    ])
  }
}

function* partsupp(ctx: Ctx): Generator<Batch> {
  const card = cardinalities(ctx.sf)
  const availRng = Rng.named('partsupp.ps_availqty', ctx.seed)
  const costRng = Rng.named('partsupp.ps_supplycost', ctx.seed)
  const comment = new TextColumn('partsupp.ps_comment', ctx.seed, 49, 198, ctx.pool)
  for (const [start, parts] of chunks(card.part, Math.max(1, Math.floor(ctx.batch / 4)))) {
    const n = parts * 4
    const partKeys = int32s(n, ctx.shared)
    const suppKeys = int32s(n, ctx.shared)
    const avail = int32s(n, ctx.shared)
    const costs = float64s(n, ctx.shared)
    const comments = comment.builder(n, ctx.shared)
    let r = 0
    for (let p = 0; p < parts; p++) {
      const partKey = start + p + 1
      for (let s = 0; s < 4; s++, r++) {
        partKeys[r] = partKey
        suppKeys[r] = partSupplier(partKey, s, card.supplier)
        avail[r] = availRng.int(1, 9999)
        costs[r] = costRng.int(100, 100000)
        comment.append(comments)
        comments.endRow()
      }
    }
    yield batchOf(n, [int4Vector(partKeys), int4Vector(suppKeys), int4Vector(avail), moneyVector(costs), comments.finish(T.text)])
  }
}

const PRIORITY_BYTES = PRIORITIES.map(asciiBytes)
const CH_F = 0x46
const CH_O = 0x4f
const CH_P = 0x50
const CH_R = 0x52
const CH_A = 0x41
const CH_N = 0x4e

/** A one-byte-per-row utf8 vector. */
function charVector(chars: Uint8Array, n: number, shared: boolean): Vector {
  const offsets = int32s(n + 1, shared)
  for (let i = 0; i <= n; i++) offsets[i] = i
  const values = shared ? new Uint8Array(new SharedArrayBuffer(Math.max(1, n)), 0, n) : new Uint8Array(n)
  values.set(chars.subarray(0, n))
  return { type: T.text, length: n, values, validity: null, offsets }
}

/** Random streams of the orders and lineitem columns (one per column). */
class OrderStreams {
  readonly custkey: Rng
  readonly orderdate: Rng
  readonly priority: Rng
  readonly clerk: Rng
  readonly lines: Rng
  readonly partkey: Rng
  readonly suppkey: Rng
  readonly quantity: Rng
  readonly discount: Rng
  readonly tax: Rng
  readonly returnflag: Rng
  readonly shipdate: Rng
  readonly commitdate: Rng
  readonly receiptdate: Rng
  readonly instruct: ListColumn
  readonly mode: ListColumn
  readonly ocomment: TextColumn
  readonly lcomment: TextColumn
  constructor(seed: number, pool: Uint8Array) {
    const r = (name: string): Rng => Rng.named(name, seed)
    this.custkey = r('orders.o_custkey')
    this.orderdate = r('orders.o_orderdate')
    this.priority = r('orders.o_orderpriority')
    this.clerk = r('orders.o_clerk')
    this.lines = r('lineitem.count')
    this.partkey = r('lineitem.l_partkey')
    this.suppkey = r('lineitem.l_suppkey')
    this.quantity = r('lineitem.l_quantity')
    this.discount = r('lineitem.l_discount')
    this.tax = r('lineitem.l_tax')
    this.returnflag = r('lineitem.l_returnflag')
    this.shipdate = r('lineitem.l_shipdate')
    this.commitdate = r('lineitem.l_commitdate')
    this.receiptdate = r('lineitem.l_receiptdate')
    this.instruct = new ListColumn('lineitem.l_shipinstruct', seed, INSTRUCTIONS)
    this.mode = new ListColumn('lineitem.l_shipmode', seed, MODES)
    this.ocomment = new TextColumn('orders.o_comment', seed, 19, 78, pool)
    this.lcomment = new TextColumn('lineitem.l_comment', seed, 10, 43, pool)
  }
}

/**
 * Orders and their lines, `ctx.batch` orders a chunk. An order's status and total price derive
 * from its lines, so orders always computes the lines' numbers; the columns of a table that is
 * not wanted are skipped (their streams are per column, so the other values do not change).
 */
function* ordersAndLineitems(ctx: Ctx, wantOrders: boolean, wantLines: boolean): Generator<{ orders?: Batch; lineitem?: Batch }> {
  const card = cardinalities(ctx.sf)
  const S = card.supplier
  const P = card.part
  const C = card.customer
  const validCustomers = C - Math.floor(C / 3)
  const clerks = Math.max(1, Math.round(ctx.sf * 1000))
  const rs = new OrderStreams(ctx.seed, ctx.pool)
  const sh = ctx.shared
  for (const [start, n] of chunks(card.orders, ctx.batch)) {
    // Line counts first: they size the lineitem buffers.
    const counts = new Uint8Array(n)
    let lineRows = 0
    for (let i = 0; i < n; i++) lineRows += counts[i] = rs.lines.int(1, 7)

    const oKey = wantOrders ? int32s(n, sh) : null
    const oCust = wantOrders ? int32s(n, sh) : null
    const oStatus = wantOrders ? new Uint8Array(n) : null
    const oTotal = wantOrders ? float64s(n, sh) : null
    const oDate = wantOrders ? int32s(n, sh) : null
    const oPrio = wantOrders ? new Utf8Builder(n, 9, sh) : null
    const oClerk = wantOrders ? new Utf8Builder(n, 15, sh) : null
    const oShipPrio = wantOrders ? int32s(n, sh) : null
    const oComment = wantOrders ? rs.ocomment.builder(n, sh) : null

    const L = wantLines ? lineRows : 0
    const lOrder = int32s(L, sh)
    const lPart = int32s(L, sh)
    const lSupp = int32s(L, sh)
    const lNumber = int32s(L, sh)
    const lQty = float64s(L, sh)
    const lPrice = float64s(L, sh)
    const lDisc = float64s(L, sh)
    const lTax = float64s(L, sh)
    const lFlag = new Uint8Array(L)
    const lStatus = new Uint8Array(L)
    const lShip = int32s(L, sh)
    const lCommit = int32s(L, sh)
    const lReceipt = int32s(L, sh)
    const lInstruct = wantLines ? new Utf8Builder(L, 12, sh) : null
    const lMode = wantLines ? new Utf8Builder(L, 5, sh) : null
    const lComment = wantLines ? rs.lcomment.builder(L, sh) : null

    let r = 0
    for (let i = 0; i < n; i++) {
      const orderKey = orderKeyOf(start + i)
      const orderDate = rs.orderdate.int(START_DATE, LAST_ORDER_DATE)
      let totalCents = 0
      let shipped = 0
      const lines = counts[i]!
      for (let k = 0; k < lines; k++) {
        const partKey = rs.partkey.int(1, P)
        const qty = rs.quantity.int(1, 50)
        const disc = rs.discount.int(0, 10)
        const tax = rs.tax.int(0, 8)
        const shipDate = orderDate + rs.shipdate.int(1, 121)
        const receiptDate = shipDate + rs.receiptdate.int(1, 30)
        const priceCents = qty * retailPriceCents(partKey)
        // Each line's charge, extendedprice × (1 - discount) × (1 + tax), rounded to the cent.
        totalCents += Math.round((priceCents * (100 - disc) * (100 + tax)) / 10000)
        if (shipDate <= CURRENT_DATE) shipped++
        const flag = receiptDate <= CURRENT_DATE ? (rs.returnflag.int(0, 1) === 0 ? CH_R : CH_A) : CH_N
        if (wantLines) {
          lOrder[r] = orderKey
          lPart[r] = partKey
          lSupp[r] = partSupplier(partKey, rs.suppkey.int(0, 3), S)
          lNumber[r] = k + 1
          lQty[r] = qty * 100
          lPrice[r] = priceCents
          lDisc[r] = disc
          lTax[r] = tax
          lFlag[r] = flag
          lStatus[r] = shipDate > CURRENT_DATE ? CH_O : CH_F
          lShip[r] = shipDate
          lCommit[r] = orderDate + rs.commitdate.int(30, 90)
          lReceipt[r] = receiptDate
          rs.instruct.append(lInstruct!)
          lInstruct!.endRow()
          rs.mode.append(lMode!)
          lMode!.endRow()
          rs.lcomment.append(lComment!)
          lComment!.endRow()
          r++
        }
      }
      if (wantOrders) {
        oKey![i] = orderKey
        const c = rs.custkey.int(0, validCustomers - 1)
        oCust![i] = Math.floor(c / 2) * 3 + (c % 2) + 1
        oStatus![i] = shipped === lines ? CH_F : shipped === 0 ? CH_O : CH_P
        oTotal![i] = totalCents
        oDate![i] = orderDate
        oPrio!.append(PRIORITY_BYTES[rs.priority.int(0, PRIORITY_BYTES.length - 1)]!)
        oPrio!.endRow()
        oClerk!.append(CLERK_PREFIX)
        oClerk!.appendPadded(rs.clerk.int(1, clerks), 9)
        oClerk!.endRow()
        oShipPrio![i] = 0
        rs.ocomment.append(oComment!)
        oComment!.endRow()
      }
    }
    const out: { orders?: Batch; lineitem?: Batch } = {}
    if (wantOrders) {
      out.orders = batchOf(n, [
        int4Vector(oKey!),
        int4Vector(oCust!),
        charVector(oStatus!, n, sh),
        moneyVector(oTotal!),
        dateVector(oDate!),
        oPrio!.finish(T.text),
        oClerk!.finish(T.text),
        int4Vector(oShipPrio!),
        oComment!.finish(T.text),
      ])
    }
    if (wantLines) {
      out.lineitem = batchOf(L, [
        int4Vector(lOrder),
        int4Vector(lPart),
        int4Vector(lSupp),
        int4Vector(lNumber),
        moneyVector(lQty),
        moneyVector(lPrice),
        moneyVector(lDisc),
        moneyVector(lTax),
        charVector(lFlag, L, sh),
        charVector(lStatus, L, sh),
        dateVector(lShip),
        dateVector(lCommit),
        dateVector(lReceipt),
        lInstruct!.finish(T.text),
        lMode!.finish(T.text),
        lComment!.finish(T.text),
      ])
    }
    yield out
  }
}
