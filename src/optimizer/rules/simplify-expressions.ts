/**
 * Expression simplification. Factors the conjuncts common to every branch of an OR out of it, so
 * that join keys hidden in disjunctions become visible to the join planner (TPC-H Q19):
 *
 *   (a = b AND x) OR (a = b AND y)    =>    a = b AND (x OR y)
 *
 * Also flattens nested AND/OR and drops TRUE conjuncts.
 */
import { jsonKey } from '../../common/value.js'
import { and, conjuncts, mapExpr, type Expr } from '../../logical/expr.js'
import { mapPlanExprs } from '../../logical/tree.js'
import type { OptimizerRule } from '../rule.js'

const key = (e: Expr): string => jsonKey(e)

function factorOr(e: Expr): Expr {
  if (e.kind !== 'Or') return e
  const branches = e.args.map((b) => conjuncts(b))
  const first = branches[0]!
  const common = first.filter((c) => branches.every((b) => b.some((x) => key(x) === key(c))))
  if (common.length === 0) return e
  const commonKeys = new Set(common.map(key))
  const rest = branches.map((b) => b.filter((c) => !commonKeys.has(key(c))))
  // a branch reduced to nothing makes the whole OR true
  if (rest.some((r) => r.length === 0)) return and(common)
  return and([...common, { kind: 'Or', args: rest.map((r) => and(r)), type: e.type }])
}

/** The simplify_expressions rule. */
export const simplifyExpressions: OptimizerRule = {
  name: 'simplify_expressions',
  rewrite: (plan) => mapPlanExprs(plan, (e) => mapExpr(e, factorOr)),
}
