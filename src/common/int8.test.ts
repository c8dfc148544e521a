import assert from 'node:assert/strict'
import { checkInt8, int8Value, int8VectorFromBig, isWideInt8, narrowInt8, requireNarrowInt8, widenValues, wideInt8Vector } from './int8.js'
import { T } from './types.js'
import { constVector, valueAt, vectorFromValues } from './value.js'
import { concatVectors, sliceVector } from './vector.js'

describe('common/int8', () => {
  it('keeps int8 values within ±2^53 as numbers and larger ones as bigints', () => {
    assert.equal(int8Value(2n ** 53n), 2 ** 53)
    assert.equal(int8Value(-(2n ** 53n)), -(2 ** 53))
    assert.equal(int8Value(2n ** 53n + 1n), 2n ** 53n + 1n)
    assert.equal(checkInt8(2n ** 63n - 1n), 2n ** 63n - 1n)
    assert.throws(() => checkInt8(2n ** 63n), { code: '22003', message: 'bigint out of range' })
    assert.throws(() => checkInt8(-(2n ** 63n) - 1n), { code: '22003' })
  })

  it('builds the Float64Array layout when values fit and the wide one otherwise', () => {
    const narrow = vectorFromValues(T.int8, [1, null, -(2 ** 53)])
    assert.ok(narrow.values instanceof Float64Array)
    const wide = vectorFromValues(T.int8, [1, null, 9223372036854775807n])
    assert.ok(isWideInt8(wide))
    assert.deepEqual([0, 1, 2].map((i) => valueAt(wide, i)), [1, null, 9223372036854775807n])
    assert.ok(isWideInt8(constVector(T.int8, -9223372036854775808n, 3)))
    assert.equal(valueAt(constVector(T.int8, -9223372036854775808n, 3), 2), -9223372036854775808n)
    assert.ok(!isWideInt8(int8VectorFromBig(T.int8, new BigInt64Array([5n, -7n]), null)))
  })

  it('narrows a wide vector only when every valid value fits', () => {
    // the NULL slot's value does not count
    const v = wideInt8Vector(T.int8, new BigInt64Array([3n, 2n ** 60n]), new Uint8Array([0b01]))
    const n = narrowInt8(v)
    assert.ok(n.values instanceof Float64Array)
    assert.deepEqual([valueAt(n, 0), valueAt(n, 1)], [3, null])
    const w = vectorFromValues(T.int8, [2n ** 60n])
    assert.equal(narrowInt8(w), w)
    assert.throws(() => requireNarrowInt8(w, 'function f'), { code: '0A000', message: 'function f does not support bigint values beyond ±2^53' })
    assert.deepEqual(Array.from(widenValues(vectorFromValues(T.int8, [1, null, -2]))), [1n, 0n, -2n])
  })

  it('concatenates mixed layouts into a wide vector and slices wide vectors', () => {
    const v = concatVectors([vectorFromValues(T.int8, [1, null]), vectorFromValues(T.int8, [2n ** 62n]), vectorFromValues(T.int8, [-4])])
    assert.ok(isWideInt8(v))
    assert.deepEqual([0, 1, 2, 3].map((i) => valueAt(v, i)), [1, null, 2n ** 62n, -4])
    const s = sliceVector(v, 2, 2)
    assert.deepEqual([valueAt(s, 0), valueAt(s, 1)], [2n ** 62n, -4])
  })
})
