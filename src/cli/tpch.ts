/**
 * `flint tpch …`: generate TPC-H data sets and check them against DuckDB.
 *
 *   flint tpch generate --sf 0.01 --out DIR [--format parquet|csv|parquet,csv] [--seed N] [--row-group-rows N]
 *   flint tpch duckdb --data DIR [--query N]      run the 22 queries on a Parquet data set in DuckDB
 */
import { existsSync } from 'node:fs'
import { DEFAULT_SEED } from '../tpch/generate.js'
import { TABLE_NAMES } from '../tpch/schema.js'
import { writeDataset, type DataFormat } from '../tpch/write.js'

const USAGE = `usage:
  flint tpch generate --sf SF --out DIR [--format parquet|csv|parquet,csv] [--seed N] [--row-group-rows N]
  flint tpch duckdb --data DIR [--query N]
`

class UsageError extends Error {}

/** Parses `--name value` pairs; every option must be known and have a value. */
function parseOptions(args: readonly string[], known: readonly string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    const eq = a.indexOf('=')
    const name = a.startsWith('--') ? (eq > 0 ? a.slice(2, eq) : a.slice(2)) : undefined
    if (name === undefined) throw new UsageError(`unexpected argument "${a}"`)
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`)
    const value = eq > 0 ? a.slice(eq + 1) : args[++i]
    if (value === undefined || value === '') throw new UsageError(`option --${name} needs a value`)
    out.set(name, value)
  }
  return out
}

function numberOption(opts: Map<string, string>, name: string, check: (n: number) => boolean, what: string): number | undefined {
  const raw = opts.get(name)
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${what}, got "${raw}"`)
  return n
}

async function generate(args: readonly string[]): Promise<number> {
  const opts = parseOptions(args, ['sf', 'out', 'format', 'seed', 'row-group-rows'])
  const sf = numberOption(opts, 'sf', (n) => n > 0 && n <= 100, 'a scale factor in (0, 100]')
  if (sf === undefined) throw new UsageError('--sf is required')
  const out = opts.get('out')
  if (out === undefined) throw new UsageError('--out is required')
  const formats = (opts.get('format') ?? 'parquet').split(',').map((f) => f.trim())
  for (const f of formats) if (f !== 'parquet' && f !== 'csv') throw new UsageError(`--format must be parquet, csv or parquet,csv, got "${f}"`)
  const seed = numberOption(opts, 'seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer') ?? DEFAULT_SEED
  const rowGroupRows = numberOption(opts, 'row-group-rows', (n) => Number.isInteger(n) && n > 0, 'a positive integer')
  process.stderr.write(`generating TPC-H SF ${sf} (seed ${seed}) into ${out} as ${formats.join(', ')}\n`)
  const manifest = await writeDataset({
    sf,
    out,
    formats: formats as DataFormat[],
    seed,
    ...(rowGroupRows !== undefined ? { rowGroupRows } : {}),
    onProgress: (line) => process.stderr.write(`  ${line}\n`),
  })
  process.stderr.write(`done in ${manifest.seconds.toFixed(1)} s\n`)
  return 0
}

async function duckdb(args: readonly string[]): Promise<number> {
  const opts = parseOptions(args, ['data', 'query'])
  const dir = opts.get('data')
  if (dir === undefined) throw new UsageError('--data is required')
  for (const t of TABLE_NAMES) if (!existsSync(`${dir}/${t}.parquet`)) throw new UsageError(`${dir}/${t}.parquet does not exist`)
  const only = numberOption(opts, 'query', (n) => Number.isInteger(n) && n >= 1 && n <= 22, 'a query number 1..22')
  // Loaded on demand: DuckDB is a development dependency.
  const { DuckDbOracle } = await import('../tpch/duckdb-oracle.js')
  const { loadTpchQueries } = await import('../tpch/queries.js')
  const db = await DuckDbOracle.open()
  try {
    let t0 = performance.now()
    await db.loadParquet(dir)
    process.stdout.write(`loaded in ${(performance.now() - t0).toFixed(0)} ms\n`)
    for (const q of loadTpchQueries()) {
      if (only !== undefined && q.number !== only) continue
      t0 = performance.now()
      const r = await db.query(q.sql)
      process.stdout.write(`${q.name}: ${r.rows.length} rows, ${(performance.now() - t0).toFixed(1)} ms\n`)
    }
  } finally {
    db.close()
  }
  return 0
}

/** Runs `flint tpch <subcommand> …`; returns the process exit code (2 for bad arguments). */
export async function tpchCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  try {
    switch (sub) {
      case 'generate':
        return await generate(rest)
      case 'duckdb':
        return await duckdb(rest)
      case undefined:
      case 'help':
      case '--help':
        process.stderr.write(USAGE)
        return sub === undefined ? 2 : 0
      default:
        throw new UsageError(`unknown tpch command "${sub}"`)
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`flint tpch: ${e.message}\n${USAGE}`)
      return 2
    }
    process.stderr.write(`flint tpch: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
}
