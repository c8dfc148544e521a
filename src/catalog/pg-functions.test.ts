/**
 * The catalog functions evaluated the way the executor calls them, with an evaluation context
 * that carries the session, its settings and the catalog digest. Expected values are what
 * PostgreSQL 15 returns for the same objects.
 */
import assert from 'node:assert/strict'
import { T, type SqlType } from '../common/types.js'
import { valueAt, vectorFromValues, type Value } from '../common/value.js'
import { lookupFunctions } from '../kernels/registry.js'
import type { CatalogState } from './catalog.js'
import { catalogDigest } from './catalog-model.js'
import { pkConstraintOid, pkIndexOid } from './catalog-oids.js'
import { sizePretty, versionString, type CatalogEvalContext } from './pg-functions.js'
import './system-catalog.js'

const state: CatalogState = {
  relations: new Map([
    [
      'orders',
      {
        kind: 'table',
        def: {
          oid: 16390,
          name: 'orders',
          columns: [
            { name: 'id', type: T.int4, notNull: true, defaultSql: null },
            { name: 'Region', type: T.text, notNull: true, defaultSql: null },
          ],
          primaryKey: [0, 1],
          external: null,
        },
        data: { chunks: [{ numRows: 2, columns: [vectorFromValues(T.int4, [1, 2]), vectorFromValues(T.text, ['a', 'b'])] }], rowCount: 2 },
      },
    ],
  ]),
}

const ctx: CatalogEvalContext = {
  now: 0,
  timezone: 'UTC',
  settings: new Map([
    ['search_path', '"$user", public'],
    ['timezone', 'Europe/Paris'],
  ]),
  session: { user: 'carol', database: 'sales', schema: 'public', pid: 7, backends: [7, 9], xid: 740 },
  catalog: catalogDigest(state),
}

/** Calls a registry function on one row of arguments typed as given. */
function call(name: string, args: readonly [SqlType, Value][], c: CatalogEvalContext = ctx): Value {
  for (const f of lookupFunctions(name)) {
    const r = f.resolve(args.map(([t]) => t))
    if (!r) continue
    const vecs = args.map(([t, v], i) => vectorFromValues(r.args[i] ?? t, [v]))
    return valueAt(f.evaluate(vecs, 1, r.ret, c), 0)
  }
  throw new Error(`no overload of ${name}`)
}

