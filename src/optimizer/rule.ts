/** The shape of an optimizer rule: a named, pure plan → plan function. */
import type { Value } from '../common/value.js'
import type { Expr } from '../logical/expr.js'
import type { LogicalPlan } from '../logical/plan.js'

/** What rules may use besides the plan. */
export interface OptimizerContext {
  /** Allocates a fresh column id. */
  readonly newId: () => number
  /** Evaluates a constant expression (for constant folding); absent when the caller offers none. */
  readonly evaluateConstant?: (e: Expr) => Value
}

/** An optimizer rule. */
export interface OptimizerRule {
  /** snake_case name, shown by EXPLAIN VERBOSE and usable to switch the rule off. */
  readonly name: string
  readonly rewrite: (plan: LogicalPlan, ctx: OptimizerContext) => LogicalPlan
}
