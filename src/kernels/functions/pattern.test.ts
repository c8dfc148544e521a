import assert from 'node:assert/strict'
import { T } from '../../common/types.js'
import { stringVector } from '../../common/vector.js'
import { lookupFunctions } from '../registry.js'
import './index.js'
import { likeMatcher } from './like.js'
import { patternCases } from './pattern.cases.js'
import { compileRegex, parseFlags, translateRegex } from './regex.js'
import { itCases } from './test-util.js'

const ctx = { now: 0, timezone: 'UTC' }
const bools = (name: string, s: (string | null)[], p: (string | null)[]): (boolean | null)[] => {
  const f = lookupFunctions(name)[0]!
  const r = f.resolve([T.text, T.text])!
  const out = f.evaluate([stringVector(T.text, s), stringVector(T.text, p)], s.length, r.ret, ctx)
  return s.map((_x, i) => (out.validity !== null && ((out.validity[i >> 3]! >> (i & 7)) & 1) === 0 ? null : out.values[i] === 1))
}

describe('pattern matching (PostgreSQL 15 results)', () => {
  itCases(patternCases)
})

describe('LIKE over vectors', () => {
  it('recompiles when the pattern changes from row to row', () => {
    assert.deepEqual(
      bools('like', ['abc', 'abc', 'xbc', null, 'q'], ['a%', 'x%', 'x%', 'x%', null]),
      [true, false, true, null, null],
    )
  })

  it('matches a constant pattern over many rows with each fast path', () => {
    const rows = ['special requests', 'nothing', 'requests special', 'the special big requests!', '']
    const n = rows.length
    for (const [pattern, expect] of [
      ['%special%requests%', [true, false, false, true, false]],
      ['special%', [true, false, false, false, false]],
      ['%special', [false, false, true, false, false]],
      ['%quest%', [true, false, true, true, false]],
      ['nothing', [false, true, false, false, false]],
      ['%', [true, true, true, true, true]],
      ['_%', [true, true, true, true, false]],
    ] as const) {
      assert.deepEqual(bools('like', rows, new Array<string>(n).fill(pattern)), expect, pattern)
    }
  })

  it('ILIKE folds ASCII rows on the fly and lower-cases non-ASCII rows', () => {
    assert.deepEqual(bools('ilike', ['ABC', 'Àbc', 'xyz'], ['%B%', '%B%', '%B%']), [true, true, false])
    assert.deepEqual(bools('notilike', ['ABC', 'Àbc', 'xyz'], ['à%', 'à%', 'à%']), [true, false, true])
  })

  it('caches compiled matchers by pattern, escape and case mode', () => {
    assert.equal(likeMatcher('a%', '\\', false), likeMatcher('a%', '\\', false))
    assert.notEqual(likeMatcher('a%', '\\', false), likeMatcher('a%', '\\', true))
    const m = likeMatcher('%_x_%', '\\', false)
    const bytes = new TextEncoder().encode('éxé')
    assert.equal(m.match(bytes, 0, bytes.length), true)
    assert.equal(m.match(bytes, 0, 3), false)
  })

  it('handles long texts with many partial matches without blowing up', () => {
    const text = 'a'.repeat(5000) + 'b'
    assert.deepEqual(bools('like', [text, text], ['%a%a%a%a%a%c', '%a_a%a_b']), [false, true])
  })
})

describe('regex translation', () => {
  it('translates POSIX classes, word boundaries and brackets to JavaScript', () => {
    assert.equal(translateRegex('[]a]', parseFlags('')).source, '[\\]a]')
    assert.equal(translateRegex('a.b', parseFlags('n')).source, 'a[^\\n]b')
    assert.equal(translateRegex('a b # c', parseFlags('x')).source, 'ab')
    assert.match(translateRegex('a', parseFlags('ni')).flags, /i/)
  })

  it('caches compiled regexes and resets lastIndex', () => {
    const re = compileRegex('b')
    re.lastIndex = 5
    assert.equal(compileRegex('b'), re)
    assert.equal(re.lastIndex, 0)
  })

  it('~ works row by row with per-row patterns and NULLs', () => {
    assert.deepEqual(bools('~', ['abc', 'abc', null, 'x'], ['^a', '^b', 'a', null]), [true, false, null, null])
  })
})
