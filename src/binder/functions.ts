/**
 * Aggregate and window function signatures known to the binder: which names aggregate, and the
 * result type of each for its argument types (PostgreSQL's pg_aggregate rules).
 */
import { planError, SqlState } from '../common/errors.js'
import { arrayType, isInteger, isNumeric, isString, numericType, T, typeName, type SqlType } from '../common/types.js'

/** Names of the aggregate functions Flint implements. */
export const AGGREGATES = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'bool_and',
  'bool_or',
  'every',
  'string_agg',
  'array_agg',
  'stddev',
  'stddev_samp',
  'stddev_pop',
  'variance',
  'var_samp',
  'var_pop',
  'covar_pop',
  'covar_samp',
  'corr',
  'regr_slope',
  'regr_intercept',
  'regr_count',
  'regr_r2',
  'regr_avgx',
  'regr_avgy',
  'regr_sxx',
  'regr_syy',
  'regr_sxy',
  'percentile_cont',
  'percentile_disc',
  'mode',
  'bit_and',
  'bit_or',
  'any_value',
])

/** Window-only functions (ranking and navigation). */
export const WINDOW_FUNCTIONS = new Set([
  'row_number',
  'rank',
  'dense_rank',
  'percent_rank',
  'cume_dist',
  'ntile',
  'lag',
  'lead',
  'first_value',
  'last_value',
  'nth_value',
])

const undefinedAgg = (name: string, args: readonly SqlType[]): never => {
  throw planError(
    SqlState.undefinedFunction,
    `function ${name}(${args.map(typeName).join(', ')}) does not exist`,
  )
}

/**
 * The argument types an aggregate wants (casts the binder applies) and its result type.
 * `args` are the bound argument types (untyped literals already resolved to text).
 */
export function resolveAggregate(name: string, args: readonly SqlType[]): { args: SqlType[]; ret: SqlType } {
  const a0 = args[0]
  switch (name) {
    case 'count':
      return { args: [...args], ret: T.int8 }
    case 'sum':
      if (!a0) return undefinedAgg(name, args)
      if (a0.id === 'int2' || a0.id === 'int4') return { args: [a0], ret: T.int8 }
      if (a0.id === 'int8') return { args: [a0], ret: T.numeric }
      if (a0.id === 'numeric') return { args: [a0], ret: a0.scale === null ? T.numeric : numericType(null, a0.scale) }
      if (a0.id === 'float4' || a0.id === 'float8' || a0.id === 'interval') return { args: [a0], ret: a0 }
      return undefinedAgg(name, args)
    case 'avg':
      if (!a0) return undefinedAgg(name, args)
      if (isInteger(a0) || a0.id === 'numeric') return { args: [a0], ret: T.numeric }
      if (a0.id === 'float4' || a0.id === 'float8') return { args: [a0], ret: T.float8 }
      if (a0.id === 'interval') return { args: [a0], ret: T.interval }
      return undefinedAgg(name, args)
    case 'min':
    case 'max':
    case 'any_value':
      if (!a0 || a0.id === 'bool' && name !== 'any_value') return undefinedAgg(name, args)
      return { args: [a0], ret: a0.id === 'unknown' ? T.text : a0 }
    case 'bool_and':
    case 'bool_or':
    case 'every':
      if (!a0 || a0.id !== 'bool') return undefinedAgg(name, args)
      return { args: [a0], ret: T.bool }
    case 'bit_and':
    case 'bit_or':
      if (!a0 || !isInteger(a0)) return undefinedAgg(name, args)
      return { args: [a0], ret: a0 }
    case 'string_agg':
      if (args.length !== 2 || !isString(args[0]!) && args[0]!.id !== 'unknown') return undefinedAgg(name, args)
      return { args: [T.text, T.text], ret: T.text }
    case 'array_agg':
      if (!a0) return undefinedAgg(name, args)
      return { args: [a0], ret: arrayType(a0.id === 'unknown' ? T.text : a0) }
    case 'stddev':
    case 'stddev_samp':
    case 'stddev_pop':
    case 'variance':
    case 'var_samp':
    case 'var_pop':
      if (!a0 || !isNumeric(a0)) return undefinedAgg(name, args)
      return { args: [a0], ret: a0.id === 'float4' || a0.id === 'float8' ? T.float8 : T.numeric }
    case 'covar_pop':
    case 'covar_samp':
    case 'corr':
    case 'regr_slope':
    case 'regr_intercept':
    case 'regr_r2':
    case 'regr_avgx':
    case 'regr_avgy':
    case 'regr_sxx':
    case 'regr_syy':
    case 'regr_sxy':
      if (args.length !== 2 || !isNumeric(args[0]!) || !isNumeric(args[1]!)) return undefinedAgg(name, args)
      return { args: [T.float8, T.float8], ret: T.float8 }
    case 'regr_count':
      return { args: [T.float8, T.float8], ret: T.int8 }
    case 'percentile_cont':
      return { args: [T.float8], ret: T.float8 }
    case 'percentile_disc':
    case 'mode':
      return { args: [...args], ret: a0 ?? T.text }
    default:
      return undefinedAgg(name, args)
  }
}

/** How many arguments each window-only function takes (at least, at most). */
const WINDOW_ARITY: Record<string, [number, number]> = {
  row_number: [0, 0],
  rank: [0, 0],
  dense_rank: [0, 0],
  percent_rank: [0, 0],
  cume_dist: [0, 0],
  ntile: [1, 1],
  lag: [1, 3],
  lead: [1, 3],
  first_value: [1, 1],
  last_value: [1, 1],
  nth_value: [2, 2],
}

/** Result type of a window-only function for its argument types. */
export function resolveWindowFunction(name: string, args: readonly SqlType[]): SqlType {
  const [min, max] = WINDOW_ARITY[name] ?? [0, Infinity]
  if (args.length < min || args.length > max) return undefinedAgg(name, args)
  switch (name) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
      return T.int8
    case 'ntile':
      return T.int4
    case 'percent_rank':
    case 'cume_dist':
      return T.float8
    case 'lag':
    case 'lead':
    case 'first_value':
    case 'last_value':
    case 'nth_value':
      if (!args[0]) return undefinedAgg(name, args)
      return args[0].id === 'unknown' ? T.text : args[0]
    default:
      return undefinedAgg(name, args)
  }
}
