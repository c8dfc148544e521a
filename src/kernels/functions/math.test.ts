import assert from 'node:assert/strict'
import { numericType, T } from '../../common/types.js'
import { vectorFromValues } from '../../common/value.js'
import { toStrings } from '../../common/vector.js'
import { lookupFunctions } from '../registry.js'
import './index.js'
import { mathCases } from './math.cases.js'
import { nextRandom, rint, setSeed } from './math.js'
import { itCases } from './test-util.js'

const ctx = { now: 0, timezone: 'UTC' }

describe('math functions (PostgreSQL 15 results)', () => {
  itCases(mathCases)
})

describe('math kernels', () => {
  it('random() after setseed follows PostgreSQL 15 sequence', () => {
    setSeed(0.5)
    assert.equal(nextRandom(), 0.9851677175347999)
    assert.equal(nextRandom(), 0.825301858027981)
  })

  it('rint rounds half to even and keeps the sign of zero', () => {
    assert.deepEqual([rint(0.5), rint(1.5), rint(-2.5), rint(2.4999)], [0, 2, -2, 2])
    assert.ok(Object.is(rint(-0.4), -0))
  })

  it('abs over a static-scale numeric column stays in the scaled-double layout', () => {
    const f = lookupFunctions('abs')[0]!
    const ty = numericType(15, 2)
    const r = f.resolve([ty])!
    assert.deepEqual(r.ret, numericType(null, 2))
    const out = f.evaluate([vectorFromValues(ty, ['-1.50', null, '2.25'])], 3, r.ret, ctx)
    assert.ok(out.values instanceof Float64Array)
    assert.deepEqual([...out.values].slice(0, 1), [150])
    assert.equal(out.values[2], 225)
  })

  it('round(numeric, int) gives per-row scales as decimal text', () => {
    const f = lookupFunctions('round')[0]!
    const r = f.resolve([numericType(10, 3), T.int4])!
    const out = f.evaluate(
      [vectorFromValues(numericType(10, 3), ['1.235', '-1.235', null]), vectorFromValues(T.int4, [2, 0, 1])],
      3,
      r.ret,
      ctx,
    )
    assert.deepEqual(toStrings(out), ['1.24', '-1', null])
  })

  it('resolves integer arguments of round/sqrt to float8 as PostgreSQL does', () => {
    assert.deepEqual(lookupFunctions('round')[0]!.resolve([T.int4])!.ret, T.float8)
    assert.deepEqual(lookupFunctions('sqrt')[0]!.resolve([T.int8])!.ret, T.float8)
    assert.deepEqual(lookupFunctions('abs')[0]!.resolve([T.int2])!.ret, T.int2)
    assert.deepEqual(lookupFunctions('mod')[0]!.resolve([T.int8, T.int4])!.ret, T.int8)
    assert.deepEqual(lookupFunctions('abs')[0]!.resolve([null])!.ret, T.float8)
  })

  it('integer mod raises division by zero only on valid rows', () => {
    const f = lookupFunctions('mod')[0]!
    const r = f.resolve([T.int4, T.int4])!
    const out = f.evaluate([vectorFromValues(T.int4, [7, null]), vectorFromValues(T.int4, [2, 0])], 2, r.ret, ctx)
    assert.equal(out.values[0], 1)
    assert.throws(() => f.evaluate([vectorFromValues(T.int4, [7]), vectorFromValues(T.int4, [0])], 1, r.ret, ctx), { code: '22012' })
  })
})
