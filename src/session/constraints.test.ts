import assert from 'node:assert/strict'
import { Engine } from './engine.js'
import { rows, run } from './test-util.js'
import type { FlintSession } from './session.js'

describe('table constraints', function () {
  this.timeout(60_000)
  let engine: Engine
  let s: FlintSession

  before(async () => {
    engine = await Engine.create({ workers: 1 })
    s = engine.createSession({ user: 'u', database: 'postgres' }) as FlintSession
  })
  after(async () => engine.close())

  it('UNIQUE: 23505 with PostgreSQL constraint names and DETAIL; NULLs never conflict', async () => {
    await run(s, 'create table uq (a int unique, b int, c text, unique (b, c))')
    await run(s, "insert into uq values (1, 1, 'x'), (null, 1, null), (null, 1, null)")
    await assert.rejects(run(s, "insert into uq values (1, 2, 'y')"), {
      code: '23505',
      message: 'duplicate key value violates unique constraint "uq_a_key"',
      detail: 'Key (a)=(1) already exists.',
    })
    await assert.rejects(run(s, "insert into uq values (2, 1, 'x')"), { code: '23505', message: 'duplicate key value violates unique constraint "uq_b_c_key"', detail: 'Key (b, c)=(1, x) already exists.' })
    await assert.rejects(run(s, 'update uq set a = 5'), { code: '23505' })
    await run(s, 'create table uq_named (a int, constraint my_key unique (a))')
    await assert.rejects(run(s, 'insert into uq_named values (3), (3)'), { message: 'duplicate key value violates unique constraint "my_key"' })
    assert.deepEqual(await rows(s, 'select count(*) from uq'), [[3]])
  })

  it('CHECK: 23514 naming the constraint and the failing row; NULL passes; checked in name order', async () => {
    await run(s, 'create table ck (a int check (a > 0), b int, check (a < b), check (b <> 7))')
    await run(s, 'insert into ck values (null, 1), (1, null), (1, 2)')
    await assert.rejects(run(s, 'insert into ck values (-1, 5)'), {
      code: '23514',
      message: 'new row for relation "ck" violates check constraint "ck_a_check"',
      detail: 'Failing row contains (-1, 5).',
    })
    await assert.rejects(run(s, 'insert into ck values (3, 2)'), { message: 'new row for relation "ck" violates check constraint "ck_check"' })
    await assert.rejects(run(s, 'update ck set b = 7 where a = 1'), { message: 'new row for relation "ck" violates check constraint "ck_b_check"', detail: 'Failing row contains (1, 7).' })
    await run(s, 'create table ck2 (a int, b int, check (a > 0), check (b > 0), check (a > 1))')
    // "ck2_a_check" sorts before "ck2_a_check1" and "ck2_b_check"
    await assert.rejects(run(s, 'insert into ck2 values (0, 0)'), { message: 'new row for relation "ck2" violates check constraint "ck2_a_check"' })
    await assert.rejects(run(s, 'insert into ck2 values (1, 0)'), { message: 'new row for relation "ck2" violates check constraint "ck2_a_check1"' })
    assert.deepEqual(await rows(s, 'select count(*) from ck'), [[3]])
  })

  it('CHECK expressions are validated at CREATE TABLE', async () => {
    await assert.rejects(run(s, 'create table bad (a int check (a > (select 1)))'), { code: '0A000', message: 'cannot use subquery in check constraint' })
    await assert.rejects(run(s, 'create table bad (a int check (sum(a) > 1))'), { code: '42803', message: 'aggregate functions are not allowed in check constraints' })
    await assert.rejects(run(s, 'create table bad (a int check (a + 1))'), { code: '42804', message: 'argument of CHECK must be type boolean, not type integer' })
    await assert.rejects(run(s, 'create table bad (a int check (nope > 1))'), { code: '42703' })
    assert.deepEqual(await rows(s, "select count(*) from pg_class where relname = 'bad'"), [[0]])
  })

  it('a violating statement changes nothing (INSERT … SELECT, MERGE)', async () => {
    await run(s, 'create table at (a int unique check (a < 100))')
    await assert.rejects(run(s, 'insert into at select g from generate_series(1, 200) g'), { code: '23514' })
    await run(s, 'insert into at select g from generate_series(1, 10) g')
    await assert.rejects(run(s, 'merge into at using (values (5), (11)) v(x) on at.a = v.x when matched then update set a = 1 when not matched then insert values (x)'), { code: '23505' })
    await assert.rejects(run(s, 'merge into at using (values (500)) v(x) on at.a = v.x when not matched then insert values (x)'), { code: '23514' })
    assert.deepEqual(await rows(s, 'select count(*), sum(a) from at'), [[10, 55]])
  })

  it('pg_constraint, pg_index, pg_class and information_schema list UNIQUE and CHECK constraints', async () => {
    await run(s, "create table cat (a int unique, b int check (b > 0), c text, unique (a, c), check (b < c::int))")
    assert.deepEqual(await rows(s, "select conname, contype, conkey::text, pg_get_constraintdef(oid), pg_get_constraintdef(oid, true) from pg_constraint where conrelid = 'cat'::regclass order by 1"), [
      ['cat_a_c_key', 'u', '{1,3}', 'UNIQUE (a, c)', 'UNIQUE (a, c)'],
      ['cat_a_key', 'u', '{1}', 'UNIQUE (a)', 'UNIQUE (a)'],
      ['cat_b_check', 'c', '{2}', 'CHECK ((b > 0))', 'CHECK (b > 0)'],
      ['cat_check', 'c', '{2,3}', 'CHECK ((b < c::integer))', 'CHECK (b < c::integer)'],
    ])
    assert.deepEqual(await rows(s, "select c.relname, c.relkind, i.indisunique, i.indisprimary from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = 'cat'::regclass order by 1"), [
      ['cat_a_c_key', 'i', true, false],
      ['cat_a_key', 'i', true, false],
    ])
    assert.deepEqual(await rows(s, "select relhasindex, relchecks from pg_class where relname = 'cat'"), [[true, 2]])
    assert.deepEqual(await rows(s, "select pg_get_indexdef('cat_a_c_key'::regclass)"), [['CREATE UNIQUE INDEX cat_a_c_key ON public.cat USING btree (a, c)']])
    assert.deepEqual(await rows(s, "select constraint_name, constraint_type from information_schema.table_constraints where table_name = 'cat' and constraint_name like 'cat%' order by 1"), [
      ['cat_a_c_key', 'UNIQUE'],
      ['cat_a_key', 'UNIQUE'],
      ['cat_b_check', 'CHECK'],
      ['cat_check', 'CHECK'],
    ])
    assert.deepEqual(await rows(s, "select constraint_name, column_name, ordinal_position from information_schema.key_column_usage where table_name = 'cat' order by 1, 3"), [
      ['cat_a_c_key', 'a', 1],
      ['cat_a_c_key', 'c', 2],
      ['cat_a_key', 'a', 1],
    ])
  })

  it('CREATE [UNIQUE] INDEX and DROP INDEX: catalog metadata; a unique index is enforced', async () => {
    await run(s, "create table ix (a int, b text, c int unique)")
    await run(s, "insert into ix values (1, 'x', 1), (1, 'y', 2), (2, 'x', 3)")
    await run(s, 'create index on ix (a)')
    await run(s, 'create index ix_b on ix (b)')
    await run(s, 'create index if not exists ix_b on ix (a)')
    await assert.rejects(run(s, 'create index ix_b on ix (a)'), { code: '42P07', message: 'relation "ix_b" already exists' })
    await assert.rejects(run(s, 'create unique index ix_a_u on ix (a)'), { code: '23505', message: 'could not create unique index "ix_a_u"', detail: 'Key (a)=(1) is duplicated.' })
    await run(s, 'create unique index ix_ab on ix (a, b)')
    await assert.rejects(run(s, "insert into ix values (1, 'x', 9)"), { code: '23505', message: 'duplicate key value violates unique constraint "ix_ab"', detail: 'Key (a, b)=(1, x) already exists.' })
    assert.deepEqual(await rows(s, "select c.relname, c.relkind, i.indisunique, pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid where indrelid = 'ix'::regclass order by 1"), [
      ['ix_a_idx', 'i', false, 'CREATE INDEX ix_a_idx ON public.ix USING btree (a)'],
      ['ix_ab', 'i', true, 'CREATE UNIQUE INDEX ix_ab ON public.ix USING btree (a, b)'],
      ['ix_b', 'i', false, 'CREATE INDEX ix_b ON public.ix USING btree (b)'],
      ['ix_c_key', 'i', true, 'CREATE UNIQUE INDEX ix_c_key ON public.ix USING btree (c)'],
    ])
    await assert.rejects(run(s, 'create index ix_e on ix ((a + 1))'), { code: '0A000' })
    await assert.rejects(run(s, 'create index ix_p on ix (a) where a > 0'), { code: '0A000' })
    await assert.rejects(run(s, 'create index ix_h on ix using hash (a)'), { code: '0A000' })
    await assert.rejects(run(s, 'drop index ix_c_key'), { code: '2BP01', message: 'cannot drop index ix_c_key because constraint ix_c_key on table ix requires it' })
    await assert.rejects(run(s, 'drop index ix'), { code: '42809', message: '"ix" is not an index' })
    await assert.rejects(run(s, 'drop index nope'), { code: '42704', message: 'index "nope" does not exist' })
    await run(s, 'drop index if exists nope')
    await run(s, 'drop index ix_b, ix_ab')
    await run(s, "insert into ix values (1, 'x', 9)")
    assert.deepEqual(await rows(s, "select relname from pg_class where relname like 'ix%' order by 1"), [['ix'], ['ix_a_idx'], ['ix_c_key']])
  })

  it('indexes share the namespace of relations (42P07)', async () => {
    await run(s, 'create table ns1 (a int unique)')
    await assert.rejects(run(s, 'create table ns1_a_key (x int)'), { code: '42P07', message: 'relation "ns1_a_key" already exists' })
    await assert.rejects(run(s, 'create table ns2 (a int, constraint ns1_a_key unique (a))'), { code: '42P07' })
    await run(s, 'create table ns1_a_key1 (x int)')
    await run(s, 'create table ns3 (a int, constraint ns1_a_key check (a > 0))')
    await run(s, 'create index ns_i on ns3 (a)')
    await assert.rejects(run(s, 'create table ns_i (x int)'), { code: '42P07', message: 'relation "ns_i" already exists' })
    await run(s, 'drop table ns3')
    await run(s, 'create table ns_i (x int)')
  })

  it('constraints and options it would not enforce are refused with 0A000', async () => {
    for (const sql of [
      'create table nope (a int unique deferrable initially deferred)',
      'create table nope (a int, unique (a) deferrable initially deferred)',
      'create table nope (a int, unique nulls not distinct (a))',
      'create table nope (a int, b int, unique (a) include (b))',
      'create table nope (a int generated always as (1) stored)',
      'create table nope (a int generated always as identity)',
      'create table nope (a int primary key deferrable)',
    ]) {
      await assert.rejects(run(s, sql), { code: '0A000' }, sql)
    }
    await run(s, 'create table imm (a int unique not deferrable initially immediate)')
    await assert.rejects(run(s, 'insert into imm values (1), (1)'), { code: '23505' })
  })
})
