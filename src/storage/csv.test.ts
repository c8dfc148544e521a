import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { numericType, T, type SqlType } from '../common/types.js'
import { batchRows, vectorFromValues, type Value } from '../common/value.js'
import type { Batch } from '../common/vector.js'
import type { ColumnDef } from './arrow.js'
import { inferCsv, openCsvTable, readCsv, writeCsv, type CsvOptions } from './csv.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixtures = path.resolve(here, '../../fixtures/csv')

async function readAll(file: string, opts: CsvOptions = {}, columns?: number[]): Promise<Value[][]> {
  const rows: Value[][] = []
  for await (const b of readCsv(file, opts, columns !== undefined ? { columns } : {})) rows.push(...batchRows(b))
  return rows
}

async function duckRows(con: DuckDBConnection, sql: string): Promise<(string | null)[][]> {
  const r = await con.runAndReadAll(sql)
  return r.getRows().map((row) => row.map((x) => (x === null ? null : String(x))))
}

/** DuckDB SQL printing a column the way String(flint value) prints it. */
function duckCanon(name: string, type: SqlType): string {
  if (type.id === 'date') return `("${name}" - DATE '1970-01-01')::VARCHAR`
  if (type.id === 'timestamp') return `epoch_us("${name}")::VARCHAR`
  return `"${name}"::VARCHAR`
}

const canon = (rows: Value[][]): (string | null)[][] => rows.map((r) => r.map((v) => (v === null ? null : String(v))))

