/**
 * Sequence counters shared by every thread. A sequence's state is one BigInt64 cell in a
 * SharedArrayBuffer holding the value the next nextval() hands out, advanced with
 * compare-and-swap, so rows evaluated on several worker threads at once each get their own value
 * and no value is handed out twice. A session's currval()/lastval() live in its own shared cells,
 * written by whichever thread ran nextval(). Like PostgreSQL's, sequence state is outside
 * transactions: a failed or rolled-back statement does not give values back.
 */
import { execError, SqlState } from './errors.js'

/** A sequence's fixed parameters. */
export interface SequenceOptions {
  readonly increment: bigint
  readonly min: bigint
  readonly max: bigint
  readonly start: bigint
  readonly cache: bigint
  readonly cycle: boolean
  /** The sequence's data type: int2, int4 or int8. */
  readonly type: 'int2' | 'int4' | 'int8'
}

/** A sequence's shared cells: [next value to hand out, 1 once nextval/setval(…, true) ran]. */
export type SequenceCells = BigInt64Array

/** What a statement's kernels need to run nextval/currval/setval on one sequence. */
export interface SequenceHandle {
  readonly oid: number
  readonly name: string
  readonly options: SequenceOptions
  readonly cells: SequenceCells
  /** This session's [last value, 1 when defined]. */
  readonly session: BigInt64Array
}

/** The sequences a statement can use, by OID, and the session's lastval cells. */
export interface SequenceEnv {
  readonly byOid: ReadonlyMap<number, SequenceHandle>
  /** This session's [last value from any nextval, 1 when defined]. */
  readonly lastval: BigInt64Array
}

/** Two fresh shared BigInt64 cells. */
export function sharedCells(): BigInt64Array {
  return new BigInt64Array(new SharedArrayBuffer(16))
}

/** New cells of a sequence that starts at `options.start`. */
export function newSequenceCells(options: SequenceOptions): SequenceCells {
  const cells = sharedCells()
  cells[0] = options.start
  return cells
}

const TYPE_BOUNDS = { int2: [-(2n ** 15n), 2n ** 15n - 1n], int4: [-(2n ** 31n), 2n ** 31n - 1n], int8: [-(2n ** 63n), 2n ** 63n - 1n] } as const

/** The bounds of a sequence's data type. */
export const typeBounds = (type: SequenceOptions['type']): readonly [bigint, bigint] => TYPE_BOUNDS[type]

/** Advances a sequence and returns the value handed out (errors 2200H past a bound without CYCLE). */
export function nextValue(h: SequenceHandle, lastval: BigInt64Array): bigint {
  const { increment, min, max, cycle } = h.options
  for (;;) {
    const next = Atomics.load(h.cells, 0)
    let value = next
    if (increment > 0n ? next > max : next < min) {
      if (!cycle) {
        const which = increment > 0n ? `maximum value of sequence "${h.name}" (${max})` : `minimum value of sequence "${h.name}" (${min})`
        throw execError(SqlState.sequenceGeneratorLimitExceeded, `nextval: reached ${which}`)
      }
      value = increment > 0n ? min : max
    }
    if (Atomics.compareExchange(h.cells, 0, next, value + increment) === next) {
      Atomics.store(h.cells, 1, 1n)
      remember(h.session, value)
      remember(lastval, value)
      return value
    }
  }
}

/** The value the session's last nextval of this sequence returned (55000 before any). */
export function currentValue(h: SequenceHandle): bigint {
  if (Atomics.load(h.session, 1) === 0n) throw execError(SqlState.objectNotInPrerequisiteState, `currval of sequence "${h.name}" is not yet defined in this session`)
  return Atomics.load(h.session, 0)
}

/** The value the session's last nextval of any sequence returned (55000 before any). */
export function lastValue(lastval: BigInt64Array): bigint {
  if (Atomics.load(lastval, 1) === 0n) throw execError(SqlState.objectNotInPrerequisiteState, 'lastval is not yet defined in this session')
  return Atomics.load(lastval, 0)
}

/** setval: the next nextval returns `value + increment` when `called`, else `value` (22003 out of bounds). */
export function setValue(h: SequenceHandle, value: bigint, called: boolean): bigint {
  const { min, max, increment } = h.options
  if (value < min || value > max) {
    throw execError(SqlState.numericValueOutOfRange, `setval: value ${value} is out of bounds for sequence "${h.name}" (${min}..${max})`)
  }
  Atomics.store(h.cells, 0, called ? value + increment : value)
  Atomics.store(h.cells, 1, called ? 1n : 0n)
  if (called) remember(h.session, value)
  return value
}

/** The sequence's last_value and is_called as pg_sequences shows them. */
export function lastValueOf(options: SequenceOptions, cells: SequenceCells): { lastValue: bigint; isCalled: boolean } {
  const isCalled = Atomics.load(cells, 1) === 1n
  const next = Atomics.load(cells, 0)
  return { lastValue: isCalled ? next - options.increment : next, isCalled }
}

function remember(cells: BigInt64Array, value: bigint): void {
  Atomics.store(cells, 0, value)
  Atomics.store(cells, 1, 1n)
}
