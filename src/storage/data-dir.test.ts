import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatValue } from '../kernels/format.js'
import type { Session } from '../session/api.js'
import { Engine } from '../session/engine.js'

/** Runs SQL and returns the text of the last result's rows. */
async function rows(s: Session, sql: string): Promise<(string | null)[][]> {
  let out: (string | null)[][] = []
  for await (const r of s.executeSimple(sql)) {
    if (r.kind !== 'rows') continue
    const ctx = s.outputContext()
    out = r.batches.flatMap((b) => Array.from({ length: b.numRows }, (_, i) => b.columns.map((c) => formatValue(c, i, ctx))))
  }
  return out
}

async function run(s: Session, sql: string): Promise<void> {
  for await (const _ of s.executeSimple(sql)) void _
}

/** The data directory's files and the manifest's text. */
async function snapshot(dir: string): Promise<{ files: string[]; manifest: string }> {
  return { files: (await readdir(dir)).sort(), manifest: await readFile(join(dir, 'manifest.json'), 'utf8') }
}

describe('data directory', function () {
  this.timeout(60_000)
  let dir: string
  let engine: Engine | null = null

  const open = async (): Promise<Session> => {
    await engine?.close()
    engine = await Engine.create({ workers: 1, dataDir: dir })
    return engine.createSession({ user: 'u', database: 'postgres' })
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flint-data-dir-'))
  })

  afterEach(async () => {
    await engine?.close()
    engine = null
    await rm(dir, { recursive: true, force: true })
  })

  it('keeps tables of every type, views, empty tables and databases across a restart', async () => {
    let s = await open()
    await run(
      s,
      `create table typed (id integer primary key, n numeric(8,2) not null default 1.5, v varchar(5), d date, ts timestamp, tz timestamptz, b boolean,
         f double precision, big bigint, small smallint, tags text[], j json, u uuid, raw bytea, c char(3), span interval, t time)`,
    )
    await run(
      s,
      `insert into typed values
        (1, 2.25, 'ab', '2024-02-29', '2024-01-02 03:04:05.5', '2024-01-02 03:04:05+02', true, 0.1, 9007199254740991, -7, array['x', null], '{"a": 1}',
         'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\xdead', 'ab', '1 day 02:00:00', '12:34:56')`,
    )
    await run(s, 'insert into typed (id) values (2)')
    await run(s, 'create table plain as select g, g::text as s from generate_series(1, 70000) g')
    await run(s, 'create table empty (x integer)')
    await run(s, 'create view small_ids as select id from typed where id < 2')
    await run(s, 'create table dropped (x integer); drop table dropped')
    await run(s, 'create database other')
    await run(s, 'create table constrained (a integer unique, b integer check (b > 0))')
    await run(s, 'create table referencing (a integer references constrained (a))')
    const typed = await rows(s, 'select * from typed order by id')

    s = await open()
    assert.deepEqual(await rows(s, 'select * from typed order by id'), typed)
    assert.deepEqual(await rows(s, 'select count(*), sum(g), max(s) from plain'), [['70000', '2450035000', '9999']])
    assert.deepEqual(await rows(s, 'select count(*) from empty'), [['0']])
    assert.deepEqual(await rows(s, 'select * from small_ids'), [['1']])
    assert.deepEqual(await rows(s, "select count(*) from pg_class where relname = 'dropped'"), [['0']])
    await assert.rejects(run(s, 'insert into typed (id) values (1)'), { code: '23505' })
    await assert.rejects(run(s, 'insert into constrained values (1, 1), (1, 2)'), { code: '23505', message: 'duplicate key value violates unique constraint "constrained_a_key"' })
    await assert.rejects(run(s, 'insert into constrained values (2, 0)'), { code: '23514', message: 'new row for relation "constrained" violates check constraint "constrained_b_check"' })
    await assert.rejects(run(s, 'insert into referencing values (3)'), { code: '23503', message: 'insert or update on table "referencing" violates foreign key constraint "referencing_a_fkey"' })
    assert.deepEqual(await rows(s, "select column_default, is_nullable from information_schema.columns where table_name = 'typed' and column_name = 'n'"), [['1.5', 'NO']])
    // OIDs go on from where they were
    const before = await rows(s, "select max(oid::int) from pg_class where relname in ('typed', 'plain', 'empty', 'small_ids')")
    await run(s, 'create table later (x integer)')
    const later = await rows(s, "select oid::int from pg_class where relname = 'later'")
    assert.ok(Number(later[0]![0]) > Number(before[0]![0]))
    const other = engine!.createSession({ user: 'u', database: 'other' })
    assert.deepEqual(await rows(other, "select count(*) from pg_class where relname = 'typed'"), [['0']])
    // Parquet for the tables it holds exactly, Arrow IPC for the one with interval and time columns
    assert.deepEqual((await readdir(dir)).map((f) => f.replace(/^\d+-[0-9a-z]+-\d+/, 'T')).sort(), ['T.arrow', 'T.parquet', 'flint.pid', 'manifest.json'])
  })

  it('writes committed changes only: a failed statement or a rolled-back transaction leaves the files as they were', async () => {
    let s = await open()
    await run(s, 'create table items (id integer primary key, name text not null)')
    await run(s, "insert into items values (1, 'one'), (2, 'two')")
    const committed = await snapshot(dir)
    await assert.rejects(run(s, "insert into items values (3, 'three'), (1, 'again')"), { code: '23505' })
    await assert.rejects(run(s, 'update items set name = null'), { code: '23502' })
    await run(s, "begin; insert into items values (4, 'four'); delete from items where id = 1; rollback")
    assert.deepEqual(await snapshot(dir), committed)
    await run(s, "begin; insert into items values (5, 'five'); update items set name = 'uno' where id = 1")
    assert.deepEqual(await snapshot(dir), committed)
    await run(s, 'commit')
    await run(s, 'delete from items where id = 2')
    s = await open()
    assert.deepEqual(await rows(s, 'select * from items order by id'), [
      ['1', 'uno'],
      ['5', 'five'],
    ])
    // the files of older versions are gone
    assert.equal((await readdir(dir)).filter((f) => f.endsWith('.parquet')).length, 1)
    await run(s, 'truncate items')
    s = await open()
    assert.deepEqual(await rows(s, 'select count(*) from items'), [['0']])
  })

  it('keeps schemas and the relations in them', async () => {
    let s = await open()
    await run(s, 'create schema sales')
    await run(s, 'create table sales.orders (id integer primary key, total numeric(8,2))')
    await run(s, 'create table orders (id integer)')
    await run(s, "insert into sales.orders values (1, 9.5), (2, 20)")
    await run(s, 'create view sales.big as select id from sales.orders where total > 10')
    await run(s, 'create sequence sales.ids start with 7')
    s = await open()
    assert.deepEqual(await rows(s, 'select id, total from sales.orders order by id'), [
      ['1', '9.50'],
      ['2', '20.00'],
    ])
    assert.deepEqual(await rows(s, 'select * from sales.big'), [['2']])
    assert.deepEqual(await rows(s, 'select count(*) from orders'), [['0']])
    assert.deepEqual(await rows(s, "select nextval('sales.ids')"), [['7']])
    assert.deepEqual(await rows(s, "select nspname from pg_namespace where nspname = 'sales'"), [['sales']])
    await run(s, 'drop schema sales cascade')
    s = await open()
    await assert.rejects(run(s, 'select * from sales.orders'), { code: '42P01' })
  })

  it('keeps sequences and their counters: a value nextval() handed out is never handed out again', async () => {
    let s = await open()
    await run(s, 'create table tickets (id serial primary key, what text)')
    await run(s, "insert into tickets (what) values ('a'), ('b')")
    await run(s, 'create sequence countdown increment by -5 minvalue -100 maxvalue 100 start with 10 cycle')
    assert.deepEqual(await rows(s, "select nextval('countdown'), nextval('countdown')"), [['10', '5']])
    s = await open()
    assert.deepEqual(await rows(s, "select nextval('countdown')"), [['0']])
    await run(s, "insert into tickets (what) values ('c')")
    assert.deepEqual(await rows(s, 'select id, what from tickets order by id'), [
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
    ])
    await run(s, "select setval('countdown', -100)")
    s = await open()
    await assert.rejects(run(s, "select currval('countdown')"), { code: '55000' })
    // CYCLE and the bounds came back too: after the minimum comes the maximum
    assert.deepEqual(await rows(s, "select nextval('countdown')"), [['100']])
  })

  it('serves one engine at a time: a second one on the same directory fails with 55006, a stale lock is taken over', async () => {
    await open()
    await assert.rejects(Engine.create({ workers: 1, dataDir: dir }), { code: '55006', message: new RegExp(`is in use by process ${process.pid}$`) })
    await engine!.close()
    engine = null
    await writeFile(join(dir, 'flint.pid'), '2147483646\n')
    const s = await open()
    assert.deepEqual(await rows(s, 'select 1'), [['1']])
    assert.equal((await readFile(join(dir, 'flint.pid'), 'utf8')).trim(), String(process.pid))
  })

  it('refuses to start on a damaged manifest', async () => {
    await writeFile(join(dir, 'manifest.json'), '{"format": "something else"}')
    await assert.rejects(Engine.create({ workers: 1, dataDir: dir }), { code: 'XX001', message: /data directory is damaged/ })
    // the failed start released the directory
    assert.deepEqual((await readdir(dir)).sort(), ['manifest.json'])
  })
})
