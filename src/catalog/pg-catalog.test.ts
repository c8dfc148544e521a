/**
 * pg_catalog and information_schema over the real engine: rows generated from tables, primary
 * keys, defaults and views; reg* casts folded by the binder; the catalog queries drivers send.
 * Expected values are PostgreSQL 15's for the same definitions.
 */
import assert from 'node:assert/strict'
import { formatValue } from '../kernels/format.js'
import { Engine } from '../session/engine.js'
import type { Session } from '../session/api.js'

describe('virtual pg_catalog and information_schema', function () {
  let engine: Engine
  let session: Session

  /** Runs statements; returns the rows of the last as text (NULL → null). */
  async function rows(sql: string): Promise<(string | null)[][]> {
    let out: (string | null)[][] = []
    for await (const r of session.executeSimple(sql)) {
      if (r.kind !== 'rows') continue
      out = []
      for (const b of r.batches) for (let i = 0; i < b.numRows; i++) out.push(b.columns.map((c) => formatValue(c, i)))
    }
    return out
  }

  before(async () => {
    engine = await Engine.create({ workers: 1 })
    session = engine.createSession({ user: 'alice', database: 'shop' })
    await rows(
      "create table cat_items (id integer primary key, name varchar(20) not null default 'none', price numeric(10,2), made date default current_date, tags text[]);" +
        'create table cat_pair (a int, b bigint, primary key (b, a));' +
        'create view cat_cheap as select id, price as p from cat_items where price < 10;' +
        "insert into cat_items values (1, 'a', 1.50, '2024-01-01', null), (2, 'b', 20.00, '2024-01-02', null)",
    )
  })

  after(async () => {
    session?.close()
    await engine?.close()
  })

  it('lists the three schemas with PostgreSQL OIDs', async () => {
    assert.deepEqual(await rows('select oid, nspname, nspowner from pg_catalog.pg_namespace order by oid'), [
      ['11', 'pg_catalog', '10'],
      ['2200', 'public', '10'],
      ['13207', 'information_schema', '10'],
    ])
  })

  it('describes tables, views and primary-key indexes in pg_class', async () => {
    const r = await rows(
      "select c.relname, c.relkind, c.relnatts, c.relhasindex, am.amname, n.nspname from pg_class c join pg_namespace n on n.oid = c.relnamespace left join pg_am am on am.oid = c.relam where c.relname like 'cat%' order by 1",
    )
    assert.deepEqual(r, [
      ['cat_cheap', 'v', '2', 'f', null, 'public'],
      ['cat_items', 'r', '5', 't', 'heap', 'public'],
      ['cat_items_pkey', 'i', '1', 'f', 'btree', 'public'],
      ['cat_pair', 'r', '2', 't', 'heap', 'public'],
      ['cat_pair_pkey', 'i', '2', 'f', 'btree', 'public'],
    ])
    assert.deepEqual(await rows("select relname, relkind from pg_class where oid = 'pg_class'::regclass"), [['pg_class', 'r']])
  })

  it('gives pg_attribute the types, typmods, lengths and flags of each column', async () => {
    const r = await rows(
      "select a.attnum, a.attname, a.atttypid, a.atttypmod, a.attlen, a.attnotnull, a.atthasdef, a.attndims, format_type(a.atttypid, a.atttypmod) from pg_attribute a where a.attrelid = 'cat_items'::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum",
    )
    assert.deepEqual(r, [
      ['1', 'id', '23', '-1', '4', 't', 'f', '0', 'integer'],
      ['2', 'name', '1043', '24', '-1', 't', 't', '0', 'character varying(20)'],
      ['3', 'price', '1700', '655366', '-1', 'f', 'f', '0', 'numeric(10,2)'],
      ['4', 'made', '1082', '-1', '4', 'f', 't', '0', 'date'],
      ['5', 'tags', '1009', '-1', '-1', 'f', 'f', '1', 'text[]'],
    ])
    const view = await rows("select attname, format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'cat_cheap'::regclass order by attnum")
    assert.deepEqual(view, [
      ['id', 'integer'],
      ['p', 'numeric(10,2)'],
    ])
  })

  it('keeps defaults as text in pg_attrdef, as pg_get_expr prints them', async () => {
    const r = await rows("select d.adnum, pg_get_expr(d.adbin, d.adrelid, true) from pg_attrdef d where d.adrelid = 'cat_items'::regclass order by 1")
    assert.deepEqual(r, [
      ['2', "'none'::character varying"],
      ['4', 'CURRENT_DATE'],
    ])
  })

  it('describes primary keys in pg_index and pg_constraint', async () => {
    const idx = await rows(
      "select c2.relname, i.indisprimary, i.indisunique, i.indnatts, i.indkey, con.conname, con.contype, con.conkey from pg_index i join pg_class c2 on c2.oid = i.indexrelid left join pg_constraint con on con.conindid = i.indexrelid where i.indrelid = 'cat_pair'::regclass",
    )
    assert.deepEqual(idx, [['cat_pair_pkey', 't', 't', '2', '{2,1}', 'cat_pair_pkey', 'p', '{2,1}']])
  })

  it('lists Flint types with their array types in pg_type', async () => {
    const r = await rows("select oid, typname, typlen, typtype, typcategory, typelem, typarray from pg_type where typname in ('int4', '_int4', 'numeric', 'varchar', 'timestamptz', 'bool') order by oid")
    assert.deepEqual(r, [
      ['16', 'bool', '1', 'b', 'B', '0', '1000'],
      ['23', 'int4', '4', 'b', 'N', '0', '1007'],
      ['1007', '_int4', '-1', 'b', 'A', '23', '0'],
      ['1043', 'varchar', '-1', 'b', 'S', '0', '1015'],
      ['1184', 'timestamptz', '8', 'b', 'D', '0', '1185'],
      ['1700', 'numeric', '-1', 'b', 'N', '0', '1231'],
    ])
  })

  it("answers postgres.js's array-type query and SQLAlchemy's hstore probe", async () => {
    const arrays = await rows(
      "select b.oid, b.typarray from pg_catalog.pg_type a left join pg_catalog.pg_type b on b.oid = a.typelem where a.typcategory = 'A' group by b.oid, b.typarray order by b.oid",
    )
    assert.ok(arrays.some((r) => r[0] === '23' && r[1] === '1007'))
    assert.ok(arrays.some((r) => r[0] === '25' && r[1] === '1009'))
    assert.deepEqual(await rows("SELECT t.oid, typarray FROM pg_type t JOIN pg_namespace ns ON typnamespace = ns.oid WHERE typname = 'hstore'"), [])
  })

  it('folds reg* casts of literals to OIDs and prints reg* values cast to text by name', async () => {
    const r = await rows("select 'cat_items'::regclass::oid = c.oid, 'int4'::regtype::oid, 'character varying'::regtype::oid, 23::regtype::text, c.oid::regclass::text, 'public'::regnamespace from pg_class c where relname = 'cat_items'")
    assert.deepEqual(r, [['t', '23', '1043', 'integer', 'cat_items', '2200']])
    assert.deepEqual(await rows("select 'pg_catalog.pg_type'::regclass::oid, 11::oid::regnamespace::text, 'information_schema.tables'::regclass::text"), [['1247', 'pg_catalog', 'information_schema.tables']])
    await assert.rejects(rows("select 'no_such_rel'::regclass"), (e: Error & { code?: string }) => e.code === '42P01')
    await assert.rejects(rows("select 'no_such_type'::regtype"), (e: Error & { code?: string }) => e.code === '42704')
  })

  it('reads the session in pg_database, pg_roles and pg_settings', async () => {
    assert.deepEqual(await rows('select datname, datdba, encoding, datcollate from pg_database'), [['shop', '10', '6', 'C']])
    assert.deepEqual(await rows('select rolname, oid, rolsuper from pg_roles'), [['alice', '10', 't']])
    await rows("set application_name = 'cat-test'")
    assert.deepEqual(await rows("select setting, context from pg_settings where name = 'application_name'"), [['cat-test', 'user']])
    assert.deepEqual(await rows("select context from pg_settings where name = 'server_version'"), [['internal']])
  })

  it('lists registry functions, aggregates and window functions in pg_proc', async () => {
    const r = await rows("select proname, prokind from pg_proc where proname in ('lower', 'sum', 'row_number', 'format_type') order by 1")
    assert.deepEqual(r, [
      ['format_type', 'f'],
      ['lower', 'f'],
      ['row_number', 'w'],
      ['sum', 'a'],
    ])
  })

  it('generates information_schema tables, columns and key usage', async () => {
    assert.deepEqual(await rows("select table_name, table_type, is_insertable_into from information_schema.tables where table_schema = 'public' order by 1"), [
      ['cat_cheap', 'VIEW', 'NO'],
      ['cat_items', 'BASE TABLE', 'YES'],
      ['cat_pair', 'BASE TABLE', 'YES'],
    ])
    const cols = await rows(
      "select column_name, ordinal_position, column_default, is_nullable, data_type, character_maximum_length, numeric_precision, numeric_scale, datetime_precision, udt_name from information_schema.columns where table_name = 'cat_items' order by ordinal_position",
    )
    assert.deepEqual(cols, [
      ['id', '1', null, 'NO', 'integer', null, '32', '0', null, 'int4'],
      ['name', '2', "'none'::character varying", 'NO', 'character varying', '20', null, null, null, 'varchar'],
      ['price', '3', null, 'YES', 'numeric', null, '10', '2', null, 'numeric'],
      ['made', '4', 'CURRENT_DATE', 'YES', 'date', null, null, null, '0', 'date'],
      ['tags', '5', null, 'YES', 'ARRAY', null, null, null, null, '_text'],
    ])
    assert.deepEqual(await rows("select constraint_name, column_name, ordinal_position from information_schema.key_column_usage where table_name = 'cat_pair' order by 3"), [
      ['cat_pair_pkey', 'b', '1'],
      ['cat_pair_pkey', 'a', '2'],
    ])
    assert.deepEqual(await rows("select constraint_type from information_schema.table_constraints where table_name = 'cat_items' order by 1"), [['CHECK'], ['CHECK'], ['PRIMARY KEY']])
    assert.deepEqual(await rows("select schema_name from information_schema.schemata order by 1"), [['information_schema'], ['pg_catalog'], ['public']])
    const view = await rows("select view_definition from information_schema.views where table_name = 'cat_cheap'")
    assert.deepEqual(view, [[' SELECT id, price AS p FROM cat_items WHERE price < 10;']])
  })

  it("runs pgJDBC's getTables and getColumns queries", async () => {
    const tables = await rows(
      "SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME, CASE n.nspname ~ '^pg_' OR n.nspname = 'information_schema' WHEN true THEN 'SYSTEM' WHEN false THEN CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'v' THEN 'VIEW' ELSE NULL END ELSE NULL END AS TABLE_TYPE, d.description AS REMARKS FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_description d ON (c.oid = d.objoid AND d.objsubid = 0 and d.classoid = 'pg_class'::regclass) WHERE c.relnamespace = n.oid AND n.nspname LIKE 'public' AND c.relname LIKE 'cat_%' AND (false OR ( c.relkind = 'r' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' ) ) ORDER BY TABLE_TYPE,TABLE_SCHEM,TABLE_NAME",
    )
    assert.deepEqual(tables, [
      [null, 'public', 'cat_items', 'TABLE', null],
      [null, 'public', 'cat_pair', 'TABLE', null],
    ])
    const cols = await rows(
      "SELECT * FROM (SELECT n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum, nullif(a.attidentity, '') as attidentity,nullif(a.attgenerated, '') as attgenerated,pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype  FROM pg_catalog.pg_namespace n  JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid)  JOIN pg_catalog.pg_attribute a ON (a.attrelid=c.oid)  JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)  LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum)  LEFT JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)  LEFT JOIN pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class')  LEFT JOIN pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_catalog')  WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped  AND n.nspname LIKE 'public' AND c.relname LIKE 'cat_pair') c WHERE true  ORDER BY nspname,c.relname,attnum",
    )
    assert.deepEqual(
      cols.map((r) => [r[2], r[3], r[4], r[8], r[14]]),
      [
        ['a', '23', 't', '1', 'b'],
        ['b', '20', 't', '2', 'b'],
      ],
    )
  })

  it("binds psql's \\d query with OPERATOR(pg_catalog.~) and COLLATE pg_catalog.default", async () => {
    const r = await rows(
      "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname OPERATOR(pg_catalog.~) '^(cat_items)$' COLLATE pg_catalog.default ORDER BY 2, 3",
    )
    assert.equal(r.length, 1)
    assert.deepEqual(r[0]!.slice(1), ['public', 'cat_items'])
  })
})
