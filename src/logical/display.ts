/**
 * Indented text of plans and expressions: the canonical debug form, shown by EXPLAIN and compared
 * by tests.
 */
import { typeName } from '../common/types.js'
import type { Expr } from './expr.js'
import type { LogicalPlan } from './plan.js'

/** An expression as SQL-like text (columns by name). */
export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case 'Column':
      return e.name
    case 'OuterRef':
      return `outer.${e.name}`
    case 'Literal':
      return e.value === null ? 'NULL' : typeof e.value === 'string' ? `'${e.value}'` : Array.isArray(e.value) ? `{${e.value.join(',')}}` : typeof e.value === 'object' ? JSON.stringify(e.value) : String(e.value)
    case 'Param':
      return `$${e.index}`
    case 'Binary':
      return `(${formatExpr(e.left)} ${e.op.toUpperCase() === e.op ? e.op : e.op.toUpperCase()} ${formatExpr(e.right)})`
    case 'And':
    case 'Or':
      return `(${e.args.map(formatExpr).join(` ${e.kind.toUpperCase()} `)})`
    case 'Not':
      return `NOT ${formatExpr(e.arg)}`
    case 'IsNull':
      return `${formatExpr(e.arg)} IS ${e.negated ? 'NOT ' : ''}NULL`
    case 'IsBool':
      return `${formatExpr(e.arg)} IS ${e.negated ? 'NOT ' : ''}${e.test.toUpperCase()}`
    case 'Cast':
      return `CAST(${formatExpr(e.arg)} AS ${typeName(e.type)})`
    case 'Case':
      return `CASE ${e.whens.map((w) => `WHEN ${formatExpr(w.when)} THEN ${formatExpr(w.then)}`).join(' ')} ELSE ${formatExpr(e.otherwise)} END`
    case 'Call':
      return `${e.fn}(${e.args.map(formatExpr).join(', ')})`
    case 'InList':
      return `${formatExpr(e.arg)} ${e.negated ? 'NOT ' : ''}IN (${e.list.length > 8 ? `${e.list.slice(0, 8).map(formatExpr).join(', ')}, …` : e.list.map(formatExpr).join(', ')})`
    case 'Array':
      return `ARRAY[${e.elements.map(formatExpr).join(', ')}]`
    case 'Subquery':
      return `${e.subKind === 'scalar' ? '' : e.subKind.toUpperCase()}${e.testExpr ? ` ${formatExpr(e.testExpr)} ${e.op}` : ''}(<subquery>)`
  }
}

/** A logical plan as indented text. */
export function formatPlan(p: LogicalPlan, indent = 0): string {
  const pad = '  '.repeat(indent)
  const line = (s: string): string => `${pad}${s}\n`
  const kids = (...c: LogicalPlan[]): string => c.map((x) => formatPlan(x, indent + 1)).join('')
  switch (p.kind) {
    case 'Scan': {
      const s = p.source
      const src =
        s.kind === 'memory' || s.kind === 'system' ? s.name : s.kind === 'series' ? `generate_series(${s.start}, ${s.stop}, ${s.step})` : `read_${s.kind}(${s.files.join(', ')})`
      const cols = p.fields.map((f) => f.name).join(', ')
      const filters = p.filters.length ? ` filters=[${p.filters.map(formatExpr).join(', ')}]` : ''
      const limit = p.limit !== undefined ? ` limit=${p.limit}` : ''
      return line(`Scan: ${src} columns=[${cols}]${filters}${limit}`)
    }
    case 'Values':
      return line(`Values: ${p.rows.length} rows`)
    case 'Empty':
      return line(`Empty${p.oneRow ? ' (one row)' : ''}`)
    case 'Filter':
      return line(`Filter: ${formatExpr(p.predicate)}`) + kids(p.input)
    case 'Projection':
      return line(`Projection: ${p.exprs.map((e, i) => (e.kind === 'Column' && e.name === p.fields[i]!.name ? e.name : `${formatExpr(e)} AS ${p.fields[i]!.name}`)).join(', ')}`) + kids(p.input)
    case 'Aggregate':
      return (
        line(`Aggregate: groupBy=[${p.groupExprs.map(formatExpr).join(', ')}] aggr=[${p.aggregates.map((a) => `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${a.args.map(formatExpr).join(', ') || '*'})`).join(', ')}]${p.groupingSets ? ` sets=${JSON.stringify(p.groupingSets)}` : ''}`) +
        kids(p.input)
      )
    case 'FunctionScan':
      return line(`FunctionScan: ${p.calls.map((c) => `${c.fn}(${c.args.map(formatExpr).join(', ')})`).join(', ')}${p.ordinality ? ' WITH ORDINALITY' : ''}`)
    case 'Join':
      return line(`Join: ${p.joinType}${p.lateral ? ' lateral' : ''}${p.markTest ? ` mark=${formatExpr(p.markTest)}` : ''}${p.on ? ` on ${formatExpr(p.on)}` : ''}`) + kids(p.left, p.right)
    case 'Sort':
      return line(`Sort: ${p.keys.map((k) => `${formatExpr(k.expr)} ${k.desc ? 'DESC' : 'ASC'}${k.nullsFirst !== k.desc ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`).join(', ')}`) + kids(p.input)
    case 'Limit':
      return line(`Limit: ${p.runtime?.limit ? formatExpr(p.runtime.limit) : (p.limit ?? 'ALL')}${p.runtime?.offset ? ` offset ${formatExpr(p.runtime.offset)}` : p.offset ? ` offset ${p.offset}` : ''}`) + kids(p.input)
    case 'Distinct':
      return line(`Distinct${p.on ? ` on [${p.on.map(formatExpr).join(', ')}]` : ''}`) + kids(p.input)
    case 'SetOp':
      return line(`${p.op.toUpperCase()}${p.all ? ' ALL' : ''}`) + kids(p.left, p.right)
    case 'Window':
      return line(`Window: ${p.calls.map((c) => `${c.fn}(${c.args.map(formatExpr).join(', ')})`).join(', ')}`) + kids(p.input)
    case 'CteRef':
      return line(`CteRef: ${p.name}`) + (p.plan ? kids(p.plan) : '')
    case 'RecursiveCte':
      return line(`RecursiveCte${p.all ? ' ALL' : ''}`) + kids(p.anchor, p.step)
  }
}
