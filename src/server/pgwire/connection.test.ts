import assert from 'node:assert/strict'
import { wireError } from './backend.js'
import { isEmptyQuery, parseStartupOptions, retag } from './connection.js'

describe('pgwire connection helpers', () => {
  it('recognises query strings without a statement', () => {
    for (const sql of ['', ' ', ';', ' ; ;\n', '-- just a comment', '/* a /* nested */ comment */;', '-- c\n ; /* x */']) assert.equal(isEmptyQuery(sql), true, sql)
    for (const sql of ['select 1', ' ;select', '/* open comment', "-- c\nselect '--'", 'x']) assert.equal(isEmptyQuery(sql), false, sql)
  })

  it('replaces the row count of a command tag', () => {
    assert.equal(retag('SELECT 5', 2), 'SELECT 2')
    assert.equal(retag('INSERT 0 5', 1), 'INSERT 0 1')
    assert.equal(retag('FETCH 10', 0), 'FETCH 0')
    assert.equal(retag('BEGIN', 3), 'BEGIN')
  })

  it('parses libpq startup options', () => {
    assert.deepEqual(parseStartupOptions('-c search_path=x -csearch-limit=5 --geqo=off'), [
      ['search_path', 'x'],
      ['search_limit', '5'],
      ['geqo', 'off'],
    ])
    assert.deepEqual(parseStartupOptions('-c DateStyle=ISO,\\ DMY'), [['DateStyle', 'ISO, DMY']])
    assert.throws(() => parseStartupOptions('-x'), { code: '08P01' })
  })
})

describe('pgwire error reporting', () => {
  it('recognises engine errors by their fields and wraps anything else as XX000', () => {
    const foreign = Object.assign(new Error('relation "x" does not exist'), { kind: 'PlanError', code: '42P01', position: 15 })
    assert.deepEqual({ ...wireError(foreign) }, { code: '42P01', message: 'relation "x" does not exist', detail: undefined, hint: undefined, position: 15 })
    const other = wireError(new TypeError('boom'))
    assert.equal(other.code, 'XX000')
    assert.equal(other.message, 'internal error: boom')
  })
})
