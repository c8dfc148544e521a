import assert from 'node:assert/strict'
import { T } from '../../common/types.js'
import { stringVector, toStrings } from '../../common/vector.js'
import { vectorFromValues } from '../../common/value.js'
import { lookupFunctions } from '../registry.js'
import './index.js'
import { stringCases } from './string.cases.js'
import { itCases } from './test-util.js'

const ctx = { now: 0, timezone: 'UTC' }
const call = (name: string, types: Parameters<ReturnType<typeof lookupFunctions>[number]['resolve']>[0]) => {
  const f = lookupFunctions(name)[0]!
  const r = f.resolve(types)!
  return { f, r }
}

describe('string functions (PostgreSQL 15 results)', () => {
  itCases(stringCases)
})

describe('string kernels over vectors', () => {
  it('lower/upper keep NULLs and handle mixed ASCII / non-ASCII rows', () => {
    const { f, r } = call('upper', [T.text])
    const v = stringVector(T.text, ['abc', null, 'éa', ''])
    assert.deepEqual(toStrings(f.evaluate([v], 4, r.ret, ctx)), ['ABC', null, 'ÉA', ''])
    const ascii = stringVector(T.text, ['aB', null, 'z'])
    assert.deepEqual(toStrings(f.evaluate([ascii], 3, r.ret, ctx)), ['AB', null, 'Z'])
  })

  it('substring works per row with differing starts and NULL counts', () => {
    const { f, r } = call('substr', [T.text, T.int4, T.int4])
    const s = stringVector(T.text, ['hello', 'wörld', 'x', 'abc'])
    const a = vectorFromValues(T.int4, [2, 2, 1, null])
    const b = vectorFromValues(T.int4, [3, 2, 0, 1])
    assert.deepEqual(toStrings(f.evaluate([s, a, b], 4, r.ret, ctx)), ['ell', 'ör', '', null])
  })

  it('length of varchar resolves to the text overload, of bpchar to the bpchar one', () => {
    const f = lookupFunctions('length')[0]!
    assert.deepEqual(f.resolve([{ id: 'varchar', length: 5 }])!.args, [T.text])
    assert.deepEqual(f.resolve([{ id: 'bpchar', length: 5 }])!.args, [{ id: 'bpchar', length: 5 }])
    assert.equal(f.resolve([T.int4]), undefined)
  })

  it('concat resolves for any argument types and skips NULLs row by row', () => {
    const { f, r } = call('concat', [T.text, T.int4])
    const s = stringVector(T.text, ['a', null, 'c'])
    const n = vectorFromValues(T.int4, [1, 2, null])
    assert.deepEqual(toStrings(f.evaluate([s, n], 3, r.ret, ctx)), ['a1', '2', 'c'])
  })

  it('textcat concatenates bytes and propagates NULL', () => {
    const { f, r } = call('textcat', [T.text, T.text])
    const a = stringVector(T.text, ['a', 'b', null])
    const b = stringVector(T.text, ['é', null, 'x'])
    assert.deepEqual(toStrings(f.evaluate([a, b], 3, r.ret, ctx)), ['aé', null, null])
  })
})
