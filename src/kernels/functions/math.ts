/**
 * Mathematical functions with PostgreSQL 15's overloads, result types and errors: float8
 * functions on Float64Array loops, integer functions with overflow checks, and numeric functions
 * exact through numeric-ops.ts.
 */
import { pow10n, type Decimal } from '../../common/decimal.js'
import { execError, SqlState } from '../../common/errors.js'
import { checkInt8, INT8_MIN, int8VectorFromBig, widenValues, wideValues } from '../../common/int8.js'
import { andValidity } from '../../common/vector.js'
import { T, type SqlType } from '../../common/types.js'
import type { ScalarFunction } from '../registry.js'
import { arithmetic } from '../arith.js'
import { mapToNumber, valid } from './build.js'
import {
  cmp,
  divDec,
  expDec,
  factorialDec,
  floorCeil,
  gcdDec,
  lcmDec,
  lnDec,
  logDec,
  mapNumeric,
  minScale,
  modDec,
  numericScale,
  powerDec,
  readNum,
  roundTo,
  sqrtDec,
  staticScale,
  truncTo,
  type Num,
} from './numeric-ops.js'
import { defineFunction, sig, takesWideInt8, type Kernel } from './signature.js'

const f8 = T.float8
const int4 = T.int4

const outOfRange = (what: string): never => {
  throw execError(SqlState.numericValueOutOfRange, `${what} out of range`)
}
const overflow = (): never => {
  throw execError(SqlState.numericValueOutOfRange, 'value out of range: overflow')
}
const underflow = (): never => {
  throw execError(SqlState.numericValueOutOfRange, 'value out of range: underflow')
}

// ---------------------------------------------------------------- float8

/** A float8 → float8 kernel from a per-value function. */
function float1(fn: (x: number) => number): Kernel {
  return (args, n, ret) => {
    const a = args[0]!.values
    const out = new Float64Array(n)
    const bm = args[0]!.validity
    if (bm === null) for (let i = 0; i < n; i++) out[i] = fn(a[i]!)
    else for (let i = 0; i < n; i++) if (valid(bm, i)) out[i] = fn(a[i]!)
    return { type: ret, length: n, values: out, validity: bm }
  }
}

/** A (float8, float8) → float8 kernel. */
function float2(fn: (x: number, y: number) => number): Kernel {
  return (args, n, ret) => {
    const a = args[0]!.values
    const b = args[1]!.values
    return mapToNumber(args, n, ret, new Float64Array(n), (i) => fn(a[i]!, b[i]!))
  }
}

/** C's rint: round half to even, keeping the sign of zero. */
export function rint(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 4503599627370496) return x
  const f = Math.floor(x)
  const d = x - f
  let r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1
  if (r === 0 && (x < 0 || Object.is(x, -0))) r = -0
  return r
}

const checkedExp = (x: number): number => {
  const r = Math.exp(x)
  if (r === Infinity && Number.isFinite(x)) overflow()
  if (r === 0 && Number.isFinite(x)) underflow()
  return r
}

const checkedLog = (f: (x: number) => number) => (x: number): number => {
  if (x === 0) throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of zero')
  if (x < 0) throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of a negative number')
  return f(x)
}

/** float8 power with PostgreSQL's error checks. */
export function powerFloat(x: number, y: number): number {
  if (Number.isNaN(x)) return y === 0 ? 1 : NaN
  if (Number.isNaN(y)) return x === 1 ? 1 : NaN
  if (x === 0 && y < 0) throw execError(SqlState.invalidArgumentForPower, 'zero raised to a negative power is undefined')
  if (x < 0 && Number.isFinite(y) && Math.floor(y) !== y) {
    throw execError(SqlState.invalidArgumentForPower, 'a negative number raised to a non-integer power yields a complex result')
  }
  if (x === -1 && !Number.isFinite(y)) return 1
  const r = Math.pow(x, y)
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) overflow()
  if (r === 0 && x !== 0 && Number.isFinite(x) && Number.isFinite(y)) underflow()
  return r
}

const sqrtFloat = (x: number): number => {
  if (x < 0) throw execError(SqlState.invalidArgumentForPower, 'cannot take square root of a negative number')
  return Math.sqrt(x)
}

