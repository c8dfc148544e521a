import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { arrayType, charType, numericType, T, type SqlType } from '../common/types.js'
import { batchRows, vectorFromValues, type Value } from '../common/value.js'
import type { Batch } from '../common/vector.js'
import type { ColumnDef } from './arrow.js'
import { openParquet, openParquetTable, pruneRowGroups, readParquet, readParquetTable, writeParquet, type PruneConjunct } from './parquet.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixtures = path.resolve(here, '../../fixtures/parquet')

async function collect(it: AsyncIterable<Batch>): Promise<{ rows: Value[][]; batches: Batch[] }> {
  const batches: Batch[] = []
  const rows: Value[][] = []
  for await (const b of it) {
    batches.push(b)
    rows.push(...batchRows(b))
  }
  return { rows, batches }
}

/** A Flint value in the text form the DuckDB query below prints. */
function canon(v: Value, type: SqlType): string | null {
  if (v === null) return null
  if (type.id === 'array') return '[' + (v as Value[]).map((x) => canon(x, (type as { element: SqlType }).element) ?? 'NULL').join(', ') + ']'
  return String(v)
}

/** DuckDB SQL printing a column the way `canon` prints Flint's value. */
function duckCanon(column: string, type: SqlType): string {
  const name = `"${column}"`
  switch (type.id) {
    case 'date':
      return `(${name} - DATE '1970-01-01')::VARCHAR`
    case 'timestamp':
    case 'timestamptz':
      return `epoch_us(${name})::VARCHAR`
    default:
      return `${name}::VARCHAR`
  }
}

async function duckRows(con: DuckDBConnection, sql: string, types?: readonly SqlType[]): Promise<(string | null)[][]> {
  const r = await con.runAndReadAll(sql)
  // DuckDB prints 1.0 where JavaScript prints 1: compare floats by value
  const isFloat = (i: number): boolean => types?.[i]?.id === 'float4' || types?.[i]?.id === 'float8'
  return r.getRows().map((row) => row.map((x, i) => (x === null ? null : isFloat(i) ? String(Number(x)) : String(x))))
}

