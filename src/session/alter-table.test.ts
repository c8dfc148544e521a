import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Engine } from './engine.js'
import { rows, run } from './test-util.js'
import type { FlintSession } from './session.js'

describe('ALTER TABLE', function () {
  this.timeout(60_000)
  let engine: Engine
  let s: FlintSession

  before(async () => {
    engine = await Engine.create({ workers: 1 })
    s = engine.createSession({ user: 'u', database: 'postgres' }) as FlintSession
  })
  after(async () => engine.close())

  it('raises PostgreSQL errors for columns, NOT NULL and dependent views', async () => {
    await run(s, 'create table e1 (a int primary key, b text)')
    await run(s, "insert into e1 values (1, null)")
    await assert.rejects(run(s, 'alter table e1 add column c int not null'), { code: '23502', message: 'column "c" of relation "e1" contains null values' })
    await assert.rejects(run(s, 'alter table e1 alter column b set not null'), { code: '23502', message: 'column "b" of relation "e1" contains null values' })
    await assert.rejects(run(s, 'alter table e1 alter column a drop not null'), { code: '42P16', message: 'column "a" is in a primary key' })
    await assert.rejects(run(s, 'alter table e1 drop column zz'), { code: '42703', message: 'column "zz" of relation "e1" does not exist' })
    await assert.rejects(run(s, 'alter table e1 add column b int'), { code: '42701', message: 'column "b" of relation "e1" already exists' })
    await assert.rejects(run(s, 'alter table e1 rename column b to a'), { code: '42701', message: 'column "a" of relation "e1" already exists' })
    await assert.rejects(run(s, 'alter table nope add column x int'), { code: '42P01', message: 'relation "nope" does not exist' })
    await run(s, 'create view e1v as select b from e1')
    await assert.rejects(run(s, 'alter table e1 drop column b'), {
      code: '2BP01',
      message: 'cannot drop column b of table e1 because other objects depend on it',
      detail: 'view e1v depends on column b of table e1',
    })
    await assert.rejects(run(s, 'alter table e1 add foreign key (a) references e1 (a)'), { code: '0A000' })
  })

  it('drops constraints over a dropped column and renames columns inside CHECK expressions', async () => {
    await run(s, 'create table k1 (a int, b int unique, c int check (c > 0), check (a < c))')
    await run(s, 'insert into k1 values (1, 1, 2)')
    await run(s, 'alter table k1 rename column c to d')
    await assert.rejects(run(s, 'insert into k1 values (5, 2, 3)'), { code: '23514', message: 'new row for relation "k1" violates check constraint "k1_check"' })
    await run(s, 'alter table k1 drop column a')
    await run(s, 'insert into k1 values (2, 3)')
    await assert.rejects(run(s, 'insert into k1 values (2, 4)'), { code: '23505', message: 'duplicate key value violates unique constraint "k1_b_key"' })
    await assert.rejects(run(s, 'insert into k1 values (3, -1)'), { code: '23514', message: 'new row for relation "k1" violates check constraint "k1_c_check"' })
    assert.deepEqual(await rows(s, "select conname from pg_constraint where conrelid = 'k1'::regclass order by 1"), [['k1_b_key'], ['k1_c_check']])
    assert.deepEqual(await rows(s, "select attname, attnum from pg_attribute where attrelid = 'k1'::regclass and attnum > 0 order by attnum"), [['b', 1], ['d', 2]])
  })

  it('evaluates a volatile default per existing row', async () => {
    await run(s, 'create table v1 (a int)')
    await run(s, 'insert into v1 select generate_series(1, 3)')
    await run(s, 'create sequence v1_seq')
    await run(s, "alter table v1 add column n bigint default nextval('v1_seq')")
    assert.deepEqual(await rows(s, 'select a, n from v1 order by a'), [[1, 1], [2, 2], [3, 3]])
  })

  it('keeps altered tables in the data directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flint-alter-'))
    try {
      let e = await Engine.create({ workers: 1, dataDir: dir })
      let d = e.createSession({ user: 'u', database: 'postgres' }) as FlintSession
      await run(d, "create table p (a int, b text); insert into p values (1, 'x')")
      await run(d, "alter table p add column c int default 5, drop column b; alter table p rename to q; alter table q alter column c set not null")
      await e.close()
      e = await Engine.create({ workers: 1, dataDir: dir })
      d = e.createSession({ user: 'u', database: 'postgres' }) as FlintSession
      assert.deepEqual(await rows(d, 'select * from q'), [[1, 5]])
      await assert.rejects(run(d, 'insert into q values (2, null)'), { code: '23502' })
      await e.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
