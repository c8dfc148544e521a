import assert from 'node:assert/strict'
import { cellsEqual, compareResults, type QueryResult } from './compare.js'

describe('compareResults', () => {
  it('compares exact decimals to the smaller scale, exactly', () => {
    assert.ok(cellsEqual('3.00', '3'))
    assert.ok(cellsEqual('1234.5600', '1234.56'))
    assert.ok(cellsEqual('1234.565', '1234.57'), 'the longer side rounds half away from zero')
    assert.ok(!cellsEqual('1234.56', '1234.57'))
    assert.ok(!cellsEqual('-0.01', '0.01'))
    assert.ok(cellsEqual('492793221.5722', '492793221.5722'))
    assert.ok(!cellsEqual('492793221.5722', '492793221.5723'))
    assert.ok(cellsEqual('14522', 14522), 'bigint text vs number')
  })

  it('compares doubles with a relative tolerance', () => {
    assert.ok(cellsEqual(25.45875223798375, '25.4587522379837500'), 'PostgreSQL numeric avg vs DuckDB double')
    assert.ok(cellsEqual(0.1 + 0.2, '0.3'))
    assert.ok(!cellsEqual(25.4587, '25.4588'))
    assert.ok(cellsEqual('1.5', '1.5000000001', 'double'))
    assert.ok(!cellsEqual('1.5', '1.5001', 'double'))
    assert.ok(cellsEqual('1e3', '1000'))
  })

  it('compares dates, text and NULLs', () => {
    assert.ok(cellsEqual('1998-09-02', '1998-09-02', 'date'))
    assert.ok(cellsEqual(new Date(Date.UTC(1998, 8, 2)), '1998-09-02', 'date'))
    assert.ok(!cellsEqual('1998-09-02', '1998-09-03', 'date'))
    assert.ok(cellsEqual('Brand#12', 'Brand#12', 'text'))
    assert.ok(!cellsEqual('00', '0', 'text'), 'text is never compared as a number')
    assert.ok(cellsEqual(null, null))
    assert.ok(!cellsEqual(null, '0'))
    assert.ok(!cellsEqual('', null))
  })

  it('checks row order only when asked', () => {
    const expected: QueryResult = {
      columns: [
        { name: 'flag', kind: 'text' },
        { name: 'total', kind: 'decimal' },
      ],
      rows: [
        ['A', '10.00'],
        ['N', '20.50'],
      ],
    }
    const swapped = [
      ['N', '20.5'],
      ['A', '10'],
    ]
    assert.equal(compareResults(expected, swapped, { ordered: false }).equal, true)
    const ordered = compareResults(expected, swapped, { ordered: true })
    assert.equal(ordered.equal, false)
    assert.match(ordered.differences[0]!, /row 1, flag: expected "A", got "N"/)
  })

  it('reports missing rows and differing values', () => {
    const r = compareResults([['1', 'x']], [], { ordered: false })
    assert.equal(r.equal, false)
    assert.match(r.differences[0]!, /expected 1 rows, got 0/)
    const many = compareResults(
      Array.from({ length: 20 }, (_, i) => [String(i)]),
      Array.from({ length: 20 }, (_, i) => [String(i + 100)]),
      { ordered: true, maxDifferences: 3 },
    )
    assert.equal(many.differences.length, 4)
    assert.match(many.differences[3]!, /20 differing values/)
  })
})