/** `f` restricted to the domain [lo, hi] (NaN passes through), as PostgreSQL's inverse trig functions. */
const inRange = (lo: number, hi: number, f: (x: number) => number) => (x: number): number => {
  if (Number.isNaN(x)) return NaN
  if (x < lo || x > hi) throw execError(SqlState.numericValueOutOfRange, 'input is out of range')
  return f(x)
}

const trig = (f: (x: number) => number) => (x: number): number => {
  if (Number.isNaN(x)) return NaN
  if (!Number.isFinite(x)) throw execError(SqlState.numericValueOutOfRange, 'input is out of range')
  return f(x)
}

// ---------------------------------------------------------------- random / setseed (xoroshiro128**, as pg_prng)

const M64 = (1n << 64n) - 1n
let s0 = 0n
let s1 = 0n
let seeded = false

const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & M64

function splitmix64(state: { v: bigint }): bigint {
  state.v = (state.v + 0x9e3779b97f4a7c15n) & M64
  let z = state.v
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64
  return z ^ (z >> 31n)
}

function seed(v: bigint): void {
  const st = { v: v & M64 }
  s0 = splitmix64(st)
  s1 = splitmix64(st)
  if (s0 === 0n && s1 === 0n) s0 = 1n
  seeded = true
}

/** The next random double in [0, 1), the same sequence PostgreSQL's random() gives after setseed. */
export function nextRandom(): number {
  if (!seeded) seed(BigInt(Math.floor(Math.random() * 2 ** 52)) ^ (BigInt(Date.now()) << 12n))
  const a = s0
  const sx = s1 ^ a
  const val = (rotl((a * 5n) & M64, 7n) * 9n) & M64
  s0 = rotl(a, 24n) ^ sx ^ ((sx << 16n) & M64)
  s1 = rotl(sx, 37n)
  return Number(val >> 12n) * 2 ** -52
}

/** setseed(x): x in [-1, 1]; 22003 otherwise. */
export function setSeed(x: number): void {
  if (!(x >= -1 && x <= 1)) {
    throw execError(SqlState.invalidParameterValue, `setseed parameter ${x} is out of allowed range [-1,1]`)
  }
  seed(BigInt.asUintN(64, BigInt(Math.trunc(4503599627370495 * x))))
}

const randomKernel: Kernel = (_args, n, ret) => {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = nextRandom()
  return { type: ret, length: n, values: out, validity: null }
}

const setseedKernel: Kernel = (args, n, ret) => {
  const v = args[0]!
  const offsets = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) if (valid(v.validity, i)) setSeed(v.values[i]!)
  return { type: ret, length: n, values: new Uint8Array(0), validity: v.validity, offsets }
}

// ---------------------------------------------------------------- integers

const intLimits = { int2: [-32768, 32767, 'smallint'], int4: [-2147483648, 2147483647, 'integer'], int8: [-9223372036854775808, 9223372036854775807, 'bigint'] } as const

function intAbs(id: 'int2' | 'int4' | 'int8'): Kernel {
  const [min, , name] = intLimits[id]
  return (args, n, ret) => {
    const wide = wideValues(args[0]!)
    if (wide !== null) {
      const out = new BigInt64Array(n)
      for (let i = 0; i < n; i++) if (valid(args[0]!.validity, i)) out[i] = checkInt8(wide[i]! < 0n ? -wide[i]! : wide[i]!)
      return int8VectorFromBig(ret, out, args[0]!.validity)
    }
    const a = args[0]!.values
    const out = id === 'int2' ? new Int16Array(n) : id === 'int4' ? new Int32Array(n) : new Float64Array(n)
    return mapToNumber(args, n, ret, out, (i) => {
      const x = a[i]!
      if (x <= min) outOfRange(name)
      return Math.abs(x)
    })
  }
}

/** mod(x, y) of integers: the % operator (exact for int8 in either layout). */
const intMod: Kernel = (args, n, ret) => arithmetic('%', args[0]!, args[1]!, n, ret)

const gcdNum = (x: number, y: number): number => {
  x = Math.abs(x)
  y = Math.abs(y)
  while (y !== 0) [x, y] = [y, x % y]
  return x
}

