import assert from 'node:assert/strict'
import { arrayType, charType, numericType, T, type SqlType } from '../common/types.js'
import { batchRows, type Value } from '../common/value.js'
import type { Batch } from '../common/vector.js'
import { DelimitedParser, formatCopyTextRow, formatCsvRow, parseDelimited, resolveFormat, type DelimitedOptions } from './delimited.js'

const enc = new TextEncoder()
const parse = (text: string | Uint8Array, types: readonly SqlType[], opts: DelimitedOptions = {}): Value[][] =>
  parseDelimited(typeof text === 'string' ? enc.encode(text) : text, types, opts).flatMap(batchRows)

describe('storage/delimited: CSV input', () => {
  it('follows RFC 4180 and PostgreSQL: quotes, doubled quotes, newlines in quotes, NULL vs empty', () => {
    // checked against PostgreSQL 15: COPY t FROM STDIN (FORMAT csv)
    const rows = parse('1,"ab"cd\n2,"x""y"\n3,""\n4,\n5,"multi\nline"\n', [T.int4, T.text])
    assert.deepEqual(rows, [
      [1, 'abcd'],
      [2, 'x"y'],
      [3, ''],
      [4, null],
      [5, 'multi\nline'],
    ])
  })

  it('accepts CRLF, a missing final newline, and a header line', () => {
    assert.deepEqual(parse('a,b\r\n1,"x\r\ny"\r\n2,z', [T.int4, T.text], { header: true }), [
      [1, 'x\r\ny'],
      [2, 'z'],
    ])
  })

  it('supports other delimiters, quotes, escapes and NULL strings', () => {
    assert.deepEqual(parse("1;'a;b'\n2;NA\n3;'NA'\n", [T.int4, T.text], { delimiter: ';', quote: "'", nullString: 'NA' }), [
      [1, 'a;b'],
      [2, null],
      [3, 'NA'],
    ])
    assert.deepEqual(parse('1,"q\\"q"\n2,"e\\\\e"\n3,"plain\\x"\n', [T.int4, T.text], { escape: '\\' }), [
      [1, 'q"q'],
      [2, 'e\\e'],
      [3, 'plain\\x'],
    ])
  })

  it('gives the same result whatever the chunking', () => {
    const text = 'id,name,price\n1,"a,b",1.50\n2,"say ""hi""",2.25\r\n3,"two\nlines",\n4,plain,0.01\n'
    const types = [T.int4, T.text, numericType(10, 2)]
    const whole = parse(text, types, { header: true })
    const bytes = enc.encode(text)
    const p = new DelimitedParser(types, { header: true })
    const batches: Batch[] = []
    for (let i = 0; i < bytes.length; i++) batches.push(...p.push(bytes.subarray(i, i + 1)))
    batches.push(...p.finish())
    assert.deepEqual(batches.flatMap(batchRows), whole)
    assert.deepEqual(whole, [
      [1, 'a,b', '1.50'],
      [2, 'say "hi"', '2.25'],
      [3, 'two\nlines', null],
      [4, 'plain', '0.01'],
    ])
    assert.equal(p.rowCount, 4)
  })

  it('splits into batches of batchSize rows', () => {
    const text = Array.from({ length: 25 }, (_, i) => `${i}`).join('\n')
    const batches = parseDelimited(enc.encode(text), [T.int8], { batchSize: 10 })
    assert.deepEqual(
      batches.map((b) => b.numRows),
      [10, 10, 5],
    )
  })

  it('reports field-count errors as PostgreSQL does (22P04, with the line)', () => {
    assert.throws(() => parse('1,x,y\n', [T.int4, T.text]), { code: '22P04', message: 'extra data after last expected column', detail: 'line 1' })
    assert.throws(() => parse('1,a\n7\n', [T.int4, T.text], { columnNames: ['a', 'b'] }), {
      code: '22P04',
      message: 'missing data for column "b"',
      detail: 'line 2',
    })
    assert.throws(() => parse('1,a\n2,"unterminated\n', [T.int4, T.text]), { code: '22P04', message: 'unterminated CSV quoted field' })
  })

  it('reports conversion errors with the line and column', () => {
    assert.throws(() => parse('1,a\nx,b\n', [T.int4, T.text], { columnNames: ['a', 'b'] }), {
      code: '22P02',
      message: 'invalid input syntax for type integer: "x"',
      detail: 'line 2, column a: "x"',
    })
    assert.throws(() => parse('"",b\n', [T.int4, T.text]), { code: '22P02', message: 'invalid input syntax for type integer: ""' })
    assert.throws(() => parse('70000\n', [T.int2]), { code: '22003', message: 'value "70000" is out of range for type smallint' })
    assert.throws(() => parse('abcd\n', [charType('varchar', 3)]), { code: '22001' })
    assert.throws(() => parse(new Uint8Array([0x61, 0xff, 0x0a]), [T.text]), { code: '22021' })
  })
})

