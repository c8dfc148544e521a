/**
 * postgres.js against the server over the real engine. It uses the extended protocol for every
 * query: named statements, Describe before Bind (parameter types reported by the server decide how
 * it serialises values), Flush, and unnamed portals for cursors.
 * Set PGWIRE_ORACLE_PORT to run the same expectations against a real PostgreSQL 15.
 */
import assert from 'node:assert/strict'
import postgres from 'postgres'
import { startRealServer, type RealServer } from './testing/real-engine.js'

const suffix = Math.random().toString(36).slice(2, 8)
const items = `pj_items_${suffix}`

describe('pgwire with postgres.js (real engine)', function () {
  let target: RealServer
  let sql: postgres.Sql

  const connect = (opts: postgres.Options<Record<string, postgres.PostgresType>> = {}): postgres.Sql =>
    postgres({ host: '127.0.0.1', port: target.port, user: 'postgres', database: 'postgres', max: 1, fetch_types: false, onnotice: () => {}, ...opts })

  before(async function () {
    target = await startRealServer()
    sql = connect()
  })

  after(async () => {
    if (sql !== undefined) {
      if (target.oracle) await sql.unsafe(`drop table if exists ${items}`)
      await sql.end()
    }
    await target?.close()
  })

  it('sends parameters as the server typed them', async () => {
    const [r] = await sql`select ${7}::int as i, ${2.5}::float8 as f, ${'3.14'}::numeric as n, ${'héllo'} as t, ${new Date('2024-02-29T12:00:00Z')}::timestamptz as ts, ${false}::boolean as b, ${null}::text as nul`
    assert.deepEqual(r, { i: 7, f: 2.5, n: '3.14', t: 'héllo', ts: new Date('2024-02-29T12:00:00Z'), b: false, nul: null })
  })

  it('runs simple-protocol multi-statement queries and empty queries', async () => {
    const r = (await sql.unsafe('select 1 as a; select 2 as b').simple()) as unknown as postgres.RowList<postgres.Row[]>[]
    assert.deepEqual([...r[0]!], [{ a: 1 }])
    assert.deepEqual([...r[1]!], [{ b: 2 }])
    assert.deepEqual([...(await sql.unsafe(''))], [])
  })

  it('reports errors with their SQLSTATE and stays usable', async () => {
    await assert.rejects(sql`select * from no_such_table_pj`, { code: '42P01', position: '15' })
    await assert.rejects(sql`select ${'abc'}::int as x`, { code: '22P02' })
    assert.deepEqual([...(await sql`select 1 as one`)], [{ one: 1 }])
  })

  it('connects with default options (type fetching from pg_catalog)', async () => {
    const full = connect({ fetch_types: true })
    try {
      const rows = await full`select ${[1, 2, 3]}::int4[] as a, ${5} as five`
      assert.deepEqual([...rows], [{ a: [1, 2, 3], five: '5' }])
    } finally {
      await full.end()
    }
  })

  describe('over a table', () => {
    before(async () => {
      await sql.unsafe(`create table ${items} (id integer, name text, d date, flag boolean, big bigint, price numeric(10,2))`)
      await sql.unsafe(`insert into ${items} values (1, 'alpha', '2024-01-02', true, 9000000000, 1.50), (2, 'beta', '2024-03-04', false, -1, -2.25)`)
    })

    it('runs queries with parameters compared to columns', async () => {
      const rows = await sql`select id, name from ${sql(items)} where id = ${1} and name = ${'alpha'} and d = ${'2024-01-02'} and flag = ${true} and big = ${'9000000000'}`
      assert.deepEqual([...rows], [{ id: 1, name: 'alpha' }])
    })

    it('reuses named statements', async () => {
      for (const [id, name] of [[1, 'alpha'], [2, 'beta'], [1, 'alpha']] as const) {
        assert.deepEqual([...(await sql`select name from ${sql(items)} where id = ${id}`)], [{ name }])
      }
    })

    it('parses result types by OID', async () => {
      const rows = await sql`select id, d, flag, big, price from ${sql(items)} order by id`
      assert.deepEqual(
        rows.columns.map((c) => c.type),
        [23, 1082, 16, 20, 1700],
      )
      assert.deepEqual(rows[0], { id: 1, d: new Date('2024-01-02T00:00:00'), flag: true, big: '9000000000', price: '1.50' })
      assert.equal(rows.count, 2)
      assert.equal(rows.command, 'SELECT')
    })

    it('reads rows through a cursor (Execute with a row limit)', async () => {
      const seen: number[] = []
      await sql`select id from ${sql(items)} order by id`.cursor(1, (rows) => {
        assert.equal(rows.length, 1)
        seen.push(rows[0]!['id'] as number)
      })
      assert.deepEqual(seen, [1, 2])
    })

    it('runs transactions with sql.begin', async () => {
      const result = await sql.begin(async (tx) => {
        const [row] = await tx`select 2 as two`
        return row
      })
      assert.deepEqual(result, { two: 2 })
      await assert.rejects(
        sql.begin(async (tx) => {
          await tx.unsafe(`insert into ${items} (id, name) values (3, 'gamma')`)
          await tx`select * from no_such_table_pj`
        }),
        { code: '42P01' },
      )
      assert.equal((await sql`select count(*)::int as c from ${sql(items)}`)[0]!['c'], 2)
    })
  })
})
