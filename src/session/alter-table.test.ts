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
    // a view's * keeps the columns it had: adding one to the table is refused rather than shown
    await run(s, 'create view e1star as select * from e1')
    await assert.rejects(run(s, 'alter table e1 add column z int'), { code: '0A000' })
    await assert.rejects(run(s, 'alter table e1 drop column a'), { code: '2BP01', detail: 'view e1star depends on column a of table e1' })
    await run(s, 'drop view e1star')
    await run(s, 'alter table e1 add column z int')
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

  it('ALTER COLUMN … TYPE: PostgreSQL errors without an assignment cast, for defaults, views and re-validated keys', async () => {
    await run(s, "create table t2 (a int primary key, b text default 'x', c numeric)")
    await run(s, "insert into t2 values (1, '2', 1.4), (2, '3', 1.2)")
    await assert.rejects(run(s, 'alter table t2 alter column b type int using b::int'), { code: '42804', message: 'default for column "b" cannot be cast automatically to type integer' })
    await run(s, 'alter table t2 alter column b drop default')
    await assert.rejects(run(s, 'alter table t2 alter column b type int'), { code: '42804', message: 'column "b" cannot be cast automatically to type integer', hint: 'You might need to specify "USING b::integer".' })
    await assert.rejects(run(s, 'alter table t2 alter column a type int using a::bool'), { code: '42804', message: 'result of USING clause for column "a" cannot be cast automatically to type integer', hint: 'You might need to add an explicit cast.' })
    await assert.rejects(run(s, 'alter table t2 alter column a type int using 7'), { code: '23505', message: 'could not create unique index "t2_pkey"', detail: 'Key (a)=(7) is duplicated.' })
    await run(s, 'alter table t2 alter column c type int')
    assert.deepEqual(await rows(s, 'select c from t2 order by a'), [[1], [1]])
    await run(s, 'create view t2v as select a from t2')
    await assert.rejects(run(s, 'alter table t2 alter column a type bigint'), { code: '0A000', message: 'cannot alter type of a column used by a view or rule', detail: 'rule _RETURN on view t2v depends on column "a"' })
  })

  it('ADD / DROP CONSTRAINT: validation errors and names as in PostgreSQL', async () => {
    await run(s, 'create table c1 (a int, b int, c int)')
    await run(s, 'insert into c1 values (1, null, 1), (1, 2, -1)')
    await assert.rejects(run(s, 'alter table c1 add primary key (zz)'), { code: '42703', message: 'column "zz" of relation "c1" does not exist' })
    await assert.rejects(run(s, 'alter table c1 add primary key (b)'), { code: '23502', message: 'column "b" of relation "c1" contains null values' })
    await assert.rejects(run(s, 'alter table c1 add primary key (a)'), { code: '23505', message: 'could not create unique index "c1_pkey"', detail: 'Key (a)=(1) is duplicated.' })
    await assert.rejects(run(s, 'alter table c1 add unique (a)'), { code: '23505', message: 'could not create unique index "c1_a_key"' })
    await assert.rejects(run(s, 'alter table c1 add check (c > 0)'), { code: '23514', message: 'check constraint "c1_c_check" of relation "c1" is violated by some row' })
    await run(s, 'alter table c1 add constraint foo check (a > 0)')
    await assert.rejects(run(s, 'alter table c1 add constraint foo check (a > 0)'), { code: '42710', message: 'constraint "foo" for relation "c1" already exists' })
    await assert.rejects(run(s, 'alter table c1 add check (a > 0), add check (a > 1)'), { message: 'check constraint "c1_a_check1" of relation "c1" is violated by some row' })
    await assert.rejects(run(s, 'alter table c1 add foreign key (a) references c1 (a)'), { code: '0A000' })
    await assert.rejects(run(s, 'alter table c1 drop constraint nope'), { code: '42704', message: 'constraint "nope" of relation "c1" does not exist' })
    await run(s, 'update c1 set a = 2 where c = -1')
    await run(s, 'alter table c1 add primary key (a)')
    await assert.rejects(run(s, 'alter table c1 add primary key (c)'), { code: '42P16', message: 'multiple primary keys for table "c1" are not allowed' })
    await assert.rejects(run(s, 'insert into c1 values (1, 0, 0)'), { code: '23505', message: 'duplicate key value violates unique constraint "c1_pkey"' })
    assert.deepEqual(await rows(s, "select indexname from pg_indexes where tablename = 'c1'"), [['c1_pkey']])
    await assert.rejects(run(s, 'alter table c1 rename to c1_renamed'), { code: '0A000' })
    await run(s, 'alter table c1 drop constraint c1_pkey, drop constraint foo')
    await run(s, 'insert into c1 values (1, 0, 0), (-1, 0, 0)')
    assert.deepEqual(await rows(s, "select attnotnull from pg_attribute where attrelid = 'c1'::regclass and attname = 'a'"), [[true]])
  })

  it('SET SCHEMA: PostgreSQL errors for a missing schema and a name taken there', async () => {
    await run(s, 'create schema m1; create table mv (a int primary key); create table m1.mv (a int)')
    await assert.rejects(run(s, 'alter table mv set schema nope'), { code: '3F000', message: 'schema "nope" does not exist' })
    await assert.rejects(run(s, 'alter table mv set schema m1'), { code: '42P07', message: 'relation "mv" already exists in schema "m1"' })
    await run(s, 'drop table m1.mv; alter table mv set schema m1')
    assert.deepEqual(await rows(s, "select table_schema from information_schema.tables where table_name = 'mv'"), [['m1']])
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