describe('storage/delimited: typed conversion', () => {
  it('parses integers on the fast path and through the full parser', () => {
    assert.deepEqual(parse('1\n-2\n+3\n 4 \n0\n-0\n', [T.int4]).flat(), [1, -2, 3, 4, 0, 0])
    assert.deepEqual(parse('9007199254740991\n-32768\n', [T.int8]).flat(), [9007199254740991, -32768])
    assert.ok(Object.is(parse('-0\n', [T.int8])[0]![0], 0))
    assert.throws(() => parse('1.5\n', [T.int4]), { code: '22P02' })
    assert.throws(() => parse('99999999999\n', [T.int4]), { code: '22003' })
  })

  it('parses bigint over the whole 64-bit range, switching the column to exact 64-bit values', () => {
    const rows = parse('1,a\n,b\n9007199254740993,c\n-9223372036854775808,d\n 9223372036854775807 ,e\n', [T.int8, T.text])
    assert.deepEqual(
      rows.map((r) => r[0]),
      [1, null, 9007199254740993n, -9223372036854775808n, 9223372036854775807n],
    )
    assert.throws(() => parse('9223372036854775808\n', [T.int8]), { code: '22003' })
  })

  it('parses floats, with NaN and infinities', () => {
    assert.deepEqual(parse('1.5\n-2e3\n.25\nNaN\n-Infinity\ninf\n', [T.float8]).flat(), [1.5, -2000, 0.25, NaN, -Infinity, Infinity])
    assert.deepEqual(parse('0.1\n', [T.float4]).flat(), [Math.fround(0.1)])
    assert.throws(() => parse('1e400\n', [T.float8]), { code: '22003' })
    assert.throws(() => parse('1e\n', [T.float8]), { code: '22P02' })
  })

  it('parses numeric(p,s) exactly, rounding half away from zero like PostgreSQL', () => {
    const t = numericType(10, 2)
    assert.deepEqual(parse('1.005\n-1.005\n2\n.5\n-0.004\n12345678.99\n1e2\n', [t]).flat(), ['1.01', '-1.01', '2.00', '0.50', '0.00', '12345678.99', '100.00'])
    assert.throws(() => parse('123456789.00\n', [t]), { code: '22003' })
    assert.throws(() => parse('99999999.995\n', [t]), { code: '22003' })
    assert.deepEqual(parse('1.50\n-123456789012345678901234567890.5\n', [T.numeric]).flat(), ['1.50', '-123456789012345678901234567890.5'])
  })

  it('parses dates and timestamps', () => {
    assert.deepEqual(parse('1970-01-01\n2020-02-29\n1900-03-01\n', [T.date]).flat(), [0, 18321, -25508])
    assert.throws(() => parse('2021-02-29\n', [T.date]), { code: '22008' })
    assert.deepEqual(parse('2020-01-01 00:00:01.5\n2020-01-01T10:20\n1969-12-31 23:59:59.999999\n', [T.timestamp]).flat(), [
      1577836801500000,
      1577874000000000,
      -1,
    ])
    assert.deepEqual(parse('2020-01-01 00:00:00+02\n', [T.timestamptz]).flat(), [1577829600000000])
    assert.deepEqual(parse('2020-01-01 00:00:00\n', [T.timestamptz], { timezone: 'America/New_York' }).flat(), [1577854800000000])
  })

  it('parses booleans, intervals, arrays and bounded strings', () => {
    assert.deepEqual(parse('t\nF\ntrue\nno\n1\n', [T.bool]).flat(), [true, false, true, false, true])
    assert.deepEqual(parse('1 day 2 hours\n', [T.interval]).flat(), [{ months: 0, days: 1, micros: 7_200_000_000 }])
    assert.deepEqual(parse('"{1,2,NULL}"\n', [arrayType(T.int4)]).flat(), [[1, 2, null]])
    assert.deepEqual(parse('ab\n', [charType('varchar', 3)]).flat(), ['ab'])
  })
})

