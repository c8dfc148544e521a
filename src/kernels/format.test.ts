import assert from 'node:assert/strict'
import { arrayType, charType, numericType, T, type SqlType } from '../common/types.js'
import { vectorFromValues } from '../common/value.js'
import { nullVector, stringVector } from '../common/vector.js'
import { formatFloat, formatValue, formatVector } from './format.js'

/** PostgreSQL 15's text output (extra_float_digits = 1) of these floats. */
const floats: { type: SqlType; value: number; out: string }[] = [
  { type: T.float8, value: 0.1, out: "0.1" },
  { type: T.float8, value: 1e20, out: "1e+20" },
  { type: T.float8, value: 1.5e-7, out: "1.5e-07" },
  { type: T.float8, value: 1e15, out: "1e+15" },
  { type: T.float8, value: 123456789012345, out: "123456789012345" },
  { type: T.float8, value: 1234567890123456, out: "1.234567890123456e+15" },
  { type: T.float8, value: 0.0001, out: "0.0001" },
  { type: T.float8, value: 0.00001, out: "1e-05" },
  { type: T.float8, value: -0.25, out: "-0.25" },
  { type: T.float8, value: 760578000000000000000, out: "7.605779999999999e+20" },
  { type: T.float8, value: 2179380000000000000000, out: "2.1793799999999999e+21" },
  { type: T.float8, value: 5e-324, out: "5e-324" },
  { type: T.float8, value: 1.7976931348623157e308, out: "1.7976931348623157e+308" },
  { type: T.float8, value: -0, out: "-0" },
  { type: T.float8, value: 100, out: "100" },
  { type: T.float8, value: 3.141592653589793, out: "3.141592653589793" },
  { type: T.float8, value: NaN, out: "NaN" },
  { type: T.float8, value: -Infinity, out: "-Infinity" },
  { type: T.float4, value: Math.fround(0.1), out: "0.1" },
  { type: T.float4, value: Math.fround(3126996.25), out: "3.1269962e+06" },
  { type: T.float4, value: Math.fround(-281972.625), out: "-281972.62" },
  { type: T.float4, value: Math.fround(1e20), out: "1e+20" },
  { type: T.float4, value: Math.fround(1.5e-7), out: "1.5e-07" },
  { type: T.float4, value: Math.fround(123456), out: "123456" },
  { type: T.float4, value: Math.fround(1234567), out: "1.234567e+06" },
  { type: T.float4, value: Math.fround(16777217), out: "1.6777216e+07" },
  { type: T.float4, value: Math.fround(3.4028235e38), out: "3.4028235e+38" },
  { type: T.float4, value: Math.fround(1e-40), out: "1e-40" },
]

describe('formatFloat against PostgreSQL 15', () => {
  for (const c of floats) {
    it(`${c.type.id} ${c.value} → ${c.out}`, () => {
      assert.equal(formatFloat(c.value, c.type.id === 'float4'), c.out)
      assert.equal(formatValue(vectorFromValues(c.type, [c.value]), 0), c.out)
    })
  }
})

describe('formatValue', () => {
  it('prints booleans, integers and NULLs', () => {
    assert.deepEqual(formatVector(vectorFromValues(T.bool, [true, false, null])), ['t', 'f', null])
    assert.deepEqual(formatVector(vectorFromValues(T.int8, [9007199254740991, -3, 0])), ['9007199254740991', '-3', '0'])
    assert.deepEqual(formatVector(nullVector(T.int4, 2)), [null, null])
  })
  it('prints numerics at their scale, NaN included', () => {
    const v = { type: numericType(10, 2), length: 4, values: new Float64Array([150, -5, NaN, 0]), validity: null }
    assert.deepEqual(formatVector(v), ['1.50', '-0.05', 'NaN', '0.00'])
    assert.deepEqual(formatVector(stringVector(T.numeric, ['1.500', 'Infinity'])), ['1.500', 'Infinity'])
  })
  it('pads bpchar to its length', () => {
    assert.deepEqual(formatVector(stringVector(charType('bpchar', 4), ['ab', 'abcd'])), ['ab  ', 'abcd'])
  })
  it('prints dates, timestamps and intervals as PostgreSQL does', () => {
    assert.deepEqual(formatVector(vectorFromValues(T.date, [19727, -737425, 2147483647])), ['2024-01-05', '0050-01-01 BC', 'infinity'])
    assert.deepEqual(formatVector(vectorFromValues(T.timestamp, [1704450645123456, -Infinity])), ['2024-01-05 10:30:45.123456', '-infinity'])
    assert.deepEqual(formatVector(vectorFromValues(T.timestamptz, [1704450600000000]), { timezone: 'Asia/Kolkata' }), ['2024-01-05 16:00:00+05:30'])
    assert.deepEqual(formatVector(vectorFromValues(T.timestamptz, [-5364644638000000]), { timezone: 'America/New_York' }), ['1800-01-01 00:00:00-04:56:02'])
    assert.deepEqual(formatVector(vectorFromValues(T.time, [45296500000])), ['12:34:56.5'])
    assert.deepEqual(
      formatVector(vectorFromValues(T.interval, [{ months: 14, days: 3, micros: 14706500000 }, { months: 0, days: -1, micros: 0 }, { months: 0, days: 0, micros: 0 }, { months: 0, days: 1, micros: -7200000000 }])),
      ['1 year 2 mons 3 days 04:05:06.5', '-1 days', '00:00:00', '1 day -02:00:00'],
    )
  })
  it('quotes array elements as array_out does', () => {
    const v = vectorFromValues(arrayType(T.text), [['a b', null, 'x"y', '', 'NULL', 'x\\y', 'é'], []])
    assert.deepEqual(formatVector(v), ['{"a b",NULL,"x\\"y","","NULL","x\\\\y",é}', '{}'])
    assert.deepEqual(formatVector(vectorFromValues(arrayType(T.float8), [[1.5, null]])), ['{1.5,NULL}'])
    assert.deepEqual(formatVector(vectorFromValues(arrayType(arrayType(T.int4)), [[[1, 2], [3, 4]]])), ['{{1,2},{3,4}}'])
  })
  it('prints bytea in hex', () => {
    const v = { type: T.bytea, length: 1, values: new Uint8Array([0, 171, 255]), offsets: new Int32Array([0, 3]), validity: null }
    assert.deepEqual(formatVector(v), ['\\x00abff'])
  })
})
