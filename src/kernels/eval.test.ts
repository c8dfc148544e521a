import assert from 'node:assert/strict'
import { isWideInt8, wideInt8Vector } from '../common/int8.js'
import { numericType, T, type SqlType } from '../common/types.js'
import { valueAt, vectorFromValues, type Value } from '../common/value.js'
import type { Vector } from '../common/vector.js'
import { col, lit, type BinaryOp, type Expr } from '../logical/expr.js'
import { evaluate, type EvalEnv } from './eval.js'
import './load-functions.js'

const env: EvalEnv = { now: 0, timezone: 'UTC', params: [] }
const rows = (v: Vector): Value[] => Array.from({ length: v.length }, (_, i) => valueAt(v, i))
const bin = (op: BinaryOp, left: Expr, right: Expr, type: SqlType): Expr => ({ kind: 'Binary', op, left, right, type })

describe('kernels/eval: bigint beyond ±2^53', () => {
  // a narrow (Float64Array) column and a wide (BigInt64Array) one
  const narrow = vectorFromValues(T.int8, [1, 9007199254740991, null, -5])
  const wide = vectorFromValues(T.int8, [1, 9223372036854775807n, null, -9007199254740993n])
  const batch = { numRows: 4, columns: [narrow, wide] }
  const a = col(0, 'a', T.int8)
  const b = col(1, 'b', T.int8)

  it('leaves the double loops for exact bigints past 2^53 and narrows results that fit', () => {
    const sum = evaluate(bin('+', a, lit(2, T.int8), T.int8), batch, env)
    assert.ok(isWideInt8(sum))
    assert.deepEqual(rows(sum), [3, 9007199254740993n, null, -3])
    const diff = evaluate(bin('-', b, b, T.int8), batch, env)
    assert.ok(!isWideInt8(diff))
    assert.deepEqual(rows(diff), [0, 0, null, 0])
    assert.deepEqual(rows(evaluate(bin('/', b, lit(7, T.int8), T.int8), batch, env)), [0, 1317624576693539401n, null, -1286742750677284])
    assert.throws(() => evaluate(bin('+', b, a, T.int8), batch, env), { code: '22003', message: 'bigint out of range' })
    assert.throws(() => evaluate(bin('%', b, lit(0, T.int8), T.int8), batch, env), { code: '22012' })
  })

  it('compares mixed layouts and bigint constants exactly', () => {
    assert.deepEqual(rows(evaluate(bin('=', a, b, T.bool), batch, env)), [true, false, null, false])
    assert.deepEqual(rows(evaluate(bin('<', a, b, T.bool), batch, env)), [false, true, null, false])
    assert.deepEqual(rows(evaluate(bin('>=', b, lit(9223372036854775807n, T.int8), T.bool), batch, env)), [false, true, null, false])
    assert.deepEqual(rows(evaluate(bin('=', a, lit(9007199254740993n, T.int8), T.bool), batch, env)), [false, false, null, false])
    assert.deepEqual(rows(evaluate(bin('<>', b, lit(1, T.int8), T.bool), batch, env)), [false, true, null, true])
  })

  it('narrows wide arguments for functions that do not take them, or raises 0A000', () => {
    const factorial = (arg: Expr): Expr => ({ kind: 'Call', fn: 'factorial', args: [arg], type: numericType(null, 0), volatility: 'immutable' })
    // a wide vector whose valid values all fit (the NULL slot holds a large value)
    const fits = wideInt8Vector(T.int8, new BigInt64Array([5n, 2n ** 60n]), new Uint8Array([0b01]))
    assert.deepEqual(rows(evaluate(factorial(b), { numRows: 2, columns: [narrow, fits] }, env)), ['120', null])
    assert.throws(() => evaluate(factorial(b), batch, env), { code: '0A000', message: 'function factorial does not support bigint values beyond ±2^53' })
  })
})
