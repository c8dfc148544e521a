/**
 * Sequence functions: nextval, currval, setval and lastval over the statement's sequences (see
 * common/sequence.ts). The binder turns the sequence argument (a regclass) into its OID; every
 * function is volatile, so each row's call runs once, on whichever thread evaluates the row.
 */
import { InternalError } from '../../common/errors.js'
import { int8BigAt, int8VectorFromBig } from '../../common/int8.js'
import { currentValue, lastValue, nextValue, setValue, type SequenceHandle } from '../../common/sequence.js'
import { T } from '../../common/types.js'
import type { Vector } from '../../common/vector.js'
import type { EvalContext, ScalarFunction } from '../registry.js'
import { argsValidity, valid } from './build.js'
import { defineFunction, sig, takesWideInt8, type Kernel } from './signature.js'

function handle(ctx: EvalContext, oid: number): SequenceHandle {
  const h = ctx.sequences?.byOid.get(oid)
  if (!h) throw new InternalError(`sequence ${oid} is not available to this statement`)
  return h
}

/** A kernel computing one int8 per row whose arguments are all non-null, in row order. */
const perRow =
  (fn: (args: readonly Vector[], i: number, ctx: EvalContext) => bigint): Kernel =>
  (args, n, ret, ctx) => {
    const validity = argsValidity(args, n)
    const out = new BigInt64Array(n)
    for (let i = 0; i < n; i++) if (valid(validity, i)) out[i] = fn(args, i, ctx)
    return int8VectorFromBig(ret, out, validity)
  }

const oidAt = (args: readonly Vector[], i: number): number => args[0]!.values[i] as number
const lastvalCells = (ctx: EvalContext): BigInt64Array => {
  if (!ctx.sequences) throw new InternalError('sequences are not available to this statement')
  return ctx.sequences.lastval
}

/** The sequence functions. */
export const sequenceFunctions: ScalarFunction[] = [
  defineFunction('nextval', [sig(['int8'], T.int8, perRow((args, i, ctx) => nextValue(handle(ctx, oidAt(args, i)), lastvalCells(ctx))))], 'volatile'),
  defineFunction('currval', [sig(['int8'], T.int8, perRow((args, i, ctx) => currentValue(handle(ctx, oidAt(args, i)))))], 'volatile'),
  defineFunction('lastval', [sig([], T.int8, perRow((_args, _i, ctx) => lastValue(lastvalCells(ctx))))], 'volatile'),
  takesWideInt8(
    defineFunction(
      'setval',
      [
        sig(['int8', 'int8'], T.int8, perRow((args, i, ctx) => setValue(handle(ctx, oidAt(args, i)), int8BigAt(args[1]!, i), true))),
        sig(['int8', 'int8', 'bool'], T.int8, perRow((args, i, ctx) => setValue(handle(ctx, oidAt(args, i)), int8BigAt(args[1]!, i), args[2]!.values[i] === 1))),
      ],
      'volatile',
    ),
  ),
]
