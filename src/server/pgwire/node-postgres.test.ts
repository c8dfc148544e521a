/**
 * node-postgres (`pg` + pg-cursor) against the server over the real engine: simple and
 * parameterised queries, named statements, binary results, cursors, errors, transactions.
 * Set PGWIRE_ORACLE_PORT to run the same expectations against a real PostgreSQL 15.
 */
import assert from 'node:assert/strict'
import pg from 'pg'
import Cursor from 'pg-cursor'
import { startRealServer, type RealServer } from './testing/real-engine.js'

const suffix = Math.random().toString(36).slice(2, 8)
const items = `np_items_${suffix}`
const many = `np_many_${suffix}`

describe('pgwire with node-postgres (real engine)', function () {
  let target: RealServer
  let client: pg.Client
  const config = (): pg.ClientConfig => ({ host: '127.0.0.1', port: target.port, user: 'postgres', database: 'postgres', application_name: 'np-test' })

  before(async function () {
    target = await startRealServer()
    client = new pg.Client(config())
    await client.connect()
  })

  after(async () => {
    if (client !== undefined) {
      if (target.oracle) await client.query(`drop table if exists ${items}; drop table if exists ${many}`)
      await client.end()
    }
    await target?.close()
  })

  describe('over a table', () => {
    before(async () => {
      await client.query(`create table ${items} (id integer, name text, price numeric(12,2), d date, flag boolean, ts timestamp, big bigint, r double precision, v varchar(10))`)
      const ins = await client.query(
        `insert into ${items} values
          (1, 'alpha', 10.50, '2024-01-02', true, '2024-01-02 03:04:05', 9000000001, 1.5, 'x'),
          (2, 'béta', -7.25, '2024-02-29', false, '2024-02-29 12:00:00.5', -3, -0.25, 'yy'),
          (3, null, null, null, null, null, null, null, null)`,
      )
      assert.equal(ins.command, 'INSERT')
      assert.equal(ins.rowCount, 3)
    })

    it('reads typed rows in text format', async () => {
      const r = await client.query(`select id, name, price, d, flag, ts, big, r, v from ${items} order by id`)
      assert.equal(r.command, 'SELECT')
      assert.equal(r.rowCount, 3)
      assert.deepEqual(
        r.fields.map((f) => [f.name, f.dataTypeID]),
        [['id', 23], ['name', 25], ['price', 1700], ['d', 1082], ['flag', 16], ['ts', 1114], ['big', 20], ['r', 701], ['v', 1043]],
      )
      const price = r.fields[2]!
      assert.equal(price.dataTypeModifier, (12 << 16) + 2 + 4)
      assert.equal(r.fields[8]!.dataTypeModifier, 14)
      assert.deepEqual(r.rows[0], {
        id: 1,
        name: 'alpha',
        price: '10.50',
        d: new Date(2024, 0, 2),
        flag: true,
        ts: new Date(2024, 0, 2, 3, 4, 5),
        big: '9000000001',
        r: 1.5,
        v: 'x',
      })
      assert.equal(r.rows[1].name, 'béta')
      assert.equal(r.rows[1].price, '-7.25')
      assert.deepEqual(r.rows[1].ts, new Date(2024, 1, 29, 12, 0, 0, 500))
      assert.deepEqual(r.rows[2], { id: 3, name: null, price: null, d: null, flag: null, ts: null, big: null, r: null, v: null })
    })

    it('reports table OID and column number for table columns', async () => {
      const r = await client.query(`select name, id, 1 as k from ${items} limit 1`)
      assert.ok(r.fields[0]!.tableID > 0)
      assert.equal(r.fields[0]!.tableID, r.fields[1]!.tableID)
      assert.equal(r.fields[0]!.columnID, 2)
      assert.equal(r.fields[1]!.columnID, 1)
      assert.equal(r.fields[2]!.tableID, 0)
      assert.equal(r.fields[2]!.columnID, 0)
    })

    it('runs parameterised queries (extended protocol, inferred parameter types)', async () => {
      const r = await client.query(`select id, name from ${items} where id = $1 and name = $2 and d = $3 and flag = $4`, [1, 'alpha', '2024-01-02', true])
      assert.deepEqual(r.rows, [{ id: 1, name: 'alpha' }])
      const casts = await client.query('select $1::int as i, $2::bigint as b, $3::float8 as f, $4::numeric as n, $5::text as t, $6::date as d, $7::boolean as bo, $8::timestamp as ts, $9::text as nul', [
        '7',
        '9000000001',
        '2.5',
        '3.14',
        'héllo',
        '2024-02-29',
        'f',
        '2024-02-29 12:00:00',
        null,
      ])
      assert.deepEqual(casts.rows, [{ i: 7, b: '9000000001', f: 2.5, n: '3.14', t: 'héllo', d: new Date(2024, 1, 29), bo: false, ts: new Date(2024, 1, 29, 12), nul: null }])
    })

    it('takes LIMIT and OFFSET counts as parameters, with PostgreSQL\'s NULL and negative rules', async () => {
      const page = async (limit: number | null, offset: number | null): Promise<number[]> =>
        (await client.query({ name: `page_${suffix}`, text: 'select g from generate_series(1, 10) g order by g limit $1 offset $2', values: [limit, offset] })).rows.map((r) => Number(r.g))
      assert.deepEqual(await page(3, 2), [3, 4, 5])
      assert.deepEqual(await page(2, 8), [9, 10])
      assert.deepEqual(await page(null, null), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      await assert.rejects(page(-1, 0), { code: '2201W' })
      await assert.rejects(page(1, -1), { code: '2201X' })
      const computed = await client.query('select g from generate_series(1, 10) g order by g limit $1::int * 2 offset 1 + 1', [2])
      assert.deepEqual(computed.rows.map((r) => Number(r.g)), [3, 4, 5, 6])
    })

    it('reuses a named prepared statement', async () => {
      for (const [id, name] of [[1, 'alpha'], [2, 'béta'], [1, 'alpha']] as const) {
        const r = await client.query({ name: `by_id_${suffix}`, text: `select name from ${items} where id = $1`, values: [id] })
        assert.deepEqual(r.rows, [{ name }])
      }
    })

    it('reads binary results', async () => {
      // pg turns every DataRow field into a UTF-8 string before its binary parsers run, so only values
      // whose binary bytes are valid UTF-8 survive it; byte-exact coverage is in binary.test.ts
      const r = await client.query({
        text: `select id, big, 2.0::float8 as f, flag, name, 1.01::numeric as n from ${items} where id = $1`,
        values: [1],
        binary: true,
      } as pg.QueryConfig)
      assert.ok(r.fields.every((f) => f.format === 'binary'))
      assert.deepEqual(r.rows, [{ id: 1, big: '9000000001', f: 2, flag: true, name: 'alpha', n: 1.01 }])
    })

    it('reads and binds bigint values beyond 2^53 exactly in text and binary format', async () => {
      const text = await client.query('select $1::bigint as a, $2::bigint + 1 as b, -9223372036854775808 as c', ['9223372036854775807', '9007199254740993'])
      assert.deepEqual(text.rows, [{ a: '9223372036854775807', b: '9007199254740994', c: '-9223372036854775808' }])
      // 0x2020202020202020: binary bytes that survive pg's UTF-8 decoding (see the test above)
      const binary = await client.query({ text: 'select $1::bigint as a', values: ['2314885530818453536'], binary: true } as pg.QueryConfig)
      assert.ok(binary.fields.every((f) => f.format === 'binary'))
      assert.deepEqual(binary.rows, [{ a: '2314885530818453536' }])
    })

    it('reads a large result through pg-cursor in pages', async () => {
      await client.query(`create table ${many} (n integer)`)
      const values = Array.from({ length: 2500 }, (_, k) => `(${k + 1})`).join(',')
      await client.query(`insert into ${many} values ${values}`)
      const cursor = client.query(new Cursor<{ n: number }>(`select n from ${many} order by n`))
      let total = 0
      let last = 0
      for (;;) {
        const batch = await cursor.read(1000)
        if (batch.length === 0) break
        for (const row of batch) assert.equal(row.n, ++last)
        total += batch.length
      }
      await cursor.close()
      assert.equal(total, 2500)
    })
    it('rolls back and commits transactions', async () => {
      await client.query('begin')
      await client.query(`insert into ${items} (id, name) values (10, 'temp')`)
      assert.equal((await client.query(`select count(*)::int as c from ${items}`)).rows[0].c, 4)
      await client.query('rollback')
      assert.equal((await client.query(`select count(*)::int as c from ${items}`)).rows[0].c, 3)
      await client.query('begin')
      await assert.rejects(client.query('select * from no_such_table_np'), { code: '42P01' })
      await assert.rejects(client.query('select 1'), { code: '25P02' })
      await client.query('rollback')
      assert.deepEqual((await client.query('select 1 as one')).rows, [{ one: 1 }])
    })
  })

  it('reports errors with SQLSTATE and position and stays usable', async () => {
    await assert.rejects(client.query('select * from no_such_table_np'), (e: pg.DatabaseError) => {
      assert.equal(e.code, '42P01')
      assert.equal(e.message, 'relation "no_such_table_np" does not exist')
      assert.equal(e.position, '15')
      assert.equal(e.severity, 'ERROR')
      return true
    })
    await assert.rejects(client.query('selec 1'), { code: '42601' })
    await assert.rejects(client.query('select $1::int as x', ['abc']), { code: '22P02', message: 'invalid input syntax for type integer: "abc"' })
    assert.deepEqual((await client.query('select 1 as one')).rows, [{ one: 1 }])
  })

  it('returns one result per statement of a multi-statement query', async () => {
    const r = (await client.query('select 1 as a; select 2 as b')) as unknown as pg.QueryResult[]
    assert.equal(r.length, 2)
    assert.deepEqual(r[0]!.rows, [{ a: 1 }])
    assert.deepEqual(r[1]!.rows, [{ b: 2 }])
  })

  it('handles an empty query', async () => {
    const r = await client.query('')
    assert.equal(r.rowCount, null)
    assert.deepEqual(r.rows, [])
  })

  it('pg_backend_pid is the BackendKeyData pid; pg_cancel_backend and pg_terminate_backend reach other sessions', async () => {
    const other = new pg.Client(config())
    await other.connect()
    try {
      const pid = (other as unknown as { processID: number }).processID
      assert.deepEqual((await other.query('select pg_backend_pid() as pid')).rows, [{ pid }])
      assert.deepEqual((await client.query('select pg_cancel_backend($1) as cancelled', [pid])).rows, [{ cancelled: true }])
      assert.deepEqual((await other.query('select 1 as still')).rows, [{ still: 1 }])
      const gone = new Promise<Error>((resolve) => other.once('error', resolve))
      assert.deepEqual((await client.query('select pg_terminate_backend($1) as terminated', [pid])).rows, [{ terminated: true }])
      assert.match((await gone).message, /terminating connection due to administrator command/)
    } finally {
      await other.end().catch(() => {})
    }
  })

  it('set_config changes what SHOW and current_setting report', async () => {
    assert.deepEqual((await client.query("select set_config('application_name', 'np-renamed', false) as v")).rows, [{ v: 'np-renamed' }])
    assert.deepEqual((await client.query('show application_name')).rows, [{ application_name: 'np-renamed' }])
    await client.query("select set_config('application_name', 'np-test', false)")
  })

  it('prints regclass, regtype and regproc values by name', async () => {
    const text = await client.query("select 'pg_class'::regclass as c, 'int4'::regtype as t, 'pg_catalog.now'::regproc as p")
    assert.deepEqual(text.rows, [{ c: 'pg_class', t: 'integer', p: 'now' }])
    assert.deepEqual(text.fields.map((f) => f.dataTypeID), [2205, 2206, 24])
    const rel = await client.query(`select oid::regclass as r from pg_class where relname = $1`, ['pg_type'])
    assert.deepEqual(rel.rows, [{ r: 'pg_type' }])
  })

  it('subscripts int2vector catalog columns from 0 and selects fields of _pg_expandarray records', async function () {
    await client.query('create table pk_vec (a integer, b text, c integer, primary key (c, a))')
    try {
      const where = `from pg_index i where i.indrelid = 'pk_vec'::regclass`
      const sub = await client.query(`select i.indkey[0] as k0, i.indkey[1] as k1, i.indkey[2] as k2 ${where}`)
      assert.deepEqual(sub.rows, [{ k0: 3, k1: 1, k2: null }])
      const expanded = await client.query(`select (r.keys).x, (r.keys).n from (select information_schema._pg_expandarray(i.indkey) as keys ${where}) r order by 2`)
      assert.deepEqual(expanded.rows, [{ x: 3, n: 1 }, { x: 1, n: 2 }])
    } finally {
      await client.query('drop table pk_vec')
    }
  })

  it('answers a whole _pg_expandarray record, which Flint cannot return, with 0A000', async function () {
    if (target.oracle) this.skip()
    await assert.rejects(client.query('select information_schema._pg_expandarray(i.indkey) from pg_index i'), { code: '0A000' })
    await assert.rejects(client.query('select r.k from (select information_schema._pg_expandarray(array[1]) as k) r'), { code: '0A000' })
  })

  it('logs the connection and failed statements', async function () {
    if (target.oracle) this.skip()
    assert.ok(target.log.some((l) => l.includes('user=postgres') && l.includes('application_name=np-test')))
    assert.ok(target.log.some((l) => l.includes('42P01') && l.includes('no_such_table_np')))
  })
})