const gcdBig = (x: bigint, y: bigint): bigint => {
  if (x < 0n) x = -x
  if (y < 0n) y = -y
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/** gcd/lcm of bigint over exact 64-bit values (either int8 layout), with PostgreSQL's overflow rules. */
function int8GcdLcm(lcm: boolean): Kernel {
  return (args, n, ret) => {
    const a = widenValues(args[0]!)
    const b = widenValues(args[1]!)
    const validity = andValidity(args[0]!.validity, args[1]!.validity, n)
    const out = new BigInt64Array(n)
    for (let i = 0; i < n; i++) {
      if (!valid(validity, i)) continue
      const x = a[i]!
      const y = b[i]!
      if (!lcm) out[i] = checkInt8(gcdBig(x, y))
      else if (x !== 0n && y !== 0n) {
        const r = checkInt8((x / gcdBig(x, y)) * y)
        if (r === INT8_MIN) outOfRange('bigint')
        out[i] = r < 0n ? -r : r
      }
    }
    return int8VectorFromBig(ret, out, validity)
  }
}

function intGcdLcm(id: 'int4', lcm: boolean): Kernel {
  const [min, max, name] = intLimits[id]
  return (args, n, ret) => {
    const a = args[0]!.values
    const b = args[1]!.values
    return mapToNumber(args, n, ret, new Int32Array(n), (i) => {
      const x = a[i]!
      const y = b[i]!
      if (!lcm) {
        const g = gcdNum(x, y)
        if (g > max) outOfRange(name)
        return g
      }
      if (x === 0 || y === 0) return 0
      if (x === min || y === min) outOfRange(name)
      const g = gcdNum(x, y)
      const r = Math.abs((x / g) * y)
      if (r > max) outOfRange(name)
      return r
    })
  }
}

// ---------------------------------------------------------------- numeric

/** Result type keeping the argument's static scale (abs, negation-like functions). */
const sameScale = (args: readonly SqlType[]): SqlType => {
  const s = staticScale(args[0]!)
  return s === null ? T.numeric : numericScale(s)
}
/** Result type at the larger of two static scales (mod, gcd, lcm). */
const maxScale = (args: readonly SqlType[]): SqlType => {
  const a = staticScale(args[0]!)
  const b = staticScale(args[1]!)
  return a === null || b === null ? T.numeric : numericScale(Math.max(a, b))
}

const isSpecial = (x: Num): x is 'NaN' | 'Infinity' | '-Infinity' => typeof x === 'string'
const negNum = (d: Decimal): Decimal => ({ unscaled: -d.unscaled, scale: d.scale })

/** A one-argument numeric function; specials map through `special` (NaN stays NaN by default). */
function numeric1(fn: (d: Decimal, vals: Num[], i: number) => Num | null, special?: (x: 'Infinity' | '-Infinity') => Num | null): Kernel {
  return (args, n, ret) =>
    mapNumeric(args, n, ret, (vals, i) => {
      const x = vals[0]!
      if (isSpecial(x)) {
        if (x === 'NaN') return 'NaN'
        return special ? special(x) : 'NaN'
      }
      return fn(x, vals, i)
    })
}

/** abs over the static-scale layout without leaving doubles. */
const numericAbs: Kernel = (args, n, ret, ctx) => {
  const v = args[0]!
  if (v.offsets === undefined && staticScale(ret) === staticScale(v.type)) {
    const a = v.values
    const out = new Float64Array(n)
    for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]!)
    return { type: ret, length: n, values: out, validity: v.validity }
  }
  return numeric1((d) => (d.unscaled < 0n ? negNum(d) : d), () => 'Infinity')(args, n, ret, ctx)
}

const numericSign = numeric1(
  (d) => ({ unscaled: d.unscaled > 0n ? 1n : d.unscaled < 0n ? -1n : 0n, scale: 0 }),
  (x) => ({ unscaled: x === 'Infinity' ? 1n : -1n, scale: 0 }),
)

function numericRound(trunc: boolean): Kernel {
  return (args, n, ret) =>
    mapNumeric(args, n, ret, (vals) => {
      const x = vals[0]!
      if (isSpecial(x)) return x
      const places = vals.length > 1 ? Number((vals[1] as Decimal).unscaled) : 0
      return trunc ? truncTo(x, places) : roundTo(x, places)
    })
}

