/** Indented text of physical plans, for EXPLAIN. */
import { formatExpr } from '../logical/display.js'
import type { Expr } from '../logical/expr.js'
import type { PhysicalField, PhysicalPlan } from './plan.js'

/** A physical plan as indented text; `stage` numbers increase at each exchange. */
export function formatPhysical(p: PhysicalPlan, indent = 0): string {
  const pad = '  '.repeat(indent)
  const kids = (...c: PhysicalPlan[]): string => c.map((x) => formatPhysical(x, indent + 1)).join('')
  const fx = (e: Expr, fields: readonly PhysicalField[]): string => formatExpr(named(e, fields))
  const line = (s: string): string => `${pad}${s}\n`
  switch (p.kind) {
    case 'ScanExec':
      return line(
        `ScanExec: ${p.label} columns=[${p.fields.map((f) => f.name).join(', ')}]` +
          (p.filters.length ? ` filters=[${p.filters.map((e) => fx(e, p.fields)).join(', ')}]` : '') +
          (p.limit !== null ? ` limit=${p.limit}` : '') +
          (p.partitions > 1 ? ` partitions=${p.partitions}` : ''),
      )
    case 'ValuesExec':
      return line(`ValuesExec: ${p.rows.length} rows`)
    case 'EmptyExec':
      return line('EmptyExec')
    case 'FilterExec':
      return line(`FilterExec: ${fx(p.predicate, p.input.fields)}`) + kids(p.input)
    case 'ProjectExec':
      return line(`ProjectExec: ${p.exprs.map((e, i) => `${fx(e, p.input.fields)} AS ${p.fields[i]!.name}`).join(', ')}`) + kids(p.input)
    case 'HashAggregateExec':
      return line(`HashAggregateExec(${p.mode}): groupBy=[${p.groupExprs.map((e) => fx(e, p.input.fields)).join(', ')}] aggr=[${p.aggregates.map((a) => a.fn).join(', ')}]`) + kids(p.input)
    case 'HashJoinExec':
      return line(`HashJoinExec(${p.joinType}): keys=[${p.leftKeys.map((e, i) => `${fx(e, p.left.fields)} = ${fx(p.rightKeys[i]!, p.right.fields)}`).join(', ')}]${p.residual ? ` filter=${fx(p.residual, [...p.left.fields, ...p.right.fields])}` : ''}`) + kids(p.left, p.right)
    case 'NestedLoopJoinExec':
      return line(`NestedLoopJoinExec(${p.joinType})${p.on ? `: ${fx(p.on, [...p.left.fields, ...p.right.fields])}` : ''}`) + kids(p.left, p.right)
    case 'LateralJoinExec':
      return line(`LateralJoinExec(${p.joinType})${p.on ? `: ${fx(p.on, [...p.left.fields, ...p.right.fields])}` : ''}`) + kids(p.left, p.right)
    case 'FunctionScanExec':
      return line(`FunctionScanExec: ${p.calls.map((c) => `${c.fn}(${c.args.map((e) => fx(e, [])).join(', ')})`).join(', ')}`)
    case 'SortExec':
      return line(`SortExec: ${p.keys.map((k) => `${fx(k.expr, p.input.fields)}${k.desc ? ' DESC' : ''}`).join(', ')}${p.fetch !== null ? ` fetch=${p.fetch}` : ''}`) + kids(p.input)
    case 'LimitExec':
      return line(`LimitExec: limit=${p.runtime?.limit ? formatExpr(p.runtime.limit) : (p.limit ?? 'ALL')} offset=${p.runtime?.offset ? formatExpr(p.runtime.offset) : p.offset}`) + kids(p.input)
    case 'DistinctExec':
      return line('DistinctExec') + kids(p.input)
    case 'SetOpExec':
      return line(`SetOpExec: ${p.op}${p.all ? ' all' : ''}`) + kids(p.left, p.right)
    case 'WindowExec':
      return line(`WindowExec: ${p.calls.map((c) => c.fn).join(', ')}`) + kids(p.input)
    case 'ExchangeExec':
      return line(`ExchangeExec: gather from ${p.partitions} partitions (worker pool)`) + kids(p.input)
    case 'RecursiveCteExec':
      return line('RecursiveCteExec') + kids(p.anchor, p.step)
    case 'WorkTableExec':
      return line('WorkTableExec')
  }
}

/** Replaces positional columns by their field names, for display. */
function named(e: Expr, fields: readonly PhysicalField[]): Expr {
  if (e.kind === 'Column') return { ...e, name: fields[e.id]?.name ?? `#${e.id}` }
  const out = { ...e } as Record<string, unknown>
  for (const [k, v] of Object.entries(e)) {
    if (v && typeof v === 'object' && 'kind' in (v as object) && k !== 'plan' && k !== 'type') out[k] = named(v as Expr, fields)
    else if (Array.isArray(v) && k !== 'outerRefs' && k !== 'value') out[k] = v.map((x) => (x && typeof x === 'object' && 'kind' in x ? named(x as Expr, fields) : x && typeof x === 'object' && 'when' in x ? { when: named(x.when, fields), then: named(x.then, fields) } : x))
  }
  return out as unknown as Expr
}
