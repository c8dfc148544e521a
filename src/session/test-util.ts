/** Helpers for tests that run SQL through a session directly (no wire protocol). */
import assert from 'node:assert/strict'
import { batchRows } from '../common/value.js'
import type { StatementResult } from './api.js'
import type { FlintSession } from './session.js'

/** Runs a (multi-statement) SQL string and returns every statement's result. */
export async function run(s: FlintSession, sql: string): Promise<StatementResult[]> {
  const out: StatementResult[] = []
  for await (const r of s.executeSimple(sql)) out.push(r)
  return out
}

/** Runs SQL whose last statement returns rows, and returns those rows as JS values. */
export async function rows(s: FlintSession, sql: string): Promise<unknown[][]> {
  const rs = await run(s, sql)
  const last = rs[rs.length - 1]!
  assert.equal(last.kind, 'rows')
  return last.kind === 'rows' ? last.batches.flatMap((b) => batchRows(b)) : []
}
