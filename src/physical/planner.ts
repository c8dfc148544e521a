/**
 * Logical → physical planning: resolves column ids to positions, picks join algorithms (hash join on
 * equality conjuncts, nested loops otherwise), splits large scans into partitions and puts an
 * ExchangeExec above each partitioned pipeline (scan → filter → project → partial aggregate), which
 * is where the plan is cut into stages.
 */
import { InternalError } from '../common/errors.js'
import type { CatalogState } from '../catalog/catalog.js'
import { conjuncts, mapChildren, type Expr } from '../logical/expr.js'
import type { Field, LogicalPlan } from '../logical/plan.js'
import { collectOuterRefs } from '../logical/tree.js'
import type { Batch } from '../common/vector.js'
import type { PhysicalField, PhysicalPlan, ScanInput } from './plan.js'

/** Planner settings. */
export interface PlannerOptions {
  /** Worker threads available (upper bound on partitions). */
  readonly workers: number
  /** Scans with fewer rows than this run in one partition on the calling thread. */
  readonly parallelThreshold: number
  /** The rows of a virtual system table (pg_catalog, information_schema), by its key. */
  readonly systemData?: (name: string) => Batch
  /** Chunks of the statement's transient relations (see binder's TransientRelation), by OID. */
  readonly transientData?: ReadonlyMap<number, readonly Batch[]>
}

/** Turns an optimised logical plan into a physical plan. */
export function createPhysicalPlan(plan: LogicalPlan, catalog: CatalogState, opts: PlannerOptions): PhysicalPlan {
  return new Planner(catalog, opts).plan(plan)
}

const pfields = (fs: readonly Field[]): PhysicalField[] => fs.map((f) => ({ name: f.name, type: f.type }))

class Planner {
  constructor(
    private readonly catalog: CatalogState,
    private readonly opts: PlannerOptions,
  ) {}

  /** Resolves column ids to positions in `fields` (outer references are left as they are). */
  resolve(e: Expr, fields: readonly Field[]): Expr {
    const pos = new Map<number, number>()
    fields.forEach((f, i) => pos.set(f.id, i))
    const walk = (x: Expr): Expr => {
      if (x.kind === 'Column') {
        const i = pos.get(x.id)
        if (i === undefined) throw new InternalError(`column ${x.name}#${x.id} not found in its input`)
        return { ...x, id: i }
      }
      if (x.kind === 'Subquery') {
        // a correlated subquery runs per outer row inside whatever task evaluates it: no exchanges
        const sub = x.outerRefs.length > 0 ? new Planner(this.catalog, { ...this.opts, parallelThreshold: Infinity }).plan(x.plan) : this.plan(x.plan)
        const outerIndex = x.outerRefs.map((id) => pos.get(id) ?? -1)
        return { ...x, ...(x.testExpr ? { testExpr: walk(x.testExpr) } : {}), plan: sub as unknown as LogicalPlan, outerIndex } as Expr
      }
      return mapChildren(x, walk)
    }
    return walk(e)
  }

  plan(p: LogicalPlan): PhysicalPlan {
    const out = this.planNode(p)
    return out
  }

