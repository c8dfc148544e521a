/**
 * PostgreSQL's bitwise integer operators as functions the binder calls for them: & | # (and, or,
 * xor), << >> (shifts by an int4 count) and prefix ~ (not), for int2, int4 and int8. int2/int4
 * work on 32-bit integers as the C code does (shift counts taken modulo 32, int2 results
 * truncated to 16 bits); int8 works on exact 64-bit values (counts modulo 64), in either int8
 * layout.
 */
import { int8VectorFromBig, widenValues } from '../../common/int8.js'
import { T } from '../../common/types.js'
import type { ScalarFunction } from '../registry.js'
import { argsValidity } from './build.js'
import { defineFunction, sig, takesWideInt8, type Kernel } from './signature.js'

type Op2 = (x: number, y: number) => number
type Op2Big = (x: bigint, y: bigint) => bigint

/** An int2/int4 kernel applying `op` to 32-bit integers; the typed output array truncates int2 results. */
function small2(op: Op2, out: (n: number) => Int16Array | Int32Array): Kernel {
  return (args, n, ret) => {
    const a = args[0]!.values
    const b = args[1]!.values
    const values = out(n)
    for (let i = 0; i < n; i++) values[i] = op(a[i]!, b[i]!)
    return { type: ret, length: n, values, validity: argsValidity(args, n) }
  }
}

/** An int8 kernel over exact values; `countArg` is true when the second argument is an int4 shift count. */
function big2(op: Op2Big, countArg: boolean): Kernel {
  return (args, n, ret) => {
    const a = widenValues(args[0]!)
    const b = countArg ? null : widenValues(args[1]!)
    const counts = args[1]!.values
    const values = new BigInt64Array(n)
    for (let i = 0; i < n; i++) values[i] = BigInt.asIntN(64, op(a[i]!, b === null ? BigInt(counts[i]! & 63) : b[i]!))
    return int8VectorFromBig(ret, values, argsValidity(args, n))
  }
}

const int16 = (n: number): Int16Array => new Int16Array(n)
const int32 = (n: number): Int32Array => new Int32Array(n)

/** The three integer overloads of a binary bitwise operator. */
function bitwise(name: string, op: Op2, opBig: Op2Big): ScalarFunction {
  return takesWideInt8(
    defineFunction(name, [
      sig(['int2', 'int2'], T.int2, small2(op, int16)),
      sig(['int4', 'int4'], T.int4, small2(op, int32)),
      sig(['int8', 'int8'], T.int8, big2(opBig, false)),
    ]),
  )
}

/** The overloads of a shift: int2/int4/int8 shifted by an int4 count. */
function shift(name: string, op: Op2, opBig: Op2Big): ScalarFunction {
  return takesWideInt8(
    defineFunction(name, [
      sig(['int2', 'int4'], T.int2, small2(op, int16)),
      sig(['int4', 'int4'], T.int4, small2(op, int32)),
      sig(['int8', 'int4'], T.int8, big2(opBig, true)),
    ]),
  )
}

/** Prefix ~ for int2 or int4. */
function not(out: (n: number) => Int16Array | Int32Array): Kernel {
  return (args, n, ret) => {
    const a = args[0]!.values
    const values = out(n)
    for (let i = 0; i < n; i++) values[i] = ~a[i]!
    return { type: ret, length: n, values, validity: args[0]!.validity }
  }
}

/** The bitwise operator functions (named after the operators' PostgreSQL functions). */
export const bitwiseFunctions: ScalarFunction[] = [
  bitwise('bitand', (x, y) => x & y, (x, y) => x & y),
  bitwise('bitor', (x, y) => x | y, (x, y) => x | y),
  bitwise('bitxor', (x, y) => x ^ y, (x, y) => x ^ y),
  shift('bitshiftleft', (x, y) => x << y, (x, y) => x << y),
  shift('bitshiftright', (x, y) => x >> y, (x, y) => x >> y),
  takesWideInt8(
    defineFunction('bitnot', [
      sig(['int2'], T.int2, not(int16)),
      sig(['int4'], T.int4, not(int32)),
      sig(['int8'], T.int8, (args, n, ret) => {
        const a = widenValues(args[0]!)
        const values = new BigInt64Array(n)
        for (let i = 0; i < n; i++) values[i] = ~a[i]!
        return int8VectorFromBig(ret, values, args[0]!.validity)
      }),
    ]),
  ),
]
