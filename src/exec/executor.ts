/**
 * The scheduler on the main thread: uncorrelated subqueries first (their results become constants),
 * then the plan, with every ExchangeExec's input sent to the piscina worker pool as one task per
 * partition. Errors from workers come back as data and are revived with their class and SQLSTATE.
 */
import { cpus } from 'node:os'
import { Piscina } from 'piscina'
import { execError, QueryCanceledError, ResourcesExhaustedError, reviveError } from '../common/errors.js'
import type { Batch } from '../common/vector.js'
import type { EvalEnv } from '../kernels/eval.js'
import type { PhysicalPlan } from '../physical/plan.js'
import { runPlan } from '../operators/run.js'
import { hasExchange, resolveSubqueries } from './subqueries.js'
import type { TaskRequest, TaskResponse } from './task.js'

/** Statistics of one execution (for EXPLAIN ANALYZE and tests). */
export interface ExecStats {
  /** Tasks sent to the pool, and the distinct worker threads that ran them. */
  tasks: number
  readonly workerThreads: Set<number>
}

/** The plain-data part of an EvalEnv that travels with a task. */
function taskEnv(env: EvalEnv): TaskRequest['env'] {
  const extra = env as EvalEnv & { catalog?: unknown }
  return {
    now: env.now,
    timezone: env.timezone,
    params: env.params,
    ...(env.settings ? { settings: env.settings } : {}),
    ...(env.session ? { session: env.session } : {}),
    ...(env.sequences ? { sequences: env.sequences } : {}),
    ...(extra.catalog !== undefined ? { catalog: extra.catalog } : {}),
  }
}

/** Per-worker heap limit: a statement that exhausts it fails with 53200; the server lives on. */
const WORKER_HEAP_MB = 4096

/**
 * Executes physical plans on the worker pool. A plan without exchanges runs whole as one task; a
 * plan with exchanges is driven from here, each exchange's input running as one task per partition.
 * The main thread thus stays free to serve other sessions, and a cancelled statement's tasks are
 * aborted (their worker is replaced).
 */
export class Executor {
  private pool: Piscina | null = null
  readonly workers: number

  constructor(workers?: number) {
    this.workers = Math.max(1, workers ?? cpus().length)
  }

  private getPool(): Piscina {
    this.pool ??= new Piscina({
      filename: new URL('./worker.ts', import.meta.url).href,
      minThreads: this.workers,
      maxThreads: this.workers,
      idleTimeout: 60_000,
      execArgv: process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : ['--import', 'tsx'],
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    })
    return this.pool
  }

  /** Runs a plan to completion and returns its batches. `signal` aborts it (57014). */
  async run(plan: PhysicalPlan, env: EvalEnv, signal: AbortSignal, stats?: ExecStats): Promise<Batch[]> {
    if (!hasExchange(plan)) return this.task(plan, 0, env, signal, stats, true)
    const resolved = await resolveSubqueries(plan, (p) => this.run(p, env, signal, stats))
    return runPlan(resolved, {
      env,
      partition: 0,
      workTables: new Map(),
      cancelled: () => signal.aborted,
      exchange: async (node) => {
        const parts = await Promise.all(Array.from({ length: node.partitions }, (_, p) => this.task(node.input, p, env, signal, stats, false)))
        return parts.flat()
      },
    })
  }

  private async task(fragment: PhysicalPlan, partition: number, env: EvalEnv, signal: AbortSignal, stats: ExecStats | undefined, root: boolean): Promise<Batch[]> {
    const req: TaskRequest = { fragment, partition, root, env: taskEnv(env) }
    let r: TaskResponse
    try {
      r = (await this.getPool().run(req, { signal })) as TaskResponse
    } catch (e) {
      if (signal.aborted) throw signal.reason instanceof Error && 'code' in signal.reason ? signal.reason : new QueryCanceledError()
      const msg = e instanceof Error ? e.message : String(e)
      if (/out of memory|ERR_WORKER_OUT_OF_MEMORY/i.test(msg) || (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new ResourcesExhaustedError('out of memory: the statement needed more than the worker memory limit')
      }
      throw execError('XX000', `worker failed: ${msg}`)
    }
    if (!r.ok) throw reviveError(r.error)
    if (env.effects) for (const effect of r.effects) env.effects.push(effect)
    if (stats) {
      stats.tasks++
      stats.workerThreads.add(r.threadId)
    }
    return r.batches
  }

  /** Stops the worker pool. */
  async close(): Promise<void> {
    await this.pool?.destroy()
    this.pool = null
  }
}