  private planNode(p: LogicalPlan): PhysicalPlan {
    switch (p.kind) {
      case 'Scan':
        return this.scan(p)
      case 'Values':
        return { kind: 'ValuesExec', rows: p.rows.map((r) => r.map((e) => this.resolve(e, []))), fields: pfields(p.fields) }
      case 'Empty':
        return { kind: 'EmptyExec', oneRow: p.oneRow, fields: pfields(p.fields) }
      case 'Filter': {
        const input = this.planNode(p.input)
        return this.pushIntoStage(input, (inp) => ({ kind: 'FilterExec', input: inp, predicate: this.resolve(p.predicate, p.input.fields), fields: pfields(p.fields) }))
      }
      case 'Projection': {
        const input = this.planNode(p.input)
        return this.pushIntoStage(input, (inp) => ({ kind: 'ProjectExec', input: inp, exprs: p.exprs.map((e) => this.resolve(e, p.input.fields)), fields: pfields(p.fields) }))
      }
      case 'Aggregate': {
        const input = this.planNode(p.input)
        const groupExprs = p.groupExprs.map((e) => this.resolve(e, p.input.fields))
        const aggregates = p.aggregates.map((a) => ({
          ...a,
          args: a.args.map((e) => this.resolve(e, p.input.fields)),
          filter: a.filter ? this.resolve(a.filter, p.input.fields) : null,
          orderBy: a.orderBy.map((k) => ({ ...k, expr: this.resolve(k.expr, p.input.fields) })),
        }))
        const splittable = p.groupingSets === null && aggregates.every((a) => !a.distinct && a.orderBy.length === 0 && PARTIAL_AGGS.has(a.fn))
        if (input.kind === 'ExchangeExec' && splittable) {
          // two-phase aggregation: partial per partition inside the stage, final after the gather
          const partial: PhysicalPlan = { kind: 'HashAggregateExec', mode: 'partial', input: input.input, groupExprs, aggregates, groupingSets: null, fields: pfields(p.fields) }
          const ex: PhysicalPlan = { ...input, input: partial, fields: partial.fields }
          return { kind: 'HashAggregateExec', mode: 'final', input: ex, groupExprs, aggregates, groupingSets: null, fields: pfields(p.fields) }
        }
        return { kind: 'HashAggregateExec', mode: 'single', input, groupExprs, aggregates, groupingSets: p.groupingSets, fields: pfields(p.fields) }
      }
      case 'Join':
        return p.lateral ? this.lateralJoin(p) : this.join(p)
      case 'FunctionScan':
        return { kind: 'FunctionScanExec', calls: p.calls.map((c) => ({ fn: c.fn, args: c.args.map((e) => this.resolve(e, [])) })), ordinality: !!p.ordinality, fields: pfields(p.fields) }
      case 'Sort': {
        const input = this.planNode(p.input)
        return { kind: 'SortExec', input, keys: p.keys.map((k) => ({ ...k, expr: this.resolve(k.expr, p.input.fields) })), fetch: null, fields: pfields(p.fields) }
      }
      case 'Limit': {
        const input = this.planNode(p.input)
        if (input.kind === 'SortExec' && p.limit !== null) {
          return { kind: 'LimitExec', input: { ...input, fetch: p.limit + p.offset }, limit: p.limit, offset: p.offset, fields: pfields(p.fields) }
        }
        return { kind: 'LimitExec', input, limit: p.limit, offset: p.offset, ...(p.runtime ? { runtime: p.runtime } : {}), fields: pfields(p.fields) }
      }
      case 'Distinct':
        return { kind: 'DistinctExec', input: this.planNode(p.input), on: p.on ? p.on.map((e) => this.resolve(e, p.input.fields)) : null, fields: pfields(p.fields) }
      case 'SetOp':
        return { kind: 'SetOpExec', op: p.op, all: p.all, left: this.planNode(p.left), right: this.planNode(p.right), fields: pfields(p.fields) }
      case 'Window': {
        const input = this.planNode(p.input)
        const r = (e: Expr): Expr => this.resolve(e, p.input.fields)
        const calls = p.calls.map((c) => ({
          ...c,
          args: c.args.map(r),
          partitionBy: c.partitionBy.map(r),
          orderBy: c.orderBy.map((k) => ({ ...k, expr: r(k.expr) })),
          filter: c.filter ? r(c.filter) : null,
          frame: {
            ...c.frame,
            start: c.frame.start.offset ? { ...c.frame.start, offset: r(c.frame.start.offset) } : c.frame.start,
            end: c.frame.end.offset ? { ...c.frame.end, offset: r(c.frame.end.offset) } : c.frame.end,
          },
        }))
        return { kind: 'WindowExec', input, calls, fields: pfields(p.fields) }
      }
      case 'CteRef':
        if (p.plan) return this.planNode(p.plan)
        return { kind: 'WorkTableExec', cteId: p.cteId, fields: pfields(p.fields) }
      case 'RecursiveCte':
        return { kind: 'RecursiveCteExec', cteId: p.cteId, anchor: this.planNode(p.anchor), step: this.planNode(p.step), all: p.all, fields: pfields(p.fields) }
    }
  }

  /** Places a streaming operator inside the stage below an exchange (so it runs per partition). */
  private pushIntoStage(input: PhysicalPlan, make: (inp: PhysicalPlan) => PhysicalPlan): PhysicalPlan {
    if (input.kind === 'ExchangeExec') {
      const inner = make(input.input)
      return { ...input, input: inner, fields: inner.fields }
    }
    return make(input)
  }

  private scan(p: Extract<LogicalPlan, { kind: 'Scan' }>): PhysicalPlan {
    let input: ScanInput
    let rows = 0
    let label: string
    switch (p.source.kind) {
      case 'memory': {
        const transient = this.opts.transientData?.get(p.source.tableOid)
        if (transient) {
          input = { kind: 'memory', chunks: transient }
          rows = transient.reduce((n, b) => n + b.numRows, 0)
          label = p.source.name
          break
        }
        const rel = [...this.catalog.relations.values()].find((r) => r.kind === 'table' && r.def.oid === (p.source as { tableOid: number }).tableOid)
        if (!rel || rel.kind !== 'table') throw new InternalError(`table ${p.source.name} vanished`)
        input = { kind: 'memory', chunks: rel.data.chunks }
        rows = rel.data.rowCount
        label = p.source.name
        break
      }
      case 'parquet':
        input = { kind: 'parquet', files: p.source.files }
        rows = Number.MAX_SAFE_INTEGER
        label = `read_parquet(${p.source.files.length === 1 ? p.source.files[0] : `${p.source.files.length} files`})`
        break
      case 'csv':
        input = { kind: 'csv', files: p.source.files, options: p.source.options }
        rows = 0
        label = `read_csv(${p.source.files[0]})`
        break
      case 'series':
        input = { kind: 'series', start: p.source.start, stop: p.source.stop, step: p.source.step }
        rows = 0
        label = `generate_series(${p.source.start}, ${p.source.stop}, ${p.source.step})`
        break
      case 'system': {
        if (!this.opts.systemData) throw new InternalError('system tables need the session')
        const data = this.opts.systemData(p.source.name)
        input = { kind: 'memory', chunks: [data] }
        rows = data.numRows
        label = p.source.name
        break
      }
    }
    const filters = p.filters.map((f) => this.resolveScanFilter(f, p))
    const partitions =
      rows >= this.opts.parallelThreshold && this.opts.workers > 1 && input.kind !== 'csv'
        ? input.kind === 'memory'
          ? Math.min(this.opts.workers, input.chunks.length)
          : this.opts.workers
        : 1
    const scan: PhysicalPlan = {
      kind: 'ScanExec',
      input,
      columns: p.columns,
      filters,
      limit: p.limit ?? null,
      fields: pfields(p.fields),
      partitions,
      label,
    }
    if (partitions > 1) return { kind: 'ExchangeExec', input: scan, partitions, fields: scan.fields }
    return scan
  }