const numericFloorCeil = (ceil: boolean): Kernel => numeric1((d) => floorCeil(d, ceil), (x) => x)

function numeric2(fn: (a: Decimal, b: Decimal) => Num): Kernel {
  return (args, n, ret) =>
    mapNumeric(args, n, ret, (vals) => {
      const a = vals[0]!
      const b = vals[1]!
      if (isSpecial(a) || isSpecial(b)) return 'NaN'
      return fn(a, b)
    })
}

const widthBucketFloat: Kernel = (args, n, ret) => {
  const [op, lo, hi, cnt] = args.map((a) => a.values) as [Float64Array, Float64Array, Float64Array, Int32Array]
  return mapToNumber(args, n, ret, new Int32Array(n), (i) => widthBucket(op[i]!, lo[i]!, hi[i]!, cnt[i]!))
}

/** width_bucket over doubles (PostgreSQL 15 width_bucket_float8). */
export function widthBucket(op: number, b1: number, b2: number, count: number): number {
  if (count <= 0) throw execError('2201G', 'count must be greater than zero')
  if (Number.isNaN(op) || Number.isNaN(b1) || Number.isNaN(b2)) {
    throw execError('2201G', 'operand, lower bound, and upper bound cannot be NaN')
  }
  if (!Number.isFinite(b1) || !Number.isFinite(b2)) throw execError('2201G', 'lower and upper bounds must be finite')
  if (b1 === b2) throw execError('2201G', 'lower bound cannot equal upper bound')
  let r: number
  if (b1 < b2) {
    if (op < b1) return 0
    if (op >= b2) {
      if (count === 2147483647) outOfRange('integer')
      return count + 1
    }
    r = Number.isFinite(b2 - b1) ? count * ((op - b1) / (b2 - b1)) : count * ((op / 2 - b1 / 2) / (b2 / 2 - b1 / 2))
  } else {
    if (op > b1) return 0
    if (op <= b2) {
      if (count === 2147483647) outOfRange('integer')
      return count + 1
    }
    r = Number.isFinite(b1 - b2) ? count * ((b1 - op) / (b1 - b2)) : count * ((b1 / 2 - op / 2) / (b1 / 2 - b2 / 2))
  }
  r = Math.floor(r)
  if (r >= count) r = count - 1
  return r + 1
}

const widthBucketNumeric: Kernel = (args, n, ret) => {
  const cnt = args[3]!.values
  return mapToNumber(args, n, ret, new Int32Array(n), (i) => {
    const op = readNum(args[0]!, i)
    const b1 = readNum(args[1]!, i)
    const b2 = readNum(args[2]!, i)
    const count = cnt[i]!
    if (count <= 0) throw execError('2201G', 'count must be greater than zero')
    if (op === 'NaN' || b1 === 'NaN' || b2 === 'NaN') throw execError('2201G', 'operand, lower bound, and upper bound cannot be NaN')
    if (isSpecial(b1) || isSpecial(b2)) throw execError('2201G', 'lower and upper bounds must be finite')
    const c12 = cmp(b1, b2)
    if (c12 === 0) throw execError('2201G', 'lower bound cannot equal upper bound')
    const asc = c12 < 0
    if (isSpecial(op)) return (op === 'Infinity') === asc ? count + 1 : 0
    if (asc ? cmp(op, b1) < 0 : cmp(op, b1) > 0) return 0
    if (asc ? cmp(op, b2) >= 0 : cmp(op, b2) <= 0) return count + 1
    const s = Math.max(op.scale, b1.scale, b2.scale)
    const at = (d: Decimal): bigint => d.unscaled * pow10n(s - d.scale)
    const num = asc ? at(op) - at(b1) : at(b1) - at(op)
    const den = asc ? at(b2) - at(b1) : at(b1) - at(b2)
    return Number((num * BigInt(count)) / den) + 1
  })
}

