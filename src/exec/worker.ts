/**
 * The worker-thread side of the pool: runs one plan fragment for one partition and returns its
 * batches, or its error as data (classes and SQLSTATEs do not survive structured clone).
 */
import { threadId } from 'node:worker_threads'
import { toEngineError } from '../common/errors.js'
import '../kernels/load-functions.js'
import type { Batch } from '../common/vector.js'
import type { SessionEffect } from '../kernels/registry.js'
import { runPlan } from '../operators/run.js'
import type { PhysicalPlan } from '../physical/plan.js'
import { resolveSubqueries } from './subqueries.js'
import type { TaskRequest, TaskResponse } from './task.js'

/** Runs a task (piscina's entry point). */
export default async function runTask(req: TaskRequest): Promise<TaskResponse> {
  try {
    const effects: SessionEffect[] = []
    const env = { ...req.env, effects }
    const run = (p: PhysicalPlan): Promise<Batch[]> => runPlan(p, { env, partition: req.partition, workTables: new Map(), cancelled: () => false })
    const plan = req.root ? await resolveSubqueries(req.fragment, run) : req.fragment
    const batches = await run(plan)
    return { ok: true, batches, threadId, effects }
  } catch (e) {
    if (process.env.FLINT_DEBUG) process.stderr.write(`worker error: ${e instanceof Error ? e.stack : String(e)}\n`)
    return { ok: false, error: toEngineError(e).toJSON() }
  }
}
