import { concatVectors, sliceVector } from '../common/vector.js'
import assert from 'node:assert/strict'
import * as A from 'apache-arrow'
import { isWideInt8 } from '../common/int8.js'
import { arrayType, charType, numericType, T, type SqlType } from '../common/types.js'
import { batchRows, valueAt, vectorFromValues, type Value } from '../common/value.js'
import type { Vector } from '../common/vector.js'
import {
  arrowFieldToSql,
  arrowTypeToSql,
  batchFromArrow,
  batchToArrow,
  schemaFromArrow,
  vectorFromArrow,
  vectorToArrow,
  type ArrowMode,
} from './arrow.js'

const rows = (v: Vector): Value[] => Array.from({ length: v.length }, (_, i) => valueAt(v, i))

/** Arrow data built from raw buffers, as a reader would produce it. */
function data<T extends A.DataType>(type: T, length: number, values: ArrayBufferView, nullBitmap?: Uint8Array, offset = 0): A.Data<T> {
  return A.makeData({ type, length, offset, data: values, ...(nullBitmap !== undefined ? { nullBitmap, nullCount: -1 } : { nullCount: 0 }) } as never) as A.Data<T>
}

describe('storage/arrow: Arrow → Flint', () => {
  it('maps Arrow types to SQL types', () => {
    assert.deepEqual(arrowTypeToSql(new A.Int8()), T.int2)
    assert.deepEqual(arrowTypeToSql(new A.Uint16()), T.int4)
    assert.deepEqual(arrowTypeToSql(new A.Uint32()), T.int8)
    assert.deepEqual(arrowTypeToSql(new A.Int64()), T.int8)
    assert.deepEqual(arrowTypeToSql(new A.Float16()), T.float4)
    assert.deepEqual(arrowTypeToSql(new A.Decimal(2, 15, 128)), numericType(15, 2))
    assert.deepEqual(arrowTypeToSql(new A.LargeUtf8()), T.text)
    assert.deepEqual(arrowTypeToSql(new A.Dictionary(new A.Utf8(), new A.Int32())), T.text)
    assert.deepEqual(arrowTypeToSql(new A.TimestampNanosecond('Europe/Paris')), T.timestamptz)
    assert.deepEqual(arrowTypeToSql(new A.TimestampSecond()), T.timestamp)
    assert.deepEqual(arrowTypeToSql(new A.DateMillisecond()), T.date)
    assert.deepEqual(arrowTypeToSql(new A.TimeMillisecond()), T.time)
    assert.deepEqual(arrowTypeToSql(new A.IntervalYearMonth()), T.interval)
    assert.deepEqual(arrowTypeToSql(new A.List(new A.Field('item', new A.Int32()))), arrayType(T.int4))
    assert.throws(() => arrowTypeToSql(new A.Struct([])), { code: '0A000' })
  })

  it('converts integers of every width, sharing Int16/Int32 buffers', () => {
    const i32 = new Int32Array([1, -2, 2147483647])
    const v = vectorFromArrow(data(new A.Int32(), 3, i32))
    assert.equal(v.values.buffer, i32.buffer)
    assert.deepEqual(rows(v), [1, -2, 2147483647])
    assert.deepEqual(rows(vectorFromArrow(data(new A.Int8(), 3, new Int8Array([-128, 0, 127])))), [-128, 0, 127])
    assert.deepEqual(rows(vectorFromArrow(data(new A.Uint8(), 2, new Uint8Array([0, 255])))), [0, 255])
    assert.deepEqual(rows(vectorFromArrow(data(new A.Uint16(), 2, new Uint16Array([0, 65535])))), [0, 65535])
    assert.deepEqual(rows(vectorFromArrow(data(new A.Uint32(), 2, new Uint32Array([0, 4294967295])))), [0, 4294967295])
  })

  it('converts int64 exactly: doubles up to ±2^53, the wide int8 layout beyond', () => {
    const big = new BigInt64Array([0n, -1n, 9007199254740992n, -9007199254740992n, 4294967296n, -4294967297n, 123456789012345n])
    const narrow = vectorFromArrow(data(new A.Int64(), big.length, big))
    assert.ok(!isWideInt8(narrow))
    assert.deepEqual(rows(narrow), [0, -1, 2 ** 53, -(2 ** 53), 4294967296, -4294967297, 123456789012345])
    const wide = vectorFromArrow(data(new A.Int64(), 4, new BigInt64Array([9007199254740993n, -(2n ** 63n), 2n ** 63n - 1n, 7n])))
    assert.ok(isWideInt8(wide))
    assert.deepEqual(rows(wide), [9007199254740993n, -(2n ** 63n), 2n ** 63n - 1n, 7])
    assert.deepEqual(rows(vectorFromArrow(data(new A.Uint64(), 2, new BigUint64Array([2n ** 63n - 1n, 1n])))), [2n ** 63n - 1n, 1])
    assert.throws(() => vectorFromArrow(data(new A.Uint64(), 1, new BigUint64Array([2n ** 63n]))), { code: '0A000' })
    // and back: a wide vector is Arrow's Int64 buffer
    const back = vectorToArrow(wide)
    assert.ok(back.type instanceof A.Int64)
    assert.deepEqual(Array.from(back.values as BigInt64Array), [9007199254740993n, -(2n ** 63n), 2n ** 63n - 1n, 7n])
    assert.throws(() => vectorToArrow(wide, 'native'), { code: '0A000' })
    assert.deepEqual(rows(vectorFromArrow(data(new A.Uint64(), 1, new BigUint64Array([2n ** 40n])))), [2 ** 40])
    // a NULL slot may hold anything
    const bm = new Uint8Array([0b10])
    assert.deepEqual(rows(vectorFromArrow(data(new A.Int64(), 2, new BigInt64Array([2n ** 62n, 5n]), bm))), [null, 5])
  })

  it('converts floats, half floats included', () => {
    assert.deepEqual(rows(vectorFromArrow(data(new A.Float16(), 3, new Uint16Array([0x3c00, 0xc000, 0x7c00])))), [1, -2, Infinity])
    const f = new Float64Array([1.5, NaN])
    const v = vectorFromArrow(data(new A.Float64(), 2, f))
    assert.equal(v.values.buffer, f.buffer)
    assert.deepEqual(v.type, T.float8)
  })

  it('unpacks bit-packed booleans, slices at any bit offset', () => {
    const bits = new Uint8Array([0b10110101, 0b00000011])
    const full = vectorFromArrow(data(new A.Bool(), 10, bits))
    assert.deepEqual(rows(full), [true, false, true, false, true, true, false, true, true, true])
    const whole = A.makeData({ type: new A.Bool(), length: 10, nullCount: -1, data: bits, nullBitmap: new Uint8Array([0b11111011, 0b11]) })
    const sliced = vectorFromArrow(whole.slice(3, 6))
    assert.deepEqual(rows(sliced), [false, true, true, false, true, true])
    const sliced2 = vectorFromArrow(whole.slice(1, 3))
    assert.deepEqual(rows(sliced2), [false, null, false])
  })

  it('converts Decimal128 and Decimal256 words to scaled doubles, wide values to exact text', () => {
    // 1.25, -1.25, 0.01, -(2^53)/100, 2^53/100
    const w = (x: bigint, words = 4): number[] => {
      const out: number[] = []
      let u = BigInt.asUintN(32 * words, x)
      for (let k = 0; k < words; k++) {
        out.push(Number(u & 0xffffffffn))
        u >>= 32n
      }
      return out
    }
    const vals = [125n, -125n, 1n, -(2n ** 53n), 2n ** 53n]
    const d = data(new A.Decimal(2, 18, 128), vals.length, new Uint32Array(vals.flatMap((x) => w(x))))
    const v = vectorFromArrow(d)
    assert.deepEqual(v.type, numericType(18, 2))
    assert.deepEqual(rows(v), ['1.25', '-1.25', '0.01', '-90071992547409.92', '90071992547409.92'])
    const wide = [10n ** 30n + 7n, -5n, -(10n ** 25n)]
    const dw = data(new A.Decimal(3, 38, 128), wide.length, new Uint32Array(wide.flatMap((x) => w(x))))
    const vw = vectorFromArrow(dw)
    assert.equal(vw.type.id, 'numeric')
    assert.equal((vw.type as { scale: number | null }).scale, null)
    assert.deepEqual(rows(vw), ['1000000000000000000000000000.007', '-0.005', '-10000000000000000000000.000'])
    const d256 = data(new A.Decimal(0, 40, 256), 2, new Uint32Array([...w(-7n, 8), ...w(2n ** 100n, 8)]))
    assert.deepEqual(rows(vectorFromArrow(d256)), ['-7', (2n ** 100n).toString()])
  })

  it('shares Utf8 buffers and rebases sliced offsets', () => {
    const arr = A.vectorFromArray(['a', null, 'héllo', '', 'xyz'], new A.Utf8())
    const d = arr.data[0]!
    const v = vectorFromArrow(d)
    assert.equal(v.values.buffer, d.values.buffer)
    assert.deepEqual(rows(v), ['a', null, 'héllo', '', 'xyz'])
    const s = vectorFromArrow(d.slice(2, 3))
    assert.equal(s.offsets![0], 0)
    assert.deepEqual(rows(s), ['héllo', '', 'xyz'])
    assert.deepEqual(rows(vectorFromArrow(d.slice(1, 2))), [null, 'héllo'])
  })

  it('converts LargeUtf8 and dictionary-encoded strings', () => {
    const large = A.vectorFromArray(['p', 'qq', null], new A.LargeUtf8())
    assert.deepEqual(rows(vectorFromArrow(large.data[0]!)), ['p', 'qq', null])
    const dict = A.vectorFromArray(['x', 'y', 'x', null, 'y'], new A.Dictionary(new A.Utf8(), new A.Int32()))
    const v = vectorFromArrow(dict.data[0]!)
    assert.deepEqual(v.type, T.text)
    assert.deepEqual(rows(v), ['x', 'y', 'x', null, 'y'])
  })

  it('converts dates, times, timestamps of every unit and time zone', () => {
    assert.deepEqual(rows(vectorFromArrow(data(new A.DateDay(), 2, new Int32Array([0, 19000])))), [0, 19000])
    assert.deepEqual(rows(vectorFromArrow(data(new A.DateMillisecond(), 2, new BigInt64Array([86400000n, -86400000n])))), [1, -1])
    const ts = [0n, 1_600_000_000_123_456n, -1n]
    assert.deepEqual(rows(vectorFromArrow(data(new A.TimestampMicrosecond(), 3, new BigInt64Array(ts)))), [0, 1_600_000_000_123_456, -1])
    assert.deepEqual(rows(vectorFromArrow(data(new A.TimestampSecond(), 1, new BigInt64Array([1_600_000_000n])))), [1_600_000_000_000_000])
    assert.deepEqual(rows(vectorFromArrow(data(new A.TimestampMillisecond(), 1, new BigInt64Array([-1500n])))), [-1_500_000])
    const ns = vectorFromArrow(data(new A.TimestampNanosecond('UTC'), 3, new BigInt64Array([1_700_000_000_123_456_789n, -1n, -1_000n])))
    assert.deepEqual(ns.type, T.timestamptz)
    assert.deepEqual(rows(ns), [1_700_000_000_123_456, -1, -1]) // floor to microseconds
    assert.deepEqual(rows(vectorFromArrow(data(new A.TimeMillisecond(), 1, new Int32Array([3_723_000])))), [3_723_000_000])
    assert.deepEqual(rows(vectorFromArrow(data(new A.TimeNanosecond(), 1, new BigInt64Array([3_723_000_000_999n])))), [3_723_000_000])
  })

  it('converts intervals and durations', () => {
    assert.deepEqual(rows(vectorFromArrow(data(new A.IntervalYearMonth(), 1, new Int32Array([14])))), [{ months: 14, days: 0, micros: 0 }])
    assert.deepEqual(rows(vectorFromArrow(data(new A.IntervalDayTime(), 1, new Int32Array([2, 3000])))), [{ months: 0, days: 2, micros: 3_000_000 }])
    const mdn = new Int32Array([1, 2, 0, 0])
    new BigInt64Array(mdn.buffer, 8, 1)[0] = 5_000_000_123n
    assert.deepEqual(rows(vectorFromArrow(data(new A.IntervalMonthDayNano(), 1, mdn))), [{ months: 1, days: 2, micros: 5_000_000 }])
    assert.deepEqual(rows(vectorFromArrow(data(new A.DurationMillisecond(), 1, new BigInt64Array([1500n])))), [{ months: 0, days: 0, micros: 1_500_000 }])
  })

  it('converts lists and fixed-size lists', () => {
    const l = A.vectorFromArray([[1, 2], null, [], [3]], new A.List(new A.Field('item', new A.Int32(), true)))
    const v = vectorFromArrow(l.data[0]!)
    assert.deepEqual(v.type, arrayType(T.int4))
    assert.deepEqual(rows(v), [[1, 2], null, [], [3]])
    const child = data(new A.Int16(), 4, new Int16Array([1, 2, 3, 4]))
    const fsl = A.makeData({ type: new A.FixedSizeList(2, new A.Field('item', new A.Int16())), length: 2, nullCount: 0, child })
    assert.deepEqual(rows(vectorFromArrow(fsl)), [[1, 2], [3, 4]])
  })

  it('handles validity bitmaps at unaligned offsets', () => {
    const values = new Int32Array([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    const bm = new Uint8Array([0b01010101, 0b10])
    const whole = data(new A.Int32(), 10, values, bm)
    const v = vectorFromArrow(whole.slice(3, 7))
    assert.deepEqual(rows(v), [null, 14, null, 16, null, null, 19])
  })
})

describe('storage/arrow: Flint → Arrow', () => {
  const cases: [string, SqlType, Value[]][] = [
    ['bool', T.bool, [true, false, null, true, true, false, false, true, true]],
    ['int2', T.int2, [1, -32768, null]],
    ['int4', T.int4, [1, -2147483648, null]],
    ['int8', T.int8, [2 ** 53, -(2 ** 53), -1, 0, null, 4294967296]],
    ['float4', T.float4, [1.5, null]],
    ['float8', T.float8, [0.1, -Infinity, null]],
    ['numeric(15,2)', numericType(15, 2), ['1.25', '-0.01', '-90071992547409.91', null]],
    ['numeric', T.numeric, ['1.5', '-123456789012345678901234567890.123', null]],
    ['text', T.text, ['a', 'é', '', null]],
    ['varchar(5)', charType('varchar', 5), ['abc', null]],
    ['date', T.date, [0, -1, 19000, null]],
    ['time', T.time, [0, 86_399_999_999, null]],
    ['timestamp', T.timestamp, [1_600_000_000_123_456, -1, null]],
    ['timestamptz', T.timestamptz, [1_600_000_000_123_456, null]],
    ['interval', T.interval, [{ months: 1, days: -2, micros: 3_000_001 }, { months: 0, days: 0, micros: -(2 ** 52) }, null]],
    ['int4[]', arrayType(T.int4), [[1, 2], null, [], [null, 3]]],
    ['text[]', arrayType(T.text), [['a', null], ['b']]],
  ]
  for (const mode of ['portable', 'native'] as ArrowMode[]) {
    for (const [name, type, values] of cases) {
      it(`round-trips ${name} (${mode})`, () => {
        const v = vectorFromValues(type, values)
        const d = vectorToArrow(v, mode)
        const back = vectorFromArrow(d, type)
        assert.deepEqual(rows(back), values)
        assert.equal(back.type.id, type.id)
      })
    }
  }

  it('writes the portable Arrow types other tools expect', () => {
    const t = (type: SqlType): string => String(vectorToArrow(vectorFromValues(type, [null]), 'portable').type)
    assert.equal(t(T.bool), 'Bool')
    assert.equal(t(T.int8), 'Int64')
    assert.equal(t(numericType(15, 2)), 'Decimal[15e+2]')
    assert.equal(t(T.timestamp), 'Timestamp<MICROSECOND>')
    assert.equal(t(T.timestamptz), 'Timestamp<MICROSECOND, UTC>')
    assert.equal(t(T.date), 'Date32<DAY>')
    assert.equal(t(T.text), 'Utf8')
  })

  it('writes exact int64 and decimal words', () => {
    const d = vectorToArrow(vectorFromValues(T.int8, [-(2 ** 53), 2 ** 53 - 1, -5]), 'portable')
    assert.deepEqual([...(d.values as BigInt64Array)], [-(2n ** 53n), 2n ** 53n - 1n, -5n])
    const dec = vectorToArrow(vectorFromValues(numericType(18, 2), ['-0.05', '90071992547409.91']), 'portable')
    const w = dec.values as Uint32Array
    assert.deepEqual([...w.subarray(0, 4)], [0xfffffffb, 0xffffffff, 0xffffffff, 0xffffffff])
    assert.equal(BigInt(w[5]!) * 2n ** 32n + BigInt(w[4]!), 2n ** 53n - 1n)
  })

  it('writes text-layout values of a numeric(p,s) column as Decimal128(p,s)', () => {
    const text = vectorFromValues(T.numeric, ['12345678901234567890.5', '-1'])
    const d = vectorToArrow(text, 'portable', numericType(38, 2))
    assert.equal(String(d.type), 'Decimal[38e+2]')
    assert.deepEqual(rows(vectorFromArrow(d)), ['12345678901234567890.50', '-1.00'])
  })

  it('keeps native buffers (zero-copy)', () => {
    const v = vectorFromValues(T.timestamp, [1, 2, 3])
    const d = vectorToArrow(v, 'native')
    assert.equal(d.values.buffer, v.values.buffer)
    const b = vectorFromValues(T.bool, [true, false])
    assert.equal(vectorToArrow(b, 'native').values.buffer, b.values.buffer)
  })

  it('carries SQL types in field metadata through IPC', () => {
    const columns = [
      { name: 'a', type: charType('varchar', 10) },
      { name: 'b', type: T.bool },
      { name: 'c', type: T.timestamptz },
      { name: 'd', type: T.interval },
      { name: 'e', type: T.oid },
    ]
    const batch = {
      numRows: 2,
      columns: [
        vectorFromValues(columns[0]!.type, ['x', null]),
        vectorFromValues(T.bool, [true, null]),
        vectorFromValues(T.timestamptz, [5, 6]),
        vectorFromValues(T.interval, [{ months: 1, days: 2, micros: 3 }, null]),
        vectorFromValues(T.oid, [23, 25]),
      ],
    }
    for (const mode of ['native', 'portable'] as ArrowMode[]) {
      const rb = batchToArrow(batch, columns, mode)
      const table = A.tableFromIPC(A.tableToIPC(new A.Table([rb]), 'stream'))
      assert.deepEqual(schemaFromArrow(table.schema), columns)
      const back = batchFromArrow(table.batches[0]!)
      assert.deepEqual(batchRows(back), batchRows(batch))
    }
  })

  it('ignores metadata that does not fit the data', () => {
    const f = new A.Field('x', new A.Utf8(), true, new Map([['flint.type', '{"id":"int4"}']]))
    assert.deepEqual(arrowFieldToSql(f), T.text)
    const g = new A.Field('x', new A.Utf8(), true, new Map([['flint.type', 'not json']]))
    assert.deepEqual(arrowFieldToSql(g), T.text)
  })
})

describe('storage/arrow: vector helpers', () => {
  it('slices and concatenates vectors of every layout', () => {
    const types: [SqlType, Value[]][] = [
      [T.int4, [1, null, 3, 4, 5, 6, 7, 8, 9, 10]],
      [T.text, ['a', 'bb', null, 'ccc', '', 'd', 'e', 'f', 'g', 'h']],
      [T.interval, Array.from({ length: 10 }, (_, i) => (i === 4 ? null : { months: i, days: -i, micros: i * 7 }))],
      [arrayType(T.int2), [[1], [], null, [2, 3], [4], [5], [6], [7], [8], [9]]],
    ]
    for (const [type, values] of types) {
      const v = vectorFromValues(type, values)
      const a = sliceVector(v, 0, 3)
      const b = sliceVector(v, 3, 7)
      assert.deepEqual(rows(b), values.slice(3))
      assert.deepEqual(rows(concatVectors([a, b])), values)
    }
  })
})
