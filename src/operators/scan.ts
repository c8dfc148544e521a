/**
 * Table scans: in-memory chunks (a partition takes a contiguous range of chunks) and Parquet files
 * (a partition takes a share of the row groups left after min/max pruning), reading only the
 * columns the plan uses and applying the filters pushed into the scan.
 */
import { execError, NotImplementedError, SqlState } from '../common/errors.js'
import { T, type SqlType } from '../common/types.js'
import { valueAt, vectorFromValues, type IntervalValue, type Value } from '../common/value.js'
import { compareIntervals, timestampPlusInterval, timestamptzPlusInterval } from '../kernels/datetime.js'
import type { Batch } from '../common/vector.js'
import { concatBatches, evaluate, takeBatch, trueIndices, type EvalEnv } from '../kernels/eval.js'
import { and, conjuncts, type Expr } from '../logical/expr.js'
import type { FunctionScanExec, ScanExec } from '../physical/plan.js'
import type { SetFunctionCall } from '../logical/plan.js'
import { openParquet, pruneRowGroups, readParquet, type PruneConjunct } from '../storage/parquet.js'
import { readCsv } from '../storage/csv.js'

/**
 * generate_series over integers (start, stop and step as numbers, step not 0), in batches of
 * 65536 rows; without a type, batches that carry only their row count.
 */
export function* seriesBatches(start: number, stop: number, step: number, type: SqlType | undefined): Generator<Batch> {
  const count = Math.max(0, Math.floor((stop - start) / step) + 1)
  for (let from = 0; from < count; from += 65536) {
    const n = Math.min(65536, count - from)
    if (!type) {
      yield { numRows: n, columns: [] }
      continue
    }
    const values = type.id === 'int4' ? new Int32Array(n) : new Float64Array(n)
    for (let k = 0; k < n; k++) values[k] = start + (from + k) * step
    yield { numRows: n, columns: [{ type, length: n, values, validity: null }] }
  }
}

/** Runs a set-returning function of FROM whose arguments are known only now (see FunctionScan). */
export function functionScan(p: FunctionScanExec, env: EvalEnv): Batch[] {
  const rows = functionRows(p, env)
  if (!p.ordinality) return rows
  let n = 0
  return rows.map((b) => {
    const numbers = new Float64Array(b.numRows)
    for (let k = 0; k < b.numRows; k++) numbers[k] = ++n
    return { numRows: b.numRows, columns: [...b.columns, { type: T.int8, length: b.numRows, values: numbers, validity: null }] }
  })
}

function functionRows(p: FunctionScanExec, env: EvalEnv): Batch[] {
  if (p.calls.length === 1) return callRows(p.calls[0]!, p.fields[0]!.type, env)
  // ROWS FROM: the columns side by side, the shorter ones padded with NULLs
  const columns = p.calls.map((c, i) => concatBatches([p.fields[i]!.type], callRows(c, p.fields[i]!.type, env)))
  const numRows = Math.max(0, ...columns.map((b) => b.numRows))
  if (numRows === 0) return []
  const pad = (b: Batch, type: SqlType) => {
    if (b.numRows === numRows) return b.columns[0]!
    const values: Value[] = Array.from({ length: numRows }, (_, k) => (k < b.numRows ? valueAt(b.columns[0]!, k) : null))
    return vectorFromValues(type, values)
  }
  return [{ numRows, columns: columns.map((b, i) => pad(b, p.fields[i]!.type)) }]
}

/** The rows of one set-returning function call, as batches of one column of `type`. */
function callRows(call: SetFunctionCall, type: SqlType, env: EvalEnv): Batch[] {
  const one: Batch = { numRows: 1, columns: [] }
  const args = call.args.map((e) => valueAt(evaluate(e, one, env), 0))
  switch (call.fn) {
    case 'unnest': {
      const items = args[0] as readonly Value[] | null
      return items && items.length > 0 ? [{ numRows: items.length, columns: [vectorFromValues(type, items)] }] : []
    }
    case 'generate_subscripts': {
      // args: array, dimension, reverse, lower bound (see SetFunctionCall); arrays here have one dimension
      const [items, dim, reverse, lower] = args as [readonly Value[] | null, number | null, boolean | null, number]
      if (items === null || dim === null || Number(dim) !== 1 || items.length === 0) return []
      const n = items.length
      const values = new Int32Array(n)
      for (let k = 0; k < n; k++) values[k] = lower + (reverse ? n - 1 - k : k)
      return [{ numRows: n, columns: [{ type, length: n, values, validity: null }] }]
    }
    case 'generate_series': {
      if (type.id === 'timestamp' || type.id === 'timestamptz') return timestampSeries(args, type.id === 'timestamptz' ? env.timezone : null, type)
      const step = args.length > 2 ? args[2]! : 1
      if (type.id === 'int8' && args.some((a) => a !== null && !Number.isSafeInteger(Number(a)))) {
        throw new NotImplementedError('generate_series beyond ±2^53 is not supported')
      }
      if (step !== null && Number(step) === 0) throw execError(SqlState.invalidParameterValue, 'step size cannot equal zero')
      if (args[0] === null || args[1] === null || step === null) return []
      return [...seriesBatches(Number(args[0]), Number(args[1]), Number(step), type)]
    }
  }
}

