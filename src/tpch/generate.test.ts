import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toStrings, type Batch } from '../common/vector.js'
import { DuckDbOracle } from './duckdb-oracle.js'
import { generateTables, tableBatches, type GeneratedTable } from './generate.js'
import { loadTpchQueries } from './queries.js'
import { sqlTypeName, TABLE_COLUMNS, type TableName } from './schema.js'
import {
  COLORS,
  CONTAINER_SYLLABLES,
  CURRENT_DATE,
  INSTRUCTIONS,
  LAST_ORDER_DATE,
  MODES,
  orderKeyOf,
  partSupplier,
  PRIORITIES,
  retailPriceCents,
  SEGMENTS,
  START_DATE,
  TYPE_SYLLABLES,
} from './spec.js'
import { writeDataset } from './write.js'

const SF = 0.01

function numbers(t: GeneratedTable, name: string): number[] {
  const i = t.columns.findIndex((c) => c.name === name)
  assert.ok(i >= 0, `no column ${name}`)
  const out: number[] = []
  for (const b of t.batches) for (const x of b.columns[i]!.values) out.push(x)
  return out
}

function strings(t: GeneratedTable, name: string): string[] {
  const i = t.columns.findIndex((c) => c.name === name)
  assert.ok(i >= 0, `no column ${name}`)
  const out: string[] = []
  for (const b of t.batches) for (const s of toStrings(b.columns[i]!)) out.push(s!)
  return out
}

const rowCount = (batches: readonly Batch[]): number => batches.reduce((n, b) => n + b.numRows, 0)

function assertRange(values: readonly number[], lo: number, hi: number, what: string): void {
  let min = Infinity
  let max = -Infinity
  for (const v of values) {
    if (v < min) min = v
    if (v > max) max = v
  }
  assert.ok(min >= lo && max <= hi, `${what}: [${min}, ${max}] not within [${lo}, ${hi}]`)
}

