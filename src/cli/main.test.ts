import assert from 'node:assert/strict'
import { T } from '../common/types.js'
import type { Vector } from '../common/vector.js'
import { formatResult } from './main.js'

describe('flint query output', () => {
  it('prints results of hundreds of thousands of rows as an aligned table', () => {
    const n = 400_000
    const values = new Int32Array(n)
    for (let i = 0; i < n; i++) values[i] = i + 1
    const column: Vector = { type: T.int4, length: n, values, validity: null }
    const text = formatResult(
      { kind: 'rows', tag: `SELECT ${n}`, columns: [{ name: 'x', type: T.int4, tableOid: 0, columnNumber: 0 }], batches: [{ numRows: n, columns: [column] }], rowCount: n },
      'table',
    )
    const lines = text.split('\n')
    assert.equal(lines[0], '   x')
    assert.equal(lines[2], '      1')
    assert.equal(lines[n + 1], ' 400000')
    assert.equal(lines[n + 2], `(${n} rows)`)
  })
})
