/**
 * The `flint` command: `flint query "SQL" [--format table|csv|json]`, `flint serve …`,
 * `flint tpch …`.
 */
import { EngineError, toEngineError } from '../common/errors.js'
import { formatValue } from '../kernels/format.js'
import type { StatementResult } from '../session/api.js'
import { Engine } from '../session/engine.js'
import { DIALECTS, dialectFromSetting } from '../sql/dialects.js'
import { serveCommand } from './serve.js'
import { tpchCommand } from './tpch.js'

const USAGE = `usage:
  flint query "SQL" [--format table|csv|json] [--dialect spark|hive|mysql|mariadb|bigquery|trino] [--workers N] [--demo]
  flint serve [--host H] [--port P] [--demo] [--tpch DIR] …   (flint serve --help)
  flint tpch generate --sf SF --out DIR [--format parquet|csv]`

/** Formats a result set as psql-style aligned text, CSV or JSON lines. */
export function formatResult(r: StatementResult, format: 'table' | 'csv' | 'json'): string {
  if (r.kind !== 'rows') return r.kind === 'command' ? r.tag : r.kind === 'copyOut' ? r.chunks.map((c) => Buffer.from(c).toString()).join('') : ''
  const names = r.columns.map((c) => c.name)
  const rows: (string | null)[][] = []
  for (const b of r.batches) for (let i = 0; i < b.numRows; i++) rows.push(b.columns.map((c) => formatValue(c, i)))
  if (format === 'json') {
    return rows.map((row) => JSON.stringify(Object.fromEntries(names.map((n, k) => [n, row[k]])))).join('\n')
  }
  if (format === 'csv') {
    const q = (v: string | null): string => (v === null ? '' : /[",\n\r]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v)
    return [names.map(q).join(','), ...rows.map((row) => row.map(q).join(','))].join('\n')
  }
  const numeric = r.columns.map((c) => ['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'oid'].includes(c.type.id))
  const widths = names.map((n, k) => rows.reduce((w, row) => Math.max(w, (row[k] ?? '').length), n.length))
  const center = (s: string, w: number): string => {
    const left = Math.floor((w - s.length) / 2)
    return ' '.repeat(left) + s + ' '.repeat(w - s.length - left)
  }
  const lines = [
    ' ' + names.map((n, k) => center(n, widths[k]!)).join(' | ') + ' ',
    names.map((_, k) => '-'.repeat(widths[k]! + 2)).join('+'),
    ...rows.map((row) => ' ' + row.map((v, k) => (numeric[k] ? (v ?? '').padStart(widths[k]!) : (v ?? '').padEnd(widths[k]!))).join(' | ') + ' '),
    `(${rows.length} row${rows.length === 1 ? '' : 's'})`,
  ]
  return lines.map((l) => l.replace(/\s+$/, '')).join('\n')
}

async function queryCommand(args: string[]): Promise<number> {
  let sql: string | undefined
  let format: 'table' | 'csv' | 'json' = 'table'
  let workers: number | undefined
  let demo = false
  let dialect: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--format') {
      const f = args[++i]
      if (f !== 'table' && f !== 'csv' && f !== 'json') {
        process.stderr.write(`flint: --format must be table, csv or json\n`)
        return 2
      }
      format = f
    } else if (a === '--dialect') {
      dialect = args[++i] ?? ''
      try {
        dialectFromSetting(dialect)
      } catch (e) {
        process.stderr.write(`flint: --dialect must be postgresql, ${DIALECTS.join(', ')} (${toEngineError(e).message})\n`)
        return 2
      }
    } else if (a === '--workers') workers = Number(args[++i])
    else if (a === '--demo') demo = true
    else if (a.startsWith('--')) {
      process.stderr.write(`flint: unknown option ${a}\n${USAGE}\n`)
      return 2
    } else sql = a
  }
  if (sql === undefined) {
    process.stderr.write(`${USAGE}\n`)
    return 2
  }
  const engine = await Engine.create({ ...(workers ? { workers } : {}), demo })
  const session = engine.createSession({ user: process.env.USER ?? 'flint', database: 'flint' })
  try {
    if (dialect !== undefined) for await (const _ of session.executeSimple(`SET flint.dialect = '${dialect.replace(/'/g, "''")}'`)) void _
    for await (const r of session.executeSimple(sql)) {
      const text = formatResult(r, format)
      if (text) process.stdout.write(text + '\n')
    }
    return 0
  } catch (e) {
    const err: EngineError = toEngineError(e)
    process.stderr.write(`ERROR:  ${err.message}\n${err.code ? `SQLSTATE: ${err.code}\n` : ''}`)
    return 1
  } finally {
    session.close()
    await engine.close()
  }
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv
  switch (cmd) {
    case 'query':
      return queryCommand(rest)
    case 'serve':
      return serveCommand(rest)
    case 'tpch':
      return tpchCommand(rest)
    default:
      process.stderr.write(`${USAGE}\n`)
      return cmd === undefined || cmd === '--help' || cmd === 'help' ? 0 : 2
  }
}