describe('TPC-H generator', () => {
  let tables: Map<TableName, GeneratedTable>
  const table = (name: TableName): GeneratedTable => tables.get(name)!

  before(() => {
    tables = generateTables(SF)
  })

  it('produces the specification cardinalities', () => {
    const expected: Partial<Record<TableName, number>> = {
      region: 5,
      nation: 25,
      supplier: 100,
      customer: 1500,
      part: 2000,
      partsupp: 8000,
      orders: 15000,
    }
    for (const [name, n] of Object.entries(expected)) assert.equal(rowCount(table(name as TableName).batches), n, name)
    const lines = rowCount(table('lineitem').batches)
    assert.ok(lines > 57000 && lines < 63000, `lineitem rows ${lines}`)
    for (const t of tables.values()) {
      for (const b of t.batches) {
        assert.equal(b.columns.length, t.columns.length)
        for (let c = 0; c < b.columns.length; c++) {
          assert.equal(b.columns[c]!.length, b.numRows)
          assert.deepEqual(b.columns[c]!.type, t.columns[c]!.type)
        }
      }
    }
  })

  it('keeps keys and relationships consistent', () => {
    const orderKeys = numbers(table('orders'), 'o_orderkey')
    orderKeys.forEach((k, i) => assert.equal(k, orderKeyOf(i)))
    assert.equal(orderKeys[8], 33, 'order keys are sparse: 8 of every 32')
    const custKeys = numbers(table('orders'), 'o_custkey')
    assertRange(custKeys, 1, 1500, 'o_custkey')
    assert.ok(custKeys.every((k) => k % 3 !== 0), 'no o_custkey divisible by 3')

    const psPart = numbers(table('partsupp'), 'ps_partkey')
    const psSupp = numbers(table('partsupp'), 'ps_suppkey')
    const pairs = new Set<number>()
    psPart.forEach((p, i) => {
      assert.equal(psSupp[i], partSupplier(p, i % 4, 100))
      pairs.add(p * 1000 + psSupp[i]!)
    })
    assert.equal(pairs.size, 8000, 'partsupp keys are unique')
    assertRange(psSupp, 1, 100, 'ps_suppkey')

    const lOrder = numbers(table('lineitem'), 'l_orderkey')
    const lPart = numbers(table('lineitem'), 'l_partkey')
    const lSupp = numbers(table('lineitem'), 'l_suppkey')
    const lNumber = numbers(table('lineitem'), 'l_linenumber')
    const orderSet = new Set(orderKeys)
    for (let i = 0; i < lOrder.length; i++) {
      assert.ok(orderSet.has(lOrder[i]!), 'l_orderkey references orders')
      assert.ok(pairs.has(lPart[i]! * 1000 + lSupp[i]!), 'l_partkey/l_suppkey references partsupp')
      assert.equal(lNumber[i], i > 0 && lOrder[i - 1] === lOrder[i] ? lNumber[i - 1]! + 1 : 1, 'line numbers count 1, 2, …')
    }
    assertRange(lNumber, 1, 7, 'l_linenumber')
    assert.equal(new Set(lOrder).size, 15000, 'every order has lines')
    assertRange(numbers(table('supplier'), 's_nationkey'), 0, 24, 's_nationkey')
    assertRange(numbers(table('customer'), 'c_nationkey'), 0, 24, 'c_nationkey')
    assert.deepEqual(numbers(table('nation'), 'n_regionkey').slice(0, 4), [0, 1, 1, 1])
  })

  it('keeps values within the specified ranges and derivations', () => {
    const li = table('lineitem')
    const qty = numbers(li, 'l_quantity')
    const price = numbers(li, 'l_extendedprice')
    const disc = numbers(li, 'l_discount')
    const tax = numbers(li, 'l_tax')
    const part = numbers(li, 'l_partkey')
    const ship = numbers(li, 'l_shipdate')
    const commit = numbers(li, 'l_commitdate')
    const receipt = numbers(li, 'l_receiptdate')
    const flag = strings(li, 'l_returnflag')
    const status = strings(li, 'l_linestatus')
    const lOrder = numbers(li, 'l_orderkey')
    assertRange(qty, 100, 5000, 'l_quantity (cents)')
    assert.ok(qty.every((q) => q % 100 === 0), 'quantities are whole numbers')
    assertRange(disc, 0, 10, 'l_discount (cents)')
    assertRange(tax, 0, 8, 'l_tax (cents)')
    const orderDate = new Map<number, number>()
    const od = numbers(table('orders'), 'o_orderdate')
    numbers(table('orders'), 'o_orderkey').forEach((k, i) => orderDate.set(k, od[i]!))
    assertRange(od, START_DATE, LAST_ORDER_DATE, 'o_orderdate')
    const totals = new Map<number, number>()
    const lineStatuses = new Map<number, string>()
    for (let i = 0; i < qty.length; i++) {
      assert.equal(price[i], (qty[i]! / 100) * retailPriceCents(part[i]!), 'extendedprice = quantity × retailprice')
      const o = orderDate.get(lOrder[i]!)!
      assert.ok(ship[i]! - o >= 1 && ship[i]! - o <= 121, 'shipdate offset')
      assert.ok(commit[i]! - o >= 30 && commit[i]! - o <= 90, 'commitdate offset')
      assert.ok(receipt[i]! - ship[i]! >= 1 && receipt[i]! - ship[i]! <= 30, 'receiptdate offset')
      assert.equal(status[i], ship[i]! > CURRENT_DATE ? 'O' : 'F')
      if (receipt[i]! <= CURRENT_DATE) assert.ok(flag[i] === 'R' || flag[i] === 'A')
      else assert.equal(flag[i], 'N')
      totals.set(lOrder[i]!, (totals.get(lOrder[i]!) ?? 0) + Math.round((price[i]! * (100 - disc[i]!) * (100 + tax[i]!)) / 10000))
      lineStatuses.set(lOrder[i]!, (lineStatuses.get(lOrder[i]!) ?? '') + status[i])
    }
    const flags = new Set(flag)
    assert.deepEqual([...flags].sort(), ['A', 'N', 'R'])
    const ok = numbers(table('orders'), 'o_orderkey')
    const total = numbers(table('orders'), 'o_totalprice')
    const ostatus = strings(table('orders'), 'o_orderstatus')
    ok.forEach((k, i) => {
      assert.equal(total[i], totals.get(k), 'o_totalprice = sum of line charges')
      const s = lineStatuses.get(k)!
      assert.equal(ostatus[i], /^F+$/.test(s) ? 'F' : /^O+$/.test(s) ? 'O' : 'P')
    })
    assert.deepEqual([...new Set(ostatus)].sort(), ['F', 'O', 'P'])
    assert.ok(strings(table('orders'), 'o_orderpriority').every((p) => PRIORITIES.includes(p)))
    assert.ok(strings(li, 'l_shipmode').every((m) => MODES.includes(m)))
    assert.ok(strings(li, 'l_shipinstruct').every((m) => INSTRUCTIONS.includes(m)))
    assert.ok(strings(table('orders'), 'o_clerk').every((c) => /^Clerk#0000000(0[1-9]|10)$/.test(c)))

    const p = table('part')
    const pk = numbers(p, 'p_partkey')
    numbers(p, 'p_retailprice').forEach((r, i) => assert.equal(r, retailPriceCents(pk[i]!)))
    assert.equal(retailPriceCents(1), 90100, 'p_retailprice of part 1 is 901.00')
    assertRange(numbers(p, 'p_size'), 1, 50, 'p_size')
    for (const name of strings(p, 'p_name')) {
      const words = name.split(' ')
      assert.equal(words.length, 5)
      assert.equal(new Set(words).size, 5)
      assert.ok(words.every((w) => COLORS.includes(w)), name)
    }
    const mfgr = strings(p, 'p_mfgr')
    strings(p, 'p_brand').forEach((b, i) => {
      assert.match(b, /^Brand#[1-5][1-5]$/)
      assert.equal(mfgr[i], `Manufacturer#${b[6]}`)
    })
    for (const t of strings(p, 'p_type')) {
      const w = t.split(' ')
      assert.ok(w.length === 3 && w.every((x, k) => TYPE_SYLLABLES[k]!.includes(x)), t)
    }
    for (const c of strings(p, 'p_container')) {
      const w = c.split(' ')
      assert.ok(w.length === 2 && w.every((x, k) => CONTAINER_SYLLABLES[k]!.includes(x)), c)
    }
    for (const tname of ['customer', 'supplier'] as const) {
      const t = table(tname)
      const prefix = tname[0]
      const nations = numbers(t, `${prefix}_nationkey`)
      strings(t, `${prefix}_phone`).forEach((ph, i) => {
        assert.match(ph, /^\d\d-\d{3}-\d{3}-\d{4}$/)
        assert.equal(Number(ph.slice(0, 2)), nations[i]! + 10, 'country code = nation + 10')
      })
      assertRange(numbers(t, `${prefix}_acctbal`), -99999, 999999, `${prefix}_acctbal`)
      for (const a of strings(t, `${prefix}_address`)) assert.ok(a.length >= 10 && a.length <= 40)
    }
    assert.ok(strings(table('customer'), 'c_mktsegment').every((s) => SEGMENTS.includes(s)))
    assertRange(numbers(table('partsupp'), 'ps_availqty'), 1, 9999, 'ps_availqty')
    assertRange(numbers(table('partsupp'), 'ps_supplycost'), 100, 100000, 'ps_supplycost')
    const lengths = (t: TableName, c: string, lo: number, hi: number): void => {
      for (const s of strings(table(t), c)) assert.ok(s.length >= lo && s.length <= hi, `${c} length ${s.length}`)
    }
    lengths('lineitem', 'l_comment', 10, 43)
    lengths('orders', 'o_comment', 19, 78)
    lengths('partsupp', 'ps_comment', 49, 198)
    lengths('part', 'p_comment', 5, 22)
    lengths('customer', 'c_comment', 29, 116)
    lengths('supplier', 's_comment', 25, 100)
  })

  it('writes comments that the query patterns match', () => {
    const special = strings(table('orders'), 'o_comment').filter((c) => /special.*requests/.test(c)).length
    assert.ok(special > 15000 * 0.001 && special < 15000 * 0.05, `'%special%requests%' matches ${special} of 15000 orders`)
    const comments = strings(table('supplier'), 's_comment')
    assert.equal(comments.filter((c) => /Customer.*Complaints/.test(c)).length, 1)
    assert.equal(comments.filter((c) => /Customer.*Recommends/.test(c)).length, 1)
  })

  it('is deterministic and independent of batch sizes', () => {
    const again = generateTables(SF)
    for (const [name, t] of tables) {
      const u = again.get(name)!
      for (const c of t.columns) {
        if (c.type.id === 'text') assert.deepEqual(strings(u, c.name), strings(t, c.name), `${name}.${c.name}`)
        else assert.deepEqual(numbers(u, c.name), numbers(t, c.name), `${name}.${c.name}`)
      }
    }
    const li = table('lineitem')
    const small: GeneratedTable = { columns: li.columns, batches: [...tableBatches('lineitem', SF, { batchSize: 1000 })] }
    assert.ok(small.batches.length > li.batches.length)
    for (const c of ['l_orderkey', 'l_suppkey', 'l_extendedprice', 'l_receiptdate']) assert.deepEqual(numbers(small, c), numbers(li, c), c)
    for (const c of ['l_comment', 'l_returnflag', 'l_shipmode']) assert.deepEqual(strings(small, c), strings(li, c), c)
    const other = generateTables(SF, { seed: 7 }).get('lineitem')!
    assert.notDeepEqual(numbers(other, 'l_partkey'), numbers(li, 'l_partkey'), 'another seed gives other data')
  })

  it('can allocate shared buffers', () => {
    const [batch] = [...tableBatches('supplier', SF, { shared: true })]
    assert.ok(batch !== undefined)
    for (const v of batch.columns) assert.ok(v.values.buffer instanceof SharedArrayBuffer)
  })
})

describe('TPC-H data files and DuckDB', function () {
  this.timeout(120000)
  let dir: string
  let db: DuckDbOracle

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flint-tpch-'))
    await writeDataset({ sf: SF, out: dir, formats: ['parquet', 'csv'] })
    db = await DuckDbOracle.open({ threads: 2 })
    await db.loadParquet(dir)
  })

  after(() => {
    db?.close()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it('writes Parquet with DECIMAL(15,2), DATE and INTEGER columns', async () => {
    const r = await db.query(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'lineitem' AND column_name IN ('l_orderkey', 'l_quantity', 'l_shipdate', 'l_comment') ORDER BY column_name",
    )
    assert.deepEqual(r.rows, [
      ['l_comment', 'VARCHAR'],
      ['l_orderkey', 'INTEGER'],
      ['l_quantity', 'DECIMAL(15,2)'],
      ['l_shipdate', 'DATE'],
    ])
    const counts = await db.query('SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM partsupp)')
    assert.deepEqual(counts.rows, [['15000', '8000']])
  })

  it('writes CSV that reads back equal to the Parquet files', async () => {
    for (const t of ['lineitem', 'supplier', 'orders'] as const) {
      const csv = join(dir, `${t}.csv`).replace(/'/g, "''")
      const columns = TABLE_COLUMNS[t].map((c) => `'${c.name}': '${sqlTypeName(c.type)}'`).join(', ')
      const r = await db.query(
        `SELECT count(*) FROM (SELECT * FROM read_csv('${csv}', header = true, auto_detect = false, columns = {${columns}}) EXCEPT ALL SELECT * FROM ${t})`,
      )
      assert.deepEqual(r.rows, [['0']], t)
      const n = await db.query(`SELECT count(*) = (SELECT count(*) FROM ${t}) FROM read_csv('${csv}', header = true)`)
      assert.deepEqual(n.rows, [[true]], t)
    }
  })

  it('gives every TPC-H query a non-empty, non-degenerate answer at SF 0.01', async () => {
    const counts: string[] = []
    for (const q of loadTpchQueries()) {
      const r = await db.query(q.sql)
      counts.push(`${q.name}=${r.rows.length}`)
      assert.ok(r.rows.length > 0, `${q.name} returned no rows`)
      const informative = r.rows.some((row) => row.some((v) => v !== null && v !== 0 && v !== '0'))
      assert.ok(informative, `${q.name} returned only NULLs and zeros`)
      if (q.name === 'q08') assert.ok(r.rows.some((row) => typeof row[1] === 'number' && row[1] > 0), 'q08 has a market share')
      if (q.name === 'q19') assert.notEqual(r.rows[0]![0], null, 'q19 has revenue')
    }
    assert.equal(counts.length, 22)
  })
})
