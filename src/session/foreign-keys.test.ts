import assert from 'node:assert/strict'
import { Engine } from './engine.js'
import { rows, run } from './test-util.js'
import type { FlintSession } from './session.js'

describe('foreign keys', function () {
  this.timeout(60_000)
  let engine: Engine
  let s: FlintSession

  before(async () => {
    engine = await Engine.create({ workers: 1 })
    s = engine.createSession({ user: 'u', database: 'postgres' }) as FlintSession
  })
  after(async () => engine.close())

  it('checks inserted and updated referencing rows (MATCH SIMPLE: a key with a NULL is not checked)', async () => {
    await run(s, 'create table fp (a int primary key, b int unique)')
    await run(s, 'create table fc (b int references fp, c int references fp (b))')
    await run(s, 'insert into fp values (1, 10), (2, 20)')
    await run(s, 'insert into fc values (1, 10), (null, 20), (2, null)')
    await assert.rejects(run(s, 'insert into fc values (3, 10)'), {
      code: '23503',
      message: 'insert or update on table "fc" violates foreign key constraint "fc_b_fkey"',
      detail: 'Key (b)=(3) is not present in table "fp".',
    })
    await assert.rejects(run(s, 'update fc set c = 30 where c = 10'), { code: '23503', message: 'insert or update on table "fc" violates foreign key constraint "fc_c_fkey"', detail: 'Key (c)=(30) is not present in table "fp".' })
    assert.deepEqual(await rows(s, 'select count(*) from fc'), [[3]])
  })

  it('refuses deleting or updating a referenced key (NO ACTION, RESTRICT), and allows it once unreferenced', async () => {
    await run(s, 'create table rp (a int primary key)')
    await run(s, 'create table rc (a int references rp on delete restrict)')
    await run(s, 'insert into rp values (1), (2)')
    await run(s, 'insert into rc values (1)')
    await assert.rejects(run(s, 'delete from rp'), {
      code: '23503',
      message: 'update or delete on table "rp" violates foreign key constraint "rc_a_fkey" on table "rc"',
      detail: 'Key (a)=(1) is still referenced from table "rc".',
    })
    await assert.rejects(run(s, 'update rp set a = a + 10'), { code: '23503', detail: 'Key (a)=(1) is still referenced from table "rc".' })
    await run(s, 'delete from rp where a = 2')
    await run(s, 'delete from rc')
    await run(s, 'delete from rp')
    assert.deepEqual(await rows(s, 'select count(*) from rp'), [[0]])
  })

  it('checks at the end of the statement: a self-referencing multi-row insert and delete', async () => {
    await run(s, 'create table tree (id int primary key, parent int references tree)')
    await run(s, 'insert into tree values (1, null), (2, 1), (3, 4), (4, 2)')
    await assert.rejects(run(s, 'delete from tree where id = 2'), { code: '23503', message: 'update or delete on table "tree" violates foreign key constraint "tree_parent_fkey" on table "tree"', detail: 'Key (id)=(2) is still referenced from table "tree".' })
    await run(s, 'delete from tree where id >= 2')
    assert.deepEqual(await rows(s, 'select id from tree'), [[1]])
  })

  it('multi-column keys and transactions', async () => {
    await run(s, 'create table mp (a int, b text, primary key (a, b))')
    await run(s, 'create table mc (x int, y text, foreign key (x, y) references mp (a, b))')
    await run(s, "insert into mp values (1, 'p')")
    await run(s, "insert into mc values (1, 'p'), (1, null), (null, 'zz')")
    await assert.rejects(run(s, "insert into mc values (1, 'q')"), { code: '23503', detail: 'Key (x, y)=(1, q) is not present in table "mp".' })
    await run(s, 'begin')
    await run(s, "insert into mp values (2, 'r')")
    await run(s, "insert into mc values (2, 'r')")
    await run(s, 'commit')
    assert.deepEqual(await rows(s, 'select count(*) from mc'), [[4]])
  })

  it('ON DELETE CASCADE / SET NULL / SET DEFAULT and ON UPDATE CASCADE / SET NULL, cascading on', async () => {
    await run(s, 'create table ap (a int primary key)')
    await run(s, 'insert into ap values (0), (1), (2), (3)')
    await run(s, 'create table ac (x int references ap on delete cascade on update cascade)')
    await run(s, 'create table an (y int references ap on delete set null)')
    await run(s, 'create table ad (z int default 0 references ap on delete set default on update set null)')
    await run(s, 'create table ag (w int references ap on delete cascade, k int primary key)')
    await run(s, 'create table agg (k int references ag on delete cascade)')
    await run(s, 'insert into ac values (1), (2), (3)')
    await run(s, 'insert into an values (1), (2)')
    await run(s, 'insert into ad values (1), (3)')
    await run(s, 'insert into ag values (1, 10), (2, 20)')
    await run(s, 'insert into agg values (10), (20), (null)')
    await run(s, 'delete from ap where a = 1')
    assert.deepEqual(await rows(s, 'select x from ac order by 1'), [[2], [3]])
    assert.deepEqual(await rows(s, 'select y from an order by 1'), [[2], [null]])
    assert.deepEqual(await rows(s, 'select z from ad order by 1'), [[0], [3]])
    assert.deepEqual(await rows(s, 'select k from agg order by 1'), [[20], [null]])
    await run(s, 'update ap set a = 30 where a = 3')
    assert.deepEqual(await rows(s, 'select x from ac order by 1'), [[2], [30]])
    assert.deepEqual(await rows(s, 'select z from ad order by 1'), [[0], [null]])
    // the default 0 is still referenced: NO ACTION is not taken by a SET DEFAULT row
    await assert.rejects(run(s, 'delete from ap where a = 0'), { code: '23503', detail: 'Key (a)=(0) is still referenced from table "ad".' })
    // a SET NULL into a NOT NULL column fails the whole statement
    await run(s, 'create table ann (x int not null references ap on delete set null)')
    await run(s, 'insert into ann values (2)')
    await assert.rejects(run(s, 'delete from ap where a = 2'), { code: '23502' })
    assert.deepEqual(await rows(s, 'select count(*) from ap'), [[3]])
    await assert.rejects(run(s, 'merge into ap using (values (2)) v(a) on ap.a = v.a when matched then delete'), { code: '0A000' })
  })

  it('checks again at commit against what other sessions committed meanwhile', async () => {
    const other = engine.createSession({ user: 'u', database: 'postgres' }) as FlintSession
    await run(s, 'create table cp (a int primary key)')
    await run(s, 'create table cc (a int references cp)')
    await run(s, 'insert into cp values (1), (2)')
    await run(s, 'begin')
    await run(s, 'insert into cc values (1)')
    await run(other, 'delete from cp where a = 1')
    await assert.rejects(run(s, 'commit'), { code: '23503', message: 'insert or update on table "cc" violates foreign key constraint "cc_a_fkey"' })
    assert.deepEqual(await rows(s, 'select count(*) from cc'), [[0]])
    await run(s, 'insert into cc values (2)')
    assert.deepEqual(await rows(other, 'select a from cc'), [[2]])
  })

  it('CREATE TABLE errors: no matching key (42830), incompatible types (42804), missing columns and tables', async () => {
    await run(s, 'create table kp (a int primary key, b int, t text unique)')
    await assert.rejects(run(s, 'create table bad (x int references kp (b))'), { code: '42830', message: 'there is no unique constraint matching given keys for referenced table "kp"' })
    await assert.rejects(run(s, 'create table bad (x int, y int, foreign key (x, y) references kp (a))'), { code: '42830' })
    await assert.rejects(run(s, 'create table bad (x text references kp)'), {
      code: '42804',
      message: 'foreign key constraint "bad_x_fkey" cannot be implemented',
      detail: 'Key columns "x" and "a" are of incompatible types: text and integer.',
    })
    await assert.rejects(run(s, 'create table bad (x int references nosuch)'), { code: '42P01' })
    await assert.rejects(run(s, 'create table bad (x int, foreign key (nosuch) references kp)'), { code: '42703', message: 'column "nosuch" referenced in foreign key constraint does not exist' })
    await assert.rejects(run(s, 'create table bad (x int references kp match full)'), { code: '0A000' })
  })

  it('TRUNCATE and DROP TABLE of a referenced table need the referencing table too or CASCADE', async () => {
    await run(s, 'create table dp (a int primary key)')
    await run(s, 'create table dc (a int references dp)')
    await run(s, 'insert into dp values (1)')
    await run(s, 'insert into dc values (1)')
    await assert.rejects(run(s, 'truncate dp'), { code: '0A000', message: 'cannot truncate a table referenced in a foreign key constraint', detail: 'Table "dc" references "dp".' })
    await run(s, 'truncate dp cascade')
    assert.deepEqual(await rows(s, 'select count(*) from dc'), [[0]])
    await assert.rejects(run(s, 'drop table dp'), { code: '2BP01', message: 'cannot drop table dp because other objects depend on it', detail: 'constraint dc_a_fkey on table dc depends on table dp' })
    await run(s, 'drop table dp cascade')
    await run(s, 'insert into dc values (5)')
    assert.deepEqual(await rows(s, 'select a from dc'), [[5]])
  })
})