describe('catalog functions', () => {
  it('format_type prints names with modifiers as PostgreSQL does', () => {
    assert.equal(call('format_type', [[T.oid, 1043], [T.int4, 14]]), 'character varying(10)')
    assert.equal(call('format_type', [[T.oid, 1700], [T.int4, 786438]]), 'numeric(12,2)')
    assert.equal(call('format_type', [[T.oid, 1042], [T.int4, 9]]), 'character(5)')
    assert.equal(call('format_type', [[T.oid, 1042], [T.int4, null]]), 'character')
    assert.equal(call('format_type', [[T.oid, 1007], [T.int4, -1]]), 'integer[]')
    assert.equal(call('format_type', [[T.oid, 0], [T.int4, -1]]), '-')
    assert.equal(call('format_type', [[T.oid, 99999], [T.int4, -1]]), '???')
  })

  it('describes primary keys by their OIDs', () => {
    assert.equal(call('pg_get_indexdef', [[T.oid, pkIndexOid(16390)]]), 'CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id, "Region")')
    assert.equal(call('pg_get_indexdef', [[T.oid, pkIndexOid(16390)], [T.int4, 2], [T.bool, true]]), '"Region"')
    assert.equal(call('pg_get_constraintdef', [[T.oid, pkConstraintOid(16390)], [T.bool, true]]), 'PRIMARY KEY (id, "Region")')
    assert.equal(call('pg_get_indexdef', [[T.oid, 12345]]), null)
  })

  it('answers from the session and its settings', () => {
    assert.equal(call('current_database', []), 'sales')
    assert.equal(call('pg_get_userbyid', [[T.oid, 10]]), 'carol')
    assert.equal(call('pg_get_userbyid', [[T.oid, 99]]), 'unknown (OID=99)')
    assert.equal(call('current_setting', [[T.text, 'TimeZone']]), 'Europe/Paris')
    assert.equal(call('current_setting', [[T.text, 'no.such'], [T.bool, true]]), null)
    assert.throws(() => call('current_setting', [[T.text, 'no_such']]), (e: Error & { code?: string }) => e.code === '42704')
    assert.deepEqual(call('current_schemas', [[T.bool, true]]), ['pg_catalog', 'public'])
    assert.deepEqual(call('current_schemas', [[T.bool, false]]), ['public'])
    assert.equal(call('current_schema', []), 'public')
  })

  it('refuses to answer without the context it needs', () => {
    const bare: CatalogEvalContext = { now: 0, timezone: 'UTC' }
    assert.throws(() => call('current_database', [], bare), (e: Error & { code?: string }) => e.code === 'XX000')
    assert.throws(() => call('pg_get_indexdef', [[T.oid, pkIndexOid(16390)]], bare), (e: Error & { code?: string }) => e.code === 'XX000')
  })

  it('decides visibility from schemas and the digest', () => {
    assert.equal(call('pg_table_is_visible', [[T.oid, 16390]]), true)
    assert.equal(call('pg_table_is_visible', [[T.oid, 1259]]), true)
    assert.equal(call('pg_table_is_visible', [[T.oid, 13425]]), false)
    assert.equal(call('pg_table_is_visible', [[T.oid, 20000]]), null)
    assert.equal(call('pg_type_is_visible', [[T.oid, 23]]), true)
  })

  it('sizes relations and prints sizes as pg_size_pretty does', () => {
    assert.ok((call('pg_relation_size', [[T.regclass, 16390]]) as number) > 0)
    assert.ok((call('pg_total_relation_size', [[T.regclass, 16390]]) as number) > (call('pg_relation_size', [[T.regclass, 16390]]) as number))
    assert.equal(sizePretty(1023), '1023 bytes')
    assert.equal(sizePretty(10240), '10 kB')
    assert.equal(sizePretty(10485760), '10 MB')
    assert.equal(sizePretty(123456789), '118 MB')
    assert.equal(call('pg_size_pretty', [[T.int8, 10239]]), '10239 bytes')
  })

  it('reports a version SQLAlchemy and pgJDBC parse as PostgreSQL 15', () => {
    const v = versionString('15.0')
    assert.match(v, /^PostgreSQL 15\.0 \(Flint \d+\.\d+\.\d+\) on /)
    assert.ok(/.*(?:PostgreSQL|EnterpriseDB) (\d+)\.?(\d+)?(?:\.(\d+))?(?:\.\d+)?(?:devel|beta)?/.test(v))
  })

  it('builds JSON objects and works on arrays as PostgreSQL does', () => {
    assert.equal(call('json_build_object', [[T.text, 'a'], [T.int4, 1], [T.text, 'b'], [T.bool, false], [T.text, 'c'], [T.text, null]]), '{"a" : 1, "b" : false, "c" : null}')
    const ints: SqlType = { id: 'array', element: T.int2 }
    assert.equal(call('array_upper', [[ints, [3, 1]], [T.int4, 1]]), 2)
    assert.equal(call('array_upper', [[ints, []], [T.int4, 1]]), null)
    assert.equal(call('array_position', [[{ id: 'array', element: T.text }, ['x', 'y']], [T.text, 'y']]), 2)
  })

  it('encodings, descriptions and privileges', () => {
    assert.equal(call('pg_encoding_to_char', [[T.int4, 6]]), 'UTF8')
    assert.equal(call('obj_description', [[T.oid, 16390], [T.text, 'pg_class']]), null)
    assert.equal(call('has_table_privilege', [[T.text, 'orders'], [T.text, 'select']]), true)
  })
})