  private resolveScanFilter(f: Expr, p: Extract<LogicalPlan, { kind: 'Scan' }>): Expr {
    return this.resolve(f, p.fields)
  }

  /** A lateral join: its right side runs per left row inside whatever task runs the join, so without exchanges. */
  private lateralJoin(p: Extract<LogicalPlan, { kind: 'Join' }>): PhysicalPlan {
    const left = this.planNode(p.left)
    const right = new Planner(this.catalog, { ...this.opts, parallelThreshold: Infinity }).plan(p.right)
    const pos = new Map(p.left.fields.map((f, i) => [f.id, i]))
    const outerRefs = [...collectOuterRefs(p.right)].filter((id) => pos.has(id))
    const on = p.on ? this.resolve(p.on, [...p.left.fields, ...p.right.fields]) : null
    return { kind: 'LateralJoinExec', joinType: p.joinType, left, right, on, outerRefs, outerIndex: outerRefs.map((id) => pos.get(id)!), fields: pfields(p.fields) }
  }

  private join(p: Extract<LogicalPlan, { kind: 'Join' }>): PhysicalPlan {
    let left = this.planNode(p.left)
    let right = this.planNode(p.right)
    // joins run after the gather: partitioned inputs are collected first
    const fields = pfields(p.fields)
    const leftIds = new Set(p.left.fields.map((f) => f.id))
    const rightIds = new Set(p.right.fields.map((f) => f.id))
    const leftKeys: Expr[] = []
    const rightKeys: Expr[] = []
    const rest: Expr[] = []
    for (const c of p.on ? conjuncts(p.on) : []) {
      if (c.kind === 'Binary' && c.op === '=') {
        const l = sideOf(c.left, leftIds, rightIds)
        const r = sideOf(c.right, leftIds, rightIds)
        if (l === 'left' && r === 'right') {
          leftKeys.push(c.left)
          rightKeys.push(c.right)
          continue
        }
        if (l === 'right' && r === 'left') {
          leftKeys.push(c.right)
          rightKeys.push(c.left)
          continue
        }
      }
      rest.push(c)
    }
    const both = [...p.left.fields, ...p.right.fields]
    const markTest = p.markTest ? this.resolve(p.markTest, both) : null
    const residual = rest.length === 0 ? null : this.resolve(rest.length === 1 ? rest[0]! : { kind: 'And', args: rest, type: { id: 'bool' } }, both)
    if (leftKeys.length > 0 && p.joinType !== 'cross') {
      return {
        kind: 'HashJoinExec',
        joinType: p.joinType,
        left,
        right,
        leftKeys: leftKeys.map((e) => this.resolve(e, p.left.fields)),
        rightKeys: rightKeys.map((e) => this.resolve(e, p.right.fields)),
        residual,
        nullAware: !!p.nullAware,
        markTest,
        fields,
      }
    }
    void left
    void right
    return { kind: 'NestedLoopJoinExec', joinType: p.joinType, left, right, on: p.on ? this.resolve(p.on, both) : null, nullAware: !!p.nullAware, markTest, fields }
  }
}

/** Aggregates that split into partial and final phases. */
const PARTIAL_AGGS = new Set(['count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'bit_and', 'bit_or', 'any_value'])

function sideOf(e: Expr, left: Set<number>, right: Set<number>): 'left' | 'right' | 'both' | 'none' {
  let l = false
  let r = false
  let other = false
  const walk = (x: Expr): Expr => {
    if (x.kind === 'Column') {
      if (left.has(x.id)) l = true
      else if (right.has(x.id)) r = true
      else other = true
    }
    if (x.kind === 'Subquery' || x.kind === 'OuterRef') other = true
    if (x.kind === 'Call' && x.volatility === 'volatile') other = true
    return mapChildren(x, walk)
  }
  walk(e)
  if (other) return 'both'
  return l && r ? 'both' : l ? 'left' : r ? 'right' : 'none'
}