/**
 * generate_series(start, stop, step interval) over timestamps (tz: the session time zone for
 * timestamptz, whose months and days step in local time); 22023 for a zero step.
 */
function timestampSeries(args: readonly Value[], tz: string | null, type: SqlType): Batch[] {
  const [start, stop, step] = args as [number | null, number | null, IntervalValue | null]
  if (step !== null && compareIntervals([step.months, step.days, step.micros], [0, 0, 0]) === 0) {
    throw execError(SqlState.invalidParameterValue, 'step size cannot equal zero')
  }
  if (start === null || stop === null || step === null) return []
  const forward = compareIntervals([step.months, step.days, step.micros], [0, 0, 0]) > 0
  const values: number[] = []
  for (let t = start; forward ? t <= stop : t >= stop; ) {
    values.push(t)
    t = tz === null ? timestampPlusInterval(t, step.months, step.days, step.micros) : timestamptzPlusInterval(t, step.months, step.days, step.micros, tz)
  }
  return values.length > 0 ? [{ numRows: values.length, columns: [vectorFromValues(type, values)] }] : []
}

/** Runs a scan for one partition. */
export async function scan(p: ScanExec, partition: number, env: EvalEnv): Promise<Batch[]> {
  const filter = p.filters.length ? and(p.filters) : null
  const out: Batch[] = []
  let rows = 0
  const push = (b: Batch): boolean => {
    let batch = b
    if (filter) {
      const sel = trueIndices(evaluate(filter, batch, env), batch.numRows)
      if (sel.length === 0) return true
      batch = takeBatch(batch, sel)
    }
    if (p.limit !== null && rows + batch.numRows > p.limit) batch = takeBatch(batch, Int32Array.from({ length: p.limit - rows }, (_, k) => k))
    out.push(batch)
    rows += batch.numRows
    return p.limit === null || rows < p.limit
  }
  switch (p.input.kind) {
    case 'memory': {
      const chunks = p.input.chunks
      const [from, to] = share(chunks.length, partition, p.partitions)
      for (let c = from; c < to; c++) {
        const chunk = chunks[c]!
        if (!push({ numRows: chunk.numRows, columns: p.columns.map((i) => chunk.columns[i]!) })) break
      }
      return out
    }
    case 'parquet': {
      // splits = (file, row group) pairs after pruning, shared out contiguously among partitions
      const splits: { path: string; rowGroup: number }[] = []
      const prune = pruneConjuncts(p)
      for (const path of p.input.files) {
        const meta = await openParquet(path)
        for (const rg of pruneRowGroups(meta, prune)) splits.push({ path, rowGroup: rg })
      }
      const [from, to] = share(splits.length, partition, p.partitions)
      for (let s = from; s < to; s++) {
        const split = splits[s]!
        for await (const b of readParquet(split.path, { columns: p.columns, rowGroups: [split.rowGroup] })) {
          if (!push(b)) return out
        }
      }
      return out
    }
    case 'series': {
      if (partition > 0) return out
      const { start, stop, step } = p.input
      // the column may have been pruned away (count(*)): then batches carry only their row count
      for (const b of seriesBatches(start, stop, step, p.fields[0]?.type)) if (!push(b)) break
      return out
    }
    case 'csv': {
      if (partition > 0) return out
      for (const path of p.input.files) {
        const o = p.input.options
        for await (const b of readCsv(path, { header: o.header, delimiter: o.delimiter, quote: o.quote, nullString: o.nullString, ...(o.columns ? { columns: o.columns } : {}) }, { columns: p.columns })) {
          if (!push(b)) return out
        }
      }
      return out
    }
  }
}

/** The [from, to) range of n items that partition `part` of `parts` takes. */
export function share(n: number, part: number, parts: number): [number, number] {
  const size = Math.ceil(n / parts)
  return [Math.min(n, part * size), Math.min(n, (part + 1) * size)]
}

/** Filters of the form `column op constant` in source-column terms, for row-group pruning. */
function pruneConjuncts(p: ScanExec): PruneConjunct[] {
  const out: PruneConjunct[] = []
  const flip: Record<string, PruneConjunct['op']> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=' }
  for (const f of p.filters.flatMap((e) => conjuncts(e))) {
    if (f.kind === 'IsNull' && f.arg.kind === 'Column') {
      out.push({ column: p.columns[f.arg.id]!, op: f.negated ? 'is not null' : 'is null', value: null })
      continue
    }
    if (f.kind !== 'Binary' || !(f.op in flip)) continue
    const lit = (e: Expr): Value | undefined => (e.kind === 'Literal' ? e.value : undefined)
    if (f.left.kind === 'Column' && lit(f.right) !== undefined && lit(f.right) !== null) {
      out.push({ column: p.columns[f.left.id]!, op: f.op as PruneConjunct['op'], value: lit(f.right)! })
    } else if (f.right.kind === 'Column' && lit(f.left) !== undefined && lit(f.left) !== null) {
      out.push({ column: p.columns[f.right.id]!, op: flip[f.op]!, value: lit(f.left)! })
    }
  }
  return out
}
