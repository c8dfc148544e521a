/**
 * Messages between the scheduler and the worker threads: a task is a plan fragment and the
 * partition to run; the answer is the partition's batches or the error, as plain data.
 */
import type { ErrorData } from '../common/errors.js'
import type { Value } from '../common/value.js'
import type { Batch } from '../common/vector.js'
import type { SessionEffect, SessionInfo } from '../kernels/registry.js'
import type { PhysicalPlan } from '../physical/plan.js'
import type { SequenceEnv } from '../common/sequence.js'

/** A task sent to a worker. */
export interface TaskRequest {
  readonly fragment: PhysicalPlan
  readonly partition: number
  /** A whole plan (no exchanges): the worker also runs its uncorrelated subqueries first. */
  readonly root: boolean
  readonly env: {
    readonly now: number
    readonly timezone: string
    readonly params: readonly Value[]
    readonly settings?: ReadonlyMap<string, string>
    readonly session?: SessionInfo
    readonly sequences?: SequenceEnv
    /** A plain-data digest of the catalog, for the catalog functions (format_type, pg_get_expr, …). */
    readonly catalog?: unknown
  }
}

/** A worker's answer. */
export type TaskResponse =
  | { readonly ok: true; readonly batches: Batch[]; readonly threadId: number; readonly effects: SessionEffect[] }
  | { readonly ok: false; readonly error: ErrorData }