describe('storage/csv', function () {
  this.timeout(120000)
  let tmp: string
  let inst: DuckDBInstance
  let con: DuckDBConnection
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flint-csv-'))
    inst = await DuckDBInstance.create(':memory:')
    con = await inst.connect()
  })
  after(() => {
    con.closeSync()
    inst.closeSync()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  it('infers names and types of a DuckDB CSV with a header', async () => {
    const s = await inferCsv(path.join(fixtures, 'basic.csv'))
    assert.equal(s.header, true)
    assert.equal(s.format.delimiter, ',')
    assert.deepEqual(
      s.columns.map((c) => c.name),
      ['id', 'even', 'price', 'ratio', 'day', 'at', 'label', 'note'],
    )
    assert.deepEqual(
      s.columns.map((c) => c.type),
      [T.int4, T.bool, numericType(15, 2), T.float8, T.date, T.timestamp, T.text, T.text],
    )
    const f8 = await inferCsv(path.join(fixtures, 'basic.csv'), { decimals: 'float8', sampleRows: 5 })
    assert.deepEqual(f8.columns[2]!.type, T.float8)
  })

  it('reads a CSV with the values DuckDB reads', async () => {
    const file = path.join(fixtures, 'basic.csv')
    const s = await inferCsv(file)
    const mine = canon(await readAll(file))
    const duckTypes = ['INTEGER', 'BOOLEAN', 'DECIMAL(15,2)', 'DOUBLE', 'DATE', 'TIMESTAMP', 'VARCHAR', 'VARCHAR']
    const cols = s.columns.map((c, i) => `'${c.name}': '${duckTypes[i]}'`).join(', ')
    const theirs = (await duckRows(con, `SELECT ${s.columns.map((c) => duckCanon(c.name, c.type)).join(', ')} FROM read_csv('${file}', header = true, columns = {${cols}})`)).map((r) =>
      r.map((v, i) => (v !== null && i === 3 ? String(Number(v)) : v)),
    )
    assert.equal(mine.length, 1200)
    assert.deepEqual(mine, theirs)
  })

  it('detects a pipe delimiter and the absence of a header (TPC-H .tbl style)', async () => {
    const file = path.join(fixtures, 'lineitem.tbl')
    const s = await inferCsv(file)
    assert.equal(s.header, false)
    assert.equal(s.format.delimiter, '|')
    assert.deepEqual(
      s.columns.map((c) => `${c.name}:${c.type.id}`),
      ['column0:int4', 'column1:int4', 'column2:numeric', 'column3:numeric', 'column4:text', 'column5:date', 'column6:text'],
    )
    const rows = await readAll(file, {}, [5, 2])
    assert.equal(rows.length, 1500)
    assert.deepEqual(rows[0], [8036, '1.00'])
    const sumDuck = await duckRows(con, `SELECT sum(column3)::VARCHAR FROM read_csv('${file}', delim = '|', header = false, columns = {'column0': 'INT', 'column1': 'INT', 'column2': 'DECIMAL(15,2)', 'column3': 'DECIMAL(15,2)', 'column4': 'VARCHAR', 'column5': 'DATE', 'column6': 'VARCHAR'})`)
    let sum = 0
    for (const r of await readAll(file, {}, [3])) sum += Math.round(Number(r[0]) * 100)
    assert.equal((sum / 100).toFixed(2), sumDuck[0]![0])
  })

  it('uses declared columns instead of inferring, with projection', async () => {
    const file = path.join(tmp, 'declared.csv')
    fs.writeFileSync(file, '1,2020-01-01,x\n2,2020-01-02,y\n')
    const columns: ColumnDef[] = [
      { name: 'n', type: T.int8 },
      { name: 'd', type: T.text },
      { name: 's', type: T.text },
    ]
    assert.deepEqual(await readAll(file, { columns }, [1, 0]), [
      ['2020-01-01', 1],
      ['2020-01-02', 2],
    ])
    assert.deepEqual(await readAll(file, { columns, header: true }), [[2, '2020-01-02', 'y']])
  })

  it('reads the same rows whatever the chunk size (records across chunk boundaries)', async () => {
    const file = path.join(tmp, 'chunks.csv')
    const lines = ['id,text,amount']
    for (let i = 0; i < 500; i++) lines.push(`${i},"line ${i}${i % 7 === 0 ? '\nsecond "" line' : ''}",${(i * 0.37).toFixed(2)}`)
    fs.writeFileSync(file, '\ufeff' + lines.join('\r\n') + '\r\n')
    const whole = await readAll(file)
    assert.equal(whole.length, 500)
    assert.deepEqual(whole[7], [7, 'line 7\nsecond " line', '2.59'])
    for (const chunkSize of [1, 7, 64, 1000]) assert.deepEqual(await readAll(file, { chunkSize }), whole, `chunk ${chunkSize}`)
    const batches: Batch[] = []
    for await (const b of readCsv(file, { batchSize: 64, chunkSize: 300 })) batches.push(b)
    assert.ok(batches.every((b) => b.numRows <= 64))
    assert.deepEqual(batches.flatMap(batchRows), whole)
  })

  it('skips empty lines, reads quoted NULL-looking values as text, and handles a header with odd names', async () => {
    const file = path.join(tmp, 'odd.csv')
    fs.writeFileSync(file, 'a,,a\n\n1,"",x\n\n2,,"y"\n')
    const s = await inferCsv(file)
    assert.equal(s.header, true)
    assert.deepEqual(
      s.columns.map((c) => c.name),
      ['a', 'column1', 'a_1'],
    )
    assert.deepEqual(await readAll(file), [
      [1, '', 'x'],
      [2, null, 'y'],
    ])
  })

  it('reads headerless text-only files as data', async () => {
    const file = path.join(tmp, 'names.csv')
    fs.writeFileSync(file, 'alice\nbob\n')
    const s = await inferCsv(file)
    assert.equal(s.header, false)
    assert.deepEqual(await readAll(file), [['alice'], ['bob']])
  })

  it('infers int8, float8, timestamptz and text for mixed columns', async () => {
    const file = path.join(tmp, 'mixed.csv')
    fs.writeFileSync(file, 'big,sci,tz,mix,nulls\n3000000000,1e5,2020-01-01 00:00:00+00,1,\n1,2.5,2020-01-02 00:00:00Z,x,\n')
    const s = await inferCsv(file)
    assert.deepEqual(
      s.columns.map((c) => c.type),
      [T.int8, T.float8, T.timestamptz, T.text, T.text],
    )
    assert.deepEqual(await readAll(file), [
      [3000000000, 100000, 1577836800000000, '1', null],
      [1, 2.5, 1577923200000000, 'x', null],
    ])
  })

  it('errors like PostgreSQL on bad data, with the line number', async () => {
    const file = path.join(tmp, 'bad.csv')
    fs.writeFileSync(file, 'n\n1\n2\nx\n')
    await assert.rejects(readAll(file, { columns: [{ name: 'n', type: T.int4 }], header: true }), {
      code: '22P02',
      detail: 'line 4, column n: "x"',
    })
    await assert.rejects(readAll(path.join(tmp, 'missing.csv')), { code: '58P01' })
    await assert.rejects(openCsvTable(path.join(tmp, 'none-*.csv')), { code: '58P01' })
  })

  it('opens a glob of CSV files as one table', async () => {
    const dir = path.join(tmp, 'many')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'b.csv'), 'x\n2\n')
    fs.writeFileSync(path.join(dir, 'a.csv'), 'x\n1\n')
    const t = await openCsvTable(dir)
    assert.deepEqual(
      t.files.map((f) => path.basename(f)),
      ['a.csv', 'b.csv'],
    )
    assert.deepEqual(t.schema.columns, [{ name: 'x', type: T.int4 }])
  })

  it('writes CSV and COPY text files that DuckDB and Flint read back', async () => {
    const columns: ColumnDef[] = [
      { name: 'id', type: T.int4 },
      { name: 'label', type: T.text },
      { name: 'price', type: numericType(10, 2) },
      { name: 'day', type: T.date },
      { name: 'ok', type: T.bool },
    ]
    const batch: Batch = {
      numRows: 4,
      columns: [
        vectorFromValues(T.int4, [1, 2, 3, null]),
        vectorFromValues(T.text, ['plain', 'a,b "q"', 'two\nlines', null]),
        vectorFromValues(numericType(10, 2), ['1.50', '-0.05', null, '100.00']),
        vectorFromValues(T.date, [0, 18321, null, -1]),
        vectorFromValues(T.bool, [true, false, null, true]),
      ],
    }
    const csvFile = path.join(tmp, 'out.csv')
    assert.deepEqual(await writeCsv(csvFile, columns, [batch], { header: true }), { rows: 4 })
    assert.equal(
      fs.readFileSync(csvFile, 'utf8'),
      'id,label,price,day,ok\n1,plain,1.50,1970-01-01,t\n2,"a,b ""q""",-0.05,2020-02-29,f\n3,"two\nlines",,,\n,,100.00,1969-12-31,t\n',
    )
    const duck = await duckRows(con, `SELECT label, price::VARCHAR FROM read_csv('${csvFile}', header = true, columns = {'id': 'INT', 'label': 'VARCHAR', 'price': 'DECIMAL(10,2)', 'day': 'DATE', 'ok': 'BOOLEAN'})`)
    assert.deepEqual(duck, [
      ['plain', '1.50'],
      ['a,b "q"', '-0.05'],
      ['two\nlines', null],
      [null, '100.00'],
    ])
    assert.deepEqual(await readAll(csvFile, { columns, header: true }), batchRows(batch))
    const textFile = path.join(tmp, 'out.txt')
    await writeCsv(textFile, columns, [batch], { format: 'text' })
    assert.equal(fs.readFileSync(textFile, 'utf8'), '1\tplain\t1.50\t1970-01-01\tt\n2\ta,b "q"\t-0.05\t2020-02-29\tf\n3\ttwo\\nlines\t\\N\t\\N\t\\N\n\\N\t\\N\t100.00\t1969-12-31\tt\n')
    assert.deepEqual(await readAll(textFile, { columns, format: 'text' }), batchRows(batch))
    assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')), [])
  })

  it('streams a large file in bounded chunks with the same result as DuckDB', async () => {
    const file = path.join(tmp, 'large.csv')
    await con.run(`COPY (SELECT i AS k, (i % 1000) / 100 AS x, 'name ' || (i % 97) AS s, DATE '2000-01-01' + (i % 3000)::INT AS d FROM range(400000) t(i)) TO '${file}' (HEADER)`)
    const s = await inferCsv(file)
    assert.deepEqual(
      s.columns.map((c) => c.type.id),
      ['int4', 'numeric', 'text', 'date'],
    )
    let n = 0
    let sumK = 0
    let sumX = 0
    let sumD = 0
    let bytes = 0
    for await (const b of readCsv(file, { chunkSize: 1 << 20 })) {
      n += b.numRows
      const [k, x, str, d] = b.columns
      for (let i = 0; i < b.numRows; i++) {
        sumK += k!.values[i]!
        sumX += x!.values[i]!
        sumD += d!.values[i]!
      }
      bytes += str!.offsets![b.numRows]! - str!.offsets![0]!
    }
    const duck = await duckRows(con, `SELECT count(*), sum(k), (sum(x) * 100)::BIGINT, sum(d - DATE '1970-01-01'), sum(length(s)) FROM read_csv('${file}', header = true, columns = {'k': 'BIGINT', 'x': 'DECIMAL(15,2)', 's': 'VARCHAR', 'd': 'DATE'})`)
    assert.deepEqual([[n, sumK, sumX, sumD, bytes].map(String)], duck)
  })
})
