import assert from 'node:assert/strict'
import { arrayType, charType, numericType, T, type SqlType } from '../../common/types.js'
import { vectorFromValues, type Value } from '../../common/value.js'
import { stringVector } from '../../common/vector.js'
import { binaryOf, decodeBinary, readNumeric, writeNumericText } from './binary.js'
import { ByteSink } from './byte-sink.js'

const us = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, frac = 0): number => Date.UTC(y, mo - 1, d, h, mi, s) * 1000 + frac
const days = (y: number, mo: number, d: number): number => Date.UTC(y, mo - 1, d) / 86_400_000

// [type, Flint value, PostgreSQL 15's binary output of the same value (typsend), captured from a real server]
const cases: [string, SqlType, Value, string][] = [
  ['true', T.bool, true, '01'],
  ['false', T.bool, false, '00'],
  ['int2', T.int2, -2, 'fffe'],
  ['int4', T.int4, 123456, '0001e240'],
  ['int8', T.int8, -9007199254740991, 'ffe0000000000001'],
  ['float4', T.float4, 1.5, '3fc00000'],
  ['float8', T.float8, -0.1, 'bfb999999999999a'],
  ['float8 inf', T.float8, Infinity, '7ff0000000000000'],
  ['numeric 0', T.numeric, '0', '0000000000000000'],
  ['numeric -12.50', T.numeric, '-12.50', '0002000040000002000c1388'],
  ['numeric long', T.numeric, '123456789.000012345', '0006000200000009000109291a85000004d21388'],
  ['numeric 0.0001', T.numeric, '0.0001', '0001ffff000000040001'],
  ['numeric NaN', T.numeric, 'NaN', '00000000c0000000'],
  ['numeric 10000', T.numeric, '10000', '00010001000000000001'],
  ['numeric 1e20', T.numeric, '100000000000000000000', '00010005000000000001'],
  ['numeric Infinity', T.numeric, 'Infinity', '00000000d0000020'],
  ['numeric(5,2) zero', numericType(5, 2), '0.00', '0000000000000002'],
  ['numeric(12,2)', numericType(12, 2), '-12.50', '0002000040000002000c1388'],
  ['text', T.text, 'héllo', '68c3a96c6c6f'],
  ['varchar', charType('varchar', 5), 'ab', '6162'],
  ['date', T.date, days(2024, 1, 2), '0000223f'],
  ['date before 2000', T.date, days(1999, 12, 31), 'ffffffff'],
  ['date infinity', T.date, 2147483647, '7fffffff'],
  ['timestamp', T.timestamp, us(2024, 1, 2, 3, 4, 5, 123456), '0002b0ec8517d580'],
  ['timestamp 1970', T.timestamp, 0, 'fffca2fec4c82000'],
  ['timestamp -infinity', T.timestamp, -Infinity, '8000000000000000'],
  ['timestamptz', T.timestamptz, us(2024, 1, 2, 1, 4, 5), '0002b0ead7eeab40'],
  ['interval', T.interval, { months: 14, days: 3, micros: (4 * 3600 + 5 * 60 + 6.5) * 1e6 }, '000000036c9361a0000000030000000e'],
  ['time', T.time, (12 * 3600 + 34 * 60 + 56.789) * 1e6, '0000000a8be62608'],
  ['oid', T.oid, 26, '0000001a'],
  ['regclass (the OID, not the name text output prints)', T.regclass, 1259, '000004eb'],
  ['regtype', T.regtype, 23, '00000017'],
  ['uuid', T.uuid, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc999c0b4ef8bb6d6bb9bd380a11'],
  ['int4[]', arrayType(T.int4), [1, null, 3], '00000001000000010000001700000003000000010000000400000001ffffffff0000000400000003'],
  ['empty int4[]', arrayType(T.int4), [], '000000000000000000000017'],
  ['text[]', arrayType(T.text), ['a b', 'c'], '0000000100000000000000190000000200000001000000036120620000000163'],
  ['json', T.json, '{"x":1}', '7b2278223a317d'],
]

describe('pgwire binary format', () => {
  const sink = new ByteSink(16)

  for (const [label, type, value, hex] of cases) {
    it(`encodes ${label} as PostgreSQL does`, () => {
      const v = vectorFromValues(type, [value])
      assert.equal(binaryOf(v, 0, sink)?.toString('hex'), hex)
    })
    it(`decodes ${label}`, () => {
      const decoded = decodeBinary(type, Buffer.from(hex, 'hex'), 1)
      if (typeof value === 'number' && Number.isNaN(value)) assert.ok(Number.isNaN(decoded))
      else assert.deepEqual(decoded, value)
    })
  }

  it('pads bpchar to its length and copies bytea bytes', () => {
    assert.equal(binaryOf(vectorFromValues(charType('bpchar', 4), ['ab']), 0, sink)?.toString('hex'), '61622020')
    const bytea = { ...stringVector(T.bytea, ['']), values: new Uint8Array([0x00, 0xff]), offsets: new Int32Array([0, 2]) }
    assert.equal(binaryOf(bytea, 0, sink)?.toString('hex'), '00ff')
  })

  it('returns null for NULL rows', () => {
    assert.equal(binaryOf(vectorFromValues(T.int4, [null]), 0, sink), null)
  })

  it('rescales numeric parameters to the parameter type', () => {
    assert.equal(decodeBinary(numericType(10, 3), Buffer.from('0002000040000002000c1388', 'hex'), 1), '-12.500')
    assert.throws(() => decodeBinary(numericType(2, 1), Buffer.from('0002000040000002000c1388', 'hex'), 1), { code: '22003' })
  })

  it('round-trips numeric text through the base-10000 layout', () => {
    for (const text of ['1', '-1', '0.5', '9999.9999', '10000.0001', '-0.000001', '12345678901234567890.123', '0.00']) {
      const s = new ByteSink(8)
      writeNumericText(s, text)
      assert.equal(readNumeric(s.take(), 1), text)
    }
  })

  it('rejects binary parameters of the wrong size as PostgreSQL does', () => {
    assert.throws(() => decodeBinary(T.int4, Buffer.from('000001', 'hex'), 1), { code: '08P01', message: 'insufficient data left in message' })
    assert.throws(() => decodeBinary(T.int4, Buffer.from('0000000100', 'hex'), 2), {
      code: '22P03',
      message: 'incorrect binary data format in bind parameter 2',
    })
  })

  it('reads and writes int8 values beyond ±2^53 exactly', () => {
    assert.equal(decodeBinary(T.int8, Buffer.from('7fffffffffffffff', 'hex'), 1), 9223372036854775807n)
    assert.equal(decodeBinary(T.int8, Buffer.from('8000000000000000', 'hex'), 1), -9223372036854775808n)
    assert.equal(decodeBinary(T.int8, Buffer.from('0000000000000005', 'hex'), 1), 5)
    const v = vectorFromValues(T.int8, [9223372036854775807n, null, -9007199254740993n, 3])
    const sink = new ByteSink(8)
    assert.equal(binaryOf(v, 0, sink)?.toString('hex'), '7fffffffffffffff')
    assert.equal(binaryOf(v, 1, sink), null)
    assert.equal(binaryOf(v, 2, sink)?.toString('hex'), 'ffdfffffffffffff')
    assert.equal(binaryOf(v, 3, sink)?.toString('hex'), '0000000000000003')
  })

  it('rejects invalid UTF-8 in text parameters', () => {
    assert.throws(() => decodeBinary(T.text, Buffer.from([0x61, 0xff]), 1), { code: '22021' })
  })
})
