import assert from 'node:assert/strict'
import { Catalog, relationKey, schemaChange, splitRelationKey, withRelation, withSchema } from './catalog.js'

describe('catalog schemas', () => {
  it('keys relations of schema public by name and others by schema.name', () => {
    assert.equal(relationKey('public', 't'), 't')
    assert.equal(relationKey('s', 't'), 's.t')
    assert.deepEqual(splitRelationKey('t'), { schema: 'public', name: 't' })
    assert.deepEqual(splitRelationKey('s.t'), { schema: 's', name: 't' })
  })

  it('publishes a schema created or dropped in a session on top of what others committed', async () => {
    const catalog = new Catalog()
    const mine = withSchema(catalog.snapshot(), 's', 20000)
    // meanwhile another session commits a table
    const view = { kind: 'view' as const, oid: 1, name: 'v', sql: 'x', columnNames: null }
    await catalog.commit(withRelation(catalog.snapshot(), 'v', view), new Set(['v']))
    await catalog.commit(mine, new Set([schemaChange('s')]))
    assert.deepEqual([...(catalog.snapshot().schemas ?? [])], [['s', 20000]])
    assert.ok(catalog.snapshot().relations.has('v'))
    await catalog.commit(withSchema(catalog.snapshot(), 's', undefined), new Set([schemaChange('s')]))
    assert.deepEqual([...(catalog.snapshot().schemas ?? [])], [])
  })
})
