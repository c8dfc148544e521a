import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { T } from '../common/types.js'
import { EngineError } from '../common/errors.js'
import { batchRows } from '../common/value.js'
import type { Batch } from '../common/vector.js'
import { writeParquet } from '../storage/parquet.js'
import { Engine } from './engine.js'
import { rows, run } from './test-util.js'
import type { FlintSession } from './session.js'


describe('Engine', function () {
  this.timeout(120_000)
  let engine: Engine
  let dir: string

  before(async () => {
    engine = await Engine.create({ workers: 2, parallelThreshold: 100_000 })
    dir = mkdtempSync(join(tmpdir(), 'flint-engine-'))
  })
  after(async () => {
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs the partitions of a large table on more than one worker thread', async () => {
    const n = 3_000_000
    const a = new Int32Array(n)
    const b = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      a[i] = i % 1000
      b[i] = i
    }
    const batch: Batch = { numRows: n, columns: [{ type: T.int4, length: n, values: a, validity: null }, { type: T.float8, length: n, values: b, validity: null }] }
    await engine.addTable('big', [{ name: 'a', type: T.int4 }, { name: 'b', type: T.float8 }], [batch])
    const s = engine.createSession({ user: 'u', database: 'd' }) as FlintSession
    const explain = (await rows(s, 'EXPLAIN SELECT a, count(*), sum(b) FROM big WHERE a < 10 GROUP BY a')).map((r) => r[0]).join('\n')
    assert.match(explain, /ExchangeExec: gather from 2 partitions/)
    assert.match(explain, /HashAggregateExec\(partial\)/)
    const result = await rows(s, 'SELECT count(*), sum(b) FROM big WHERE a < 10')
    // rows with i % 1000 < 10: 30,000 of them; sum of those i
    let expected = 0
    for (let i = 0; i < n; i++) if (i % 1000 < 10) expected += i
    assert.deepEqual(result, [[30_000, expected]])
    assert.ok(s.lastStats!.tasks >= 2, 'one task per partition')
    assert.equal(s.lastStats!.workerThreads.size, 2, 'tasks ran on two worker threads')
    s.close()
  })

  it('resolves column references qualified by the current database, and rejects other databases (0A000)', async () => {
    const s = engine.createSession({ user: 'u', database: 'd' }) as FlintSession
    await run(s, 'CREATE SCHEMA dbq; CREATE TABLE dbq.t AS SELECT 5 AS c')
    assert.deepEqual(await rows(s, 'SELECT d.dbq.t.c, d.dbq.t.* FROM dbq.t'), [[5, 5]])
    await assert.rejects(run(s, 'SELECT e.dbq.t.c FROM dbq.t'), (e: unknown) => {
      assert.ok(e instanceof EngineError)
      assert.equal(e.code, '0A000')
      assert.equal(e.message, 'cross-database references are not implemented: e.dbq.t.c')
      return true
    })
    await run(s, 'DROP SCHEMA dbq CASCADE')
    s.close()
  })

  it('reports an error raised inside a worker with its SQLSTATE', async () => {
    const s = engine.createSession({ user: 'u', database: 'd' }) as FlintSession
    await assert.rejects(run(s, 'SELECT sum(b / (a - a)) FROM big'), (e: unknown) => {
      assert.ok(e instanceof EngineError)
      assert.equal(e.code, '22012')
      assert.equal(e.message, 'division by zero')
      return true
    })
    // the session and the pool still work afterwards
    assert.deepEqual(await rows(s, 'SELECT count(*) FROM big WHERE a = 999'), [[3000]])
    s.close()
  })

  it('pushes filters into Parquet scans and reads only the used columns', async () => {
    const path = join(dir, 't.parquet')
    const n = 1000
    const cols = [
      { name: 'id', type: T.int4 },
      { name: 'name', type: T.text },
      { name: 'price', type: T.float8 },
    ]
    const batch: Batch = {
      numRows: n,
      columns: [
        { type: T.int4, length: n, values: Int32Array.from({ length: n }, (_, i) => i), validity: null },
        { type: T.text, length: n, values: new TextEncoder().encode('x'.repeat(n)), validity: null, offsets: Int32Array.from({ length: n + 1 }, (_, i) => i) },
        { type: T.float8, length: n, values: Float64Array.from({ length: n }, (_, i) => i / 2), validity: null },
      ],
    }
    await writeParquet(path, cols, [batch], { rowGroupSize: 100 })
    const s = engine.createSession({ user: 'u', database: 'd' }) as FlintSession
    const plan = (await rows(s, `EXPLAIN SELECT id FROM read_parquet('${path}') WHERE price > 400`)).map((r) => r[0]).join('\n')
    assert.match(plan, /ScanExec: read_parquet\(.*\) columns=\[id, price\] filters=\[\(price > 400\)\]/)
    assert.doesNotMatch(plan, /FilterExec/)
    assert.deepEqual(await rows(s, `SELECT count(*), min(id) FROM read_parquet('${path}') WHERE price > 400`), [[199, 801]])
    s.close()
  })

  it('reads CSV files with inferred or given types and options', async () => {
    const path = join(dir, 't.csv')
    writeFileSync(path, 'id|name|amount\n1|a|1.50\n2||\n3|"c|d"|2.25\n')
    const s = engine.createSession({ user: 'u', database: 'd' }) as FlintSession
    assert.deepEqual(await rows(s, `SELECT id, name, amount FROM read_csv('${path}') ORDER BY id`), [
      [1, 'a', '1.50'],
      [2, null, null],
      [3, 'c|d', '2.25'],
    ])
    const given = `read_csv('${path}', header => true, delim => '|', columns => 'id bigint, name text, amount numeric(8,3)')`
    assert.deepEqual(await rows(s, `SELECT id, amount * 2 FROM ${given} WHERE id > 1 ORDER BY id`), [
      [2, null],
      [3, '4.500'],
    ])
    await assert.rejects(run(s, `SELECT * FROM read_csv('${path}', nosuch => 1)`), /no option "nosuch"/)
    s.close()
  })

  it('keeps a failed statement from changing anything, and transactions private until COMMIT', async () => {
    const a = engine.createSession({ user: 'u', database: 'd' }) as FlintSession
    const b = engine.createSession({ user: 'u', database: 'd' }) as FlintSession
    await run(a, 'CREATE TABLE acct (id int PRIMARY KEY, v int)')
    await run(a, 'INSERT INTO acct VALUES (1, 10), (2, 20)')
    await assert.rejects(run(a, 'UPDATE acct SET v = v / (id - 2)'), /division by zero/)
    assert.deepEqual(await rows(a, 'SELECT v FROM acct ORDER BY id'), [[10], [20]])
    await run(a, 'BEGIN')
    await run(a, 'INSERT INTO acct VALUES (3, 30)')
    assert.deepEqual(await rows(b, 'SELECT count(*) FROM acct'), [[2]])
    assert.deepEqual(await rows(a, 'SELECT count(*) FROM acct'), [[3]])
    await run(a, 'ROLLBACK')
    assert.deepEqual(await rows(a, 'SELECT count(*) FROM acct'), [[2]])
    await run(a, 'BEGIN; DELETE FROM acct WHERE id = 1; COMMIT')
    assert.deepEqual(await rows(b, 'SELECT count(*) FROM acct'), [[1]])
    a.close()
    b.close()
  })

  it('reports the command tags of INSERT/UPDATE/DELETE/MERGE, with rows for RETURNING', async () => {
    const s = engine.createSession({ user: 'u', database: 'd' }) as FlintSession
    const tag = async (sql: string): Promise<string> => {
      const r = (await run(s, sql))[0]!
      return r.kind === 'rows' || r.kind === 'command' ? `${r.kind} ${r.tag}` : r.kind
    }
    await run(s, 'CREATE TABLE tags (id int, v text)')
    assert.equal(await tag("INSERT INTO tags VALUES (1, 'a'), (2, 'b')"), 'command INSERT 0 2')
    assert.equal(await tag("INSERT INTO tags VALUES (3, 'c') RETURNING id"), 'rows INSERT 0 1')
    assert.equal(await tag('UPDATE tags SET v = v || v WHERE id > 1 RETURNING *'), 'rows UPDATE 2')
    assert.equal(await tag('MERGE INTO tags USING (VALUES (1), (9)) s(id) ON tags.id = s.id WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (s.id)'), 'command MERGE 2')
    assert.equal(await tag('DELETE FROM tags USING (VALUES (2)) d(id) WHERE tags.id = d.id'), 'command DELETE 1')
    assert.equal(await tag('WITH gone AS (DELETE FROM tags RETURNING id) SELECT count(*) FROM gone'), 'rows SELECT 1')
    assert.deepEqual(await rows(s, 'SELECT count(*) FROM tags'), [[0]])
    // extended protocol: the columns are known before running
    const p = await s.prepare('WITH x AS (INSERT INTO tags VALUES ($1) RETURNING id) SELECT id * 2 AS d FROM x', [23])
    assert.deepEqual(p.columns?.map((c) => c.name), ['d'])
    const r = await s.execute(p, [5])
    assert.deepEqual(r.kind === 'rows' ? r.batches.flatMap((b) => batchRows(b)) : r.kind, [[10]])
    const m = await s.prepare('DELETE FROM tags WHERE id = $1 RETURNING id, v', [23])
    assert.deepEqual(m.columns?.map((c) => c.name), ['id', 'v'])
    s.close()
  })
})