describe('storage/delimited: COPY text format', () => {
  it('unescapes backslash sequences, reads \\N as NULL and stops at \\.', () => {
    // checked against PostgreSQL 15: '\x41\101\t\N' → 'AA<tab>N'
    const rows = parse('1\t\\x41\\101\\t\\N\t\\N\n2\tback\\\\slash\tx\\ny\r\n\\.\n3\tignored\tz\n', [T.int4, T.text, T.text], { format: 'text' })
    assert.deepEqual(rows, [
      [1, 'AA\tN', null],
      [2, 'back\\slash', 'x\ny'],
    ])
  })

  it('treats an empty line as one empty field, as PostgreSQL does', () => {
    assert.deepEqual(parse('\n', [T.text], { format: 'text' }), [['']])
    assert.throws(() => parse('\n', [T.int4], { format: 'text' }), { code: '22P02' })
  })

  it('uses a custom delimiter and null string', () => {
    assert.deepEqual(parse('1|a\\|b|-\n', [T.int4, T.text, T.text], { format: 'text', delimiter: '|', nullString: '-' }), [[1, 'a|b', null]])
  })

  it('validates the format options', () => {
    assert.throws(() => resolveFormat({ delimiter: '::' }), { code: '0A000' })
    assert.throws(() => resolveFormat({ delimiter: '"' }), { code: '22023' })
    assert.throws(() => resolveFormat({ format: 'text', delimiter: '\\' }), { code: '22023' })
  })
})

describe('storage/delimited: COPY output', () => {
  it('formats CSV fields as COPY … (FORMAT csv) does', () => {
    // expected lines are PostgreSQL 15's output for the same values
    const one = (v: string | null): string => formatCsvRow([v])
    assert.deepEqual(['a', 'b,c', 'q"q', '', null, 'x\ny', 'cr\rz', '\\.', 'back\\slash', 'tab\there'].map(one), [
      'a',
      '"b,c"',
      '"q""q"',
      '""',
      '',
      '"x\ny"',
      '"cr\rz"',
      '"\\."',
      'back\\slash',
      'tab\there',
    ])
    assert.deepEqual(['a', 'q"q', 'e\\e'].map((v) => formatCsvRow([v], { escape: '\\', forceQuote: true })), ['"a"', '"q\\"q"', '"e\\\\e"'])
    assert.equal(formatCsvRow(['a,b', 'q"']), '"a,b","q"""')
    assert.equal(formatCsvRow(['x', null, ''], { nullString: 'NULL', delimiter: ';' }), 'x;NULL;')
    assert.equal(formatCsvRow(['NULL'], { nullString: 'NULL' }), '"NULL"')
  })

  it('formats text-format fields as COPY … TO does', () => {
    const pg = ['a', 'b,c', 'q"q', '', null, 'x\ny', '\\.', 'back\\slash', 'tab\there', 'bell\x07']
    assert.deepEqual(
      pg.map((v) => formatCopyTextRow([v, v])),
      ['a\ta', 'b,c\tb,c', 'q"q\tq"q', '\t', '\\N\t\\N', 'x\\ny\tx\\ny', '\\\\.\t\\\\.', 'back\\\\slash\tback\\\\slash', 'tab\\there\ttab\\there', 'bell\x07\tbell\x07'],
    )
    assert.equal(formatCopyTextRow(['a|b', 'c'], { delimiter: '|' }), 'a\\|b|c')
    assert.equal(formatCopyTextRow(['a\tb', 'c\\d']), 'a\\tb\tc\\\\d')
  })

  it('round-trips through its own parser', () => {
    const values = ['plain', 'comma, "quote"', 'new\nline', 'tab\tand\\back', '', 'ünï']
    const types = values.map(() => T.text)
    const csv = formatCsvRow(values) + '\n' + formatCsvRow(values.map(() => null)) + '\n'
    assert.deepEqual(parse(csv, types), [values, values.map(() => null)])
    const text = formatCopyTextRow(values) + '\n' + formatCopyTextRow(values.map(() => null)) + '\n'
    assert.deepEqual(parse(text, types, { format: 'text' }), [values, values.map(() => null)])
  })
})