describe('storage/parquet', function () {
  this.timeout(120000)
  let tmp: string
  let inst: DuckDBInstance
  let con: DuckDBConnection
  let threeGroups: string

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flint-parquet-'))
    inst = await DuckDBInstance.create(':memory:')
    con = await inst.connect()
    threeGroups = path.join(tmp, 'groups.parquet')
    // 2048 + 2048 + 904 rows; v NULL in the whole last group, s sorted
    await con.run(`COPY (SELECT i AS id, CASE WHEN i < 4096 THEN i % 10 END AS v, lpad(i::VARCHAR, 5, '0') AS s,
      (i / 100)::DECIMAL(12,2) AS amount, DATE '2000-01-01' + i::INTEGER AS d, i / 3.0 AS f
      FROM range(5000) t(i)) TO '${threeGroups}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`)
  })
  after(() => {
    con.closeSync()
    inst.closeSync()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  for (const codec of ['snappy', 'zstd', 'gzip', 'uncompressed']) {
    it(`reads every column of a DuckDB file (${codec}) exactly as DuckDB does`, async () => {
      const file = path.join(fixtures, `types-${codec}.parquet`)
      const meta = await openParquet(file)
      const types = Object.fromEntries(meta.columns.map((c) => [c.name, c.type]))
      assert.deepEqual(types, {
        id: T.int8,
        i4: T.int4,
        i2: T.int2,
        i1: T.int2,
        u4: T.int8,
        price: numericType(15, 2),
        qty: numericType(4, 1),
        wide: numericType(38, 6),
        d: T.date,
        ts: T.timestamp,
        tz: T.timestamptz,
        ts_ms: T.timestamp,
        ts_ns: T.timestamp,
        mode: T.text,
        comment: T.text,
        flag: T.bool,
        f8: T.float8,
        f4: T.float4,
        maybe: T.int4,
        maybe_s: T.text,
        list: arrayType(T.int8),
      })
      const { rows } = await collect(readParquet(file))
      assert.equal(rows.length, meta.numRows)
      const mine = rows.map((r) => r.map((v, i) => canon(v, meta.columns[i]!.type)))
      const theirs = await duckRows(
        con,
        `SELECT ${meta.columns.map((c) => duckCanon(c.name, c.type)).join(', ')} FROM '${file}' ORDER BY id`,
        meta.columns.map((c) => c.type),
      )
      assert.deepEqual(mine, theirs)
    })
  }

  it('reads only the requested columns, in the requested order, and only the requested row groups', async () => {
    const meta = await openParquet(threeGroups)
    assert.deepEqual(
      meta.rowGroups.map((g) => g.numRows),
      [2048, 2048, 904],
    )
    const { rows, batches } = await collect(readParquet(threeGroups, { columns: ['s', 'id', 's'], rowGroups: [2, 0], batchSize: 1000 }))
    assert.ok(batches.every((b) => b.columns.length === 3 && b.numRows <= 1000))
    const ids = rows.map((r) => r[1] as number)
    const expected = [...Array.from({ length: 2048 }, (_, i) => i), ...Array.from({ length: 904 }, (_, i) => 4096 + i)]
    assert.deepEqual([...ids].sort((a, b) => a - b), expected)
    assert.ok(rows.every((r) => r[0] === String(r[1]).padStart(5, '0') && r[2] === r[0]))
    const byIndex = await collect(readParquet(threeGroups, { columns: [3, 1], rowGroups: [1] }))
    assert.deepEqual(byIndex.rows[0], ['20.48', 8])
    await assert.rejects(collect(readParquet(threeGroups, { columns: ['nope'] })), { code: '42703' })
  })

  it('answers count(*) scans without decoding columns', async () => {
    const { batches } = await collect(readParquet(threeGroups, { columns: [], rowGroups: [0, 2] }))
    assert.equal(
      batches.reduce((s, b) => s + b.numRows, 0),
      2048 + 904,
    )
    assert.ok(batches.every((b) => b.columns.length === 0))
  })

  it('decodes footer statistics exactly and agrees with DuckDB', async () => {
    const meta = await openParquet(threeGroups)
    const g1 = meta.rowGroups[1]!
    assert.deepEqual(g1.columns[0], { min: 2048, max: 4095, nullCount: 0 })
    assert.deepEqual(g1.columns[2], { min: '02048', max: '04095', nullCount: 0 })
    assert.deepEqual(g1.columns[3], { min: '20.48', max: '40.95', nullCount: 0 })
    assert.deepEqual(g1.columns[4], { min: 10957 + 2048, max: 10957 + 4095, nullCount: 0 })
    assert.equal(meta.rowGroups[2]!.columns[1]!.nullCount, 904)
    const duck = await duckRows(con, `SELECT row_group_id, stats_min, stats_max FROM parquet_metadata('${threeGroups}') WHERE path_in_schema = 'amount' ORDER BY row_group_id`)
    assert.deepEqual(
      duck,
      meta.rowGroups.map((g, i) => [String(i), String(g.columns[3]!.min), String(g.columns[3]!.max)]),
    )
    // timestamps in ms and ns are converted to microseconds; decimals stay exact text
    const typed = await openParquet(path.join(fixtures, 'types-zstd.parquet'))
    const col = (n: string): number => typed.columns.findIndex((c) => c.name === n)
    const s = typed.rowGroups[0]!.columns
    const duckTs = await duckRows(con, `SELECT epoch_us(min(ts_ms)), epoch_us(max(ts_ms)), epoch_us(min(ts_ns)), epoch_us(max(ts_ns)), min(wide)::VARCHAR, max(wide)::VARCHAR FROM '${path.join(fixtures, 'types-zstd.parquet')}'`)
    const [msMin, msMax, nsMin, nsMax, wMin, wMax] = duckTs[0]!.map((x) => x!)
    assert.deepEqual([s[col('ts_ms')]!.min, s[col('ts_ms')]!.max], [Number(msMin), Number(msMax)])
    assert.ok((s[col('ts_ns')]!.min as number) <= Number(nsMin) && (s[col('ts_ns')]!.max as number) >= Number(nsMax))
    assert.deepEqual([s[col('wide')]!.min, s[col('wide')]!.max], [wMin, wMax])
  })

  it('prunes row groups with min/max and null counts, conservatively', async () => {
    const meta = await openParquet(threeGroups)
    const p = (...c: PruneConjunct[]): number[] => pruneRowGroups(meta, c)
    assert.deepEqual(p({ column: 0, op: '=', value: 3000 }), [1])
    assert.deepEqual(p({ column: 0, op: '<', value: 2048 }), [0])
    assert.deepEqual(p({ column: 0, op: '<=', value: 2048 }), [0, 1])
    assert.deepEqual(p({ column: 0, op: '>', value: 4095 }), [2])
    assert.deepEqual(p({ column: 0, op: '>=', value: 4095 }), [1, 2])
    assert.deepEqual(p({ column: 0, op: '>', value: 10000 }), [])
    assert.deepEqual(p({ column: 0, op: '>', value: 10 }, { column: 0, op: '<', value: 100 }), [0])
    assert.deepEqual(p({ column: 1, op: 'is null', value: null }), [2])
    assert.deepEqual(p({ column: 1, op: 'is not null', value: null }), [0, 1])
    assert.deepEqual(p({ column: 1, op: '=', value: 5 }), [0, 1]) // all-NULL group cannot match
    assert.deepEqual(p({ column: 0, op: '=', value: null }), [])
    assert.deepEqual(p({ column: 2, op: '>=', value: '04500' }), [2])
    assert.deepEqual(pruneRowGroups(meta, [{ column: 2, op: '>=', value: '04500' }], { textRanges: false }), [0, 1, 2])
    assert.deepEqual(p({ column: 3, op: '<', value: '20.48' }), [0])
    assert.deepEqual(p({ column: 3, op: '>', value: 40.95 }), [2])
    assert.deepEqual(p({ column: 4, op: '=', value: 10957 + 4500 }), [2])
    // float statistics never prune '>' (NaN sorts above every number in PostgreSQL)
    assert.deepEqual(p({ column: 5, op: '>', value: 1e9 }), [0, 1, 2])
    assert.deepEqual(p({ column: 5, op: '<', value: 0 }), [])
  })

  it('reads int64 beyond ±2^53 exactly, with exact statistics, and writes it back', async () => {
    const file = path.join(tmp, 'bigint.parquet')
    await con.run(`COPY (SELECT * FROM (VALUES (0, 1::BIGINT), (1, -2::BIGINT), (2, 9007199254740993::BIGINT), (3, (-9223372036854775808)::BIGINT),
      (4, 9223372036854775807::BIGINT), (5, NULL::BIGINT)) t(k, id) ORDER BY k) TO '${file}' (FORMAT parquet)`)
    const expected: Value[] = [1, -2, 9007199254740993n, -9223372036854775808n, 9223372036854775807n, null]
    const { rows } = await collect(readParquet(file, { columns: ['id'] }))
    assert.deepEqual(
      rows.map((r) => r[0]),
      expected,
    )
    const meta = await openParquet(file)
    assert.deepEqual(meta.rowGroups[0]!.columns[1], { min: -9223372036854775808n, max: 9223372036854775807n, nullCount: 1 })
    assert.deepEqual(pruneRowGroups(meta, [{ column: 1, op: '>', value: 9223372036854775806n }]), [0])
    assert.deepEqual(pruneRowGroups(meta, [{ column: 1, op: '>', value: 9223372036854775807n }]), [])
    assert.deepEqual(pruneRowGroups(meta, [{ column: 1, op: '<', value: -9223372036854775807n }]), [0])
    assert.deepEqual(pruneRowGroups(meta, [{ column: 1, op: '<', value: -9223372036854775808n }]), [])
    const copy = path.join(tmp, 'bigint-copy.parquet')
    await writeParquet(copy, [{ name: 'id', type: T.int8 }], [{ numRows: 6, columns: [vectorFromValues(T.int8, expected)] }])
    assert.deepEqual(await duckRows(con, `SELECT id::VARCHAR FROM '${copy}'`), expected.map((v) => [v === null ? null : String(v)]))
  })

  it('reads a directory or a glob of files as one table', async () => {
    const dir = path.join(fixtures, 'multi')
    const table = await openParquetTable(dir)
    assert.deepEqual(
      table.files.map((f) => path.relative(dir, f.path)),
      ['part-0.parquet', 'part-1.parquet', path.join('sub', 'part-2.parquet')],
    )
    assert.equal(table.numRows, 3000)
    const { rows } = await collect(readParquetTable(table, { columns: ['id', 'part'] }))
    assert.deepEqual(
      rows.map((r) => r[0]),
      Array.from({ length: 3000 }, (_, i) => i),
    )
    assert.equal((await openParquetTable(path.join(dir, '*.parquet'))).files.length, 2)
    assert.equal((await openParquetTable(path.join(dir, '**', 'part-*.parquet'))).files.length, 3)
    // schemas must agree
    const other = path.join(tmp, 'mix')
    fs.mkdirSync(other)
    fs.copyFileSync(path.join(dir, 'part-0.parquet'), path.join(other, 'a.parquet'))
    fs.copyFileSync(threeGroups, path.join(other, 'b.parquet'))
    await assert.rejects(openParquetTable(other), { code: '42804' })
  })

  it('raises PostgreSQL-style errors for missing, corrupt and unsupported files', async () => {
    const missing = path.join(tmp, 'nope.parquet')
    await assert.rejects(openParquet(missing), { code: '58P01', message: `could not open file "${missing}": No such file or directory` })
    await assert.rejects(openParquetTable(path.join(tmp, '*.nothing')), { code: '58P01' })
    const bad = path.join(tmp, 'bad.parquet')
    fs.writeFileSync(bad, 'this is not parquet at all')
    await assert.rejects(openParquet(bad), { code: 'XX001' })
    const iv = path.join(fixtures, 'interval.parquet')
    assert.deepEqual((await collect(readParquet(iv, { columns: ['id'] }))).rows, [[1]])
    await assert.rejects(collect(readParquet(iv)), { code: '0A000' })
  })

  const writeColumns: ColumnDef[] = [
    { name: 'id', type: T.int8 },
    { name: 'price', type: numericType(15, 2) },
    { name: 'day', type: T.date },
    { name: 'at', type: T.timestamp },
    { name: 'ok', type: T.bool },
    { name: 'name', type: charType('varchar', 20) },
    { name: 'tags', type: arrayType(T.int4) },
    { name: 'small', type: T.int2 },
    { name: 'ratio', type: T.float8 },
  ]
  function* writeBatches(n: number, size: number): Generator<Batch> {
    for (let start = 0; start < n; start += size) {
      const k = Math.min(size, n - start)
      const ids = Array.from({ length: k }, (_, i) => start + i)
      yield {
        numRows: k,
        columns: [
          vectorFromValues(T.int8, ids.map((i) => (i === 7 ? null : i * 1_000_000_007))),
          vectorFromValues(numericType(15, 2), ids.map((i) => (i % 9 === 0 ? null : ((i - 500) * 1.01).toFixed(2)))),
          vectorFromValues(T.date, ids.map((i) => i - 1000)),
          vectorFromValues(T.timestamp, ids.map((i) => i * 3_600_000_001)),
          vectorFromValues(T.bool, ids.map((i) => (i % 4 === 3 ? null : i % 2 === 0))),
          vectorFromValues(charType('varchar', 20), ids.map((i) => (i % 6 === 0 ? null : `név ${i}`))),
          vectorFromValues(arrayType(T.int4), ids.map((i) => (i % 5 === 0 ? null : [i, -i]))),
          vectorFromValues(T.int2, ids.map((i) => (i % 100) - 50)),
          vectorFromValues(T.float8, ids.map((i) => i / 7)),
        ],
      }
    }
  }

  for (const codec of ['snappy', 'zstd', 'gzip', 'uncompressed']) {
    it(`writes Parquet (${codec}) that DuckDB reads back exactly`, async () => {
      const file = path.join(tmp, `out-${codec}.parquet`)
      const res = await writeParquet(file, writeColumns, writeBatches(2500, 700), { compression: codec, rowGroupSize: 1000 })
      assert.equal(res.rows, 2500)
      const groups = await duckRows(con, `SELECT count(DISTINCT row_group_id), max(row_group_num_rows) FROM parquet_metadata('${file}')`)
      assert.deepEqual(groups, [['3', '1000']])
      const typesDuck = await duckRows(con, `SELECT ${writeColumns.map((c) => `typeof("${c.name}")`).join(', ')} FROM '${file}' LIMIT 1`)
      assert.deepEqual(typesDuck, [['BIGINT', 'DECIMAL(15,2)', 'DATE', 'TIMESTAMP', 'BOOLEAN', 'VARCHAR', 'INTEGER[]', 'SMALLINT', 'DOUBLE']])
      const expected = [...writeBatches(2500, 700)].flatMap(batchRows).map((r) => r.map((v, i) => canon(v, writeColumns[i]!.type)))
      const theirs = await duckRows(
        con,
        `SELECT ${writeColumns.map((c) => duckCanon(c.name, c.type)).join(', ')} FROM '${file}'`,
        writeColumns.map((c) => c.type),
      )
      assert.deepEqual(theirs, expected)
      // and Flint reads it back with the declared types (kept in the Arrow schema metadata)
      const meta = await openParquet(file)
      assert.deepEqual(meta.columns, writeColumns)
      // parquet-wasm writes statistics, so Flint's own files prune too
      assert.deepEqual(meta.rowGroups[1]!.columns[2], { min: 0, max: 999, nullCount: 0 })
      assert.deepEqual(pruneRowGroups(meta, [{ column: 2, op: '>=', value: 1000 }]), [2])
      const { rows } = await collect(readParquet(file))
      assert.deepEqual(rows, [...writeBatches(2500, 700)].flatMap(batchRows))
      assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')), [])
    })
  }

  it('writes from an async iterable and writes an empty file with the schema', async () => {
    const file = path.join(tmp, 'async.parquet')
    async function* gen(): AsyncGenerator<Batch> {
      yield { numRows: 0, columns: [vectorFromValues(T.int4, [])] }
      yield { numRows: 2, columns: [vectorFromValues(T.int4, [1, null])] }
    }
    assert.deepEqual(await writeParquet(file, [{ name: 'x', type: T.int4 }], gen()), { rows: 2 })
    assert.deepEqual(await duckRows(con, `SELECT x FROM '${file}'`), [['1'], [null]])
    const empty = path.join(tmp, 'empty.parquet')
    assert.deepEqual(await writeParquet(empty, [{ name: 'x', type: T.int4 }, { name: 'y', type: T.text }], []), { rows: 0 })
    assert.deepEqual(await duckRows(con, `SELECT count(*), typeof(any_value(x)), typeof(any_value(y)) FROM '${empty}'`), [['0', 'INTEGER', 'VARCHAR']])
    assert.deepEqual((await openParquet(empty)).columns, [{ name: 'x', type: T.int4 }, { name: 'y', type: T.text }])
  })

  it('leaves no file behind when writing fails, and keeps the old file intact', async () => {
    const file = path.join(tmp, 'atomic.parquet')
    await writeParquet(file, [{ name: 'x', type: T.int4 }], [{ numRows: 1, columns: [vectorFromValues(T.int4, [42])] }])
    const before = fs.readFileSync(file)
    async function* failing(): AsyncGenerator<Batch> {
      yield { numRows: 1, columns: [vectorFromValues(T.int4, [1])] }
      throw new Error('boom')
    }
    await assert.rejects(writeParquet(file, [{ name: 'x', type: T.int4 }], failing()), /boom/)
    assert.deepEqual(fs.readFileSync(file), before)
    assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')), [])
    await assert.rejects(writeParquet(path.join(tmp, 'iv.parquet'), [{ name: 'i', type: T.interval }], []), { code: '0A000' })
    await assert.rejects(writeParquet(path.join(tmp, 'no', 'dir.parquet'), [{ name: 'i', type: T.int4 }], []), { code: '58P01' })
    await assert.rejects(writeParquet(path.join(tmp, 'x.parquet'), [{ name: 'i', type: T.int4 }], [], { compression: 'zip' }), { code: '22023' })
  })

  it('reads DuckDB data written at SF-like scale with several row groups in one pass', async () => {
    const file = path.join(tmp, 'big.parquet')
    await con.run(`COPY (SELECT i AS k, (i % 1000 / 100)::DECIMAL(15,2) AS x, 'c' || (i % 17) AS c FROM range(300000) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`)
    let n = 0
    let sumK = 0
    let sumX = 0
    for await (const b of readParquet(file, { columns: ['k', 'x'] })) {
      n += b.numRows
      const k = b.columns[0]!.values
      const x = b.columns[1]!.values
      for (let i = 0; i < b.numRows; i++) {
        sumK += k[i]!
        sumX += x[i]!
      }
    }
    const duck = await duckRows(con, `SELECT count(*), sum(k), (sum(x) * 100)::BIGINT FROM '${file}'`)
    assert.deepEqual([[String(n), String(sumK), String(sumX)]], duck)
  })

  it('works in worker threads (parquet-wasm initialised once per thread)', async () => {
    const file = threeGroups
    const mod = path.join(here, 'parquet.ts')
    const code = `
      const { parentPort, workerData } = require('node:worker_threads')
      import('tsx/esm/api').then((tsx) => { tsx.register(); return import(workerData.mod) }).then(async (m) => {
        let n = 0
        for await (const b of m.readParquet(workerData.file, { columns: ['id'] })) n += b.numRows
        const again = await m.openParquet(workerData.file)
        parentPort.postMessage({ n, groups: again.rowGroups.length, same: (await m.parquetWasm()) === (await m.parquetWasm()) })
      }).catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }))`
    const results = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<unknown>((resolve, reject) => {
            const w = new Worker(code, { eval: true, workerData: { mod, file } })
            w.once('message', (m) => {
              void w.terminate()
              resolve(m)
            })
            w.once('error', reject)
          }),
      ),
    )
    assert.deepEqual(results, [
      { n: 5000, groups: 3, same: true },
      { n: 5000, groups: 3, same: true },
    ])
  })
})