const scaleKernel = (f: (d: Decimal) => number): Kernel => (args, n, ret) => {
  const out = new Int32Array(n)
  const bm = args[0]!.validity
  const vals = new Array<number | null>(n)
  for (let i = 0; i < n; i++) {
    if (!valid(bm, i)) continue
    const x = readNum(args[0]!, i)
    vals[i] = isSpecial(x) ? null : f(x)
  }
  let validity: Uint8Array | null = bm === null ? null : bm.slice()
  for (let i = 0; i < n; i++) {
    if (!valid(bm, i)) continue
    const v = vals[i]
    if (v === null || v === undefined) {
      validity ??= new Uint8Array((n + 7) >> 3).fill(0xff)
      validity[i >> 3]! &= ~(1 << (i & 7))
    } else out[i] = v
  }
  return { type: ret, length: n, values: out, validity }
}

const trimScaleKernel = numeric1((d) => {
  const s = minScale(d)
  return s === d.scale ? d : { unscaled: d.unscaled / pow10n(d.scale - s), scale: s }
}, (x) => x)

const factorialKernel: Kernel = (args, n, ret) => {
  const a = args[0]!.values
  return mapNumeric(args, n, ret, (_v, i) => factorialDec(a[i]!))
}

const sqrtNumeric = numeric1(sqrtDec, (x) => {
  if (x === '-Infinity') throw execError(SqlState.invalidArgumentForPower, 'cannot take square root of a negative number')
  return x
})
const lnNumeric = numeric1(lnDec, (x) => {
  if (x === '-Infinity') throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of a negative number')
  return x
})
const log10Numeric = numeric1((d) => logDec({ unscaled: 10n, scale: 0 }, d), (x) => {
  if (x === '-Infinity') throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of a negative number')
  return x
})
const expNumeric = numeric1(expDec, (x) => (x === 'Infinity' ? x : { unscaled: 0n, scale: 0 }))

const logNumeric2: Kernel = numeric2(logDec)
const powerNumeric: Kernel = numeric2(powerDec)

// ---------------------------------------------------------------- registration

const num = T.numeric
const scale0 = numericScale(0)

const numericFns = {
  round: [sig(['numeric'], scale0, numericRound(false)), sig(['numeric', 'int4'], num, numericRound(false))],
  trunc: [sig(['numeric'], scale0, numericRound(true)), sig(['numeric', 'int4'], num, numericRound(true))],
}

/** The math functions. */
export const mathFunctions: ScalarFunction[] = [
  takesWideInt8(
    defineFunction('abs', [
      sig(['float8'], f8, float1(Math.abs)),
      sig(['float4'], T.float4, (args, n, ret) => {
        const a = args[0]!.values
        return mapToNumber(args, n, ret, new Float32Array(n), (i) => Math.abs(a[i]!))
      }),
      sig(['int2'], T.int2, intAbs('int2')),
      sig(['int4'], int4, intAbs('int4')),
      sig(['int8'], T.int8, intAbs('int8')),
      sig(['numeric'], sameScale, numericAbs),
    ]),
  ),
  defineFunction('sign', [sig(['float8'], f8, float1((x) => (x > 0 ? 1 : x < 0 ? -1 : x))), sig(['numeric'], scale0, numericSign)]),
  defineFunction('round', [sig(['float8'], f8, float1(rint)), ...numericFns.round]),
  defineFunction('trunc', [sig(['float8'], f8, float1(Math.trunc)), ...numericFns.trunc]),
  defineFunction('floor', [sig(['float8'], f8, float1(Math.floor)), sig(['numeric'], scale0, numericFloorCeil(false))]),
  defineFunction('ceil', [sig(['float8'], f8, float1(Math.ceil)), sig(['numeric'], scale0, numericFloorCeil(true))]),
  defineFunction('ceiling', [sig(['float8'], f8, float1(Math.ceil)), sig(['numeric'], scale0, numericFloorCeil(true))]),
  takesWideInt8(
    defineFunction('mod', [
      sig(['int2', 'int2'], T.int2, intMod),
      sig(['int4', 'int4'], int4, intMod),
      sig(['int8', 'int8'], T.int8, intMod),
      sig(['numeric', 'numeric'], maxScale, numeric2(modDec)),
    ]),
  ),
  defineFunction('div', [sig(['numeric', 'numeric'], scale0, numeric2(divDec))]),
  takesWideInt8(
    defineFunction('gcd', [
      sig(['int4', 'int4'], int4, intGcdLcm('int4', false)),
      sig(['int8', 'int8'], T.int8, int8GcdLcm(false)),
      sig(['numeric', 'numeric'], maxScale, numeric2(gcdDec)),
    ]),
  ),
  takesWideInt8(
    defineFunction('lcm', [
      sig(['int4', 'int4'], int4, intGcdLcm('int4', true)),
      sig(['int8', 'int8'], T.int8, int8GcdLcm(true)),
      sig(['numeric', 'numeric'], maxScale, numeric2(lcmDec)),
    ]),
  ),
  ...(['power', 'pow'] as const).map((name) =>
    defineFunction(name, [sig(['float8', 'float8'], f8, float2(powerFloat)), sig(['numeric', 'numeric'], num, powerNumeric)]),
  ),
  defineFunction('sqrt', [sig(['float8'], f8, float1(sqrtFloat)), sig(['numeric'], num, sqrtNumeric)]),
  defineFunction('cbrt', [sig(['float8'], f8, float1(Math.cbrt))]),
  defineFunction('exp', [sig(['float8'], f8, float1(checkedExp)), sig(['numeric'], num, expNumeric)]),
  defineFunction('ln', [sig(['float8'], f8, float1(checkedLog(Math.log))), sig(['numeric'], num, lnNumeric)]),
  defineFunction('log', [
    sig(['float8'], f8, float1(checkedLog(Math.log10))),
    sig(['numeric'], num, log10Numeric),
    sig(['numeric', 'numeric'], num, logNumeric2),
  ]),
  defineFunction('log10', [sig(['float8'], f8, float1(checkedLog(Math.log10))), sig(['numeric'], num, log10Numeric)]),
  defineFunction('pi', [sig([], f8, (_a, n, ret) => ({ type: ret, length: n, values: new Float64Array(n).fill(Math.PI), validity: null }))]),
  defineFunction('degrees', [sig(['float8'], f8, float1((x) => x * (180 / Math.PI)))]),
  defineFunction('radians', [sig(['float8'], f8, float1((x) => x * (Math.PI / 180)))]),
  defineFunction('sin', [sig(['float8'], f8, float1(trig(Math.sin)))]),
  defineFunction('cos', [sig(['float8'], f8, float1(trig(Math.cos)))]),
  defineFunction('tan', [sig(['float8'], f8, float1(trig(Math.tan)))]),
  defineFunction('cot', [sig(['float8'], f8, float1(trig((x) => 1 / Math.tan(x))))]),
  defineFunction('asin', [sig(['float8'], f8, float1(inRange(-1, 1, Math.asin)))]),
  defineFunction('acos', [sig(['float8'], f8, float1(inRange(-1, 1, Math.acos)))]),
  defineFunction('atan', [sig(['float8'], f8, float1(Math.atan))]),
  defineFunction('atan2', [sig(['float8', 'float8'], f8, float2(Math.atan2))]),
  defineFunction('sinh', [sig(['float8'], f8, float1(Math.sinh))]),
  defineFunction('cosh', [sig(['float8'], f8, float1(Math.cosh))]),
  defineFunction('tanh', [sig(['float8'], f8, float1(Math.tanh))]),
  defineFunction('asinh', [sig(['float8'], f8, float1(Math.asinh))]),
  defineFunction('acosh', [sig(['float8'], f8, float1(inRange(1, Infinity, Math.acosh)))]),
  defineFunction('atanh', [sig(['float8'], f8, float1(inRange(-1, 1, Math.atanh)))]),
  defineFunction('random', [sig([], f8, randomKernel)], 'volatile'),
  defineFunction('setseed', [sig(['float8'], T.text, setseedKernel)], 'volatile'),
  defineFunction('factorial', [sig(['int8'], scale0, factorialKernel)]),
  defineFunction('width_bucket', [
    sig(['float8', 'float8', 'float8', 'int4'], int4, widthBucketFloat),
    sig(['numeric', 'numeric', 'numeric', 'int4'], int4, widthBucketNumeric),
  ]),
  defineFunction('scale', [sig(['numeric'], int4, scaleKernel((d) => Math.max(d.scale, 0)))]),
  defineFunction('min_scale', [sig(['numeric'], int4, scaleKernel(minScale))]),
  defineFunction('trim_scale', [sig(['numeric'], num, trimScaleKernel)]),
]
