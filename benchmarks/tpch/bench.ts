/**
 * TPC-H benchmark: Flint against DuckDB and (optionally) PostgreSQL.
 *
 *   npm run bench:tpch -- [--sf 1] [--runs 3] [--warmup 1] [--queries 1,6,13] [--pg postgres://…]
 *                         [--engines flint,duckdb,pg] [--duckdb-threads N] [--timeout-s 300]
 *
 * Generates benchmarks/data/sf<N>/ if missing (Parquet, plus CSV when PostgreSQL runs), loads
 * every engine, then runs each query with warm-up and timed runs interleaved across engines, and
 * prints medians, Flint/DuckDB and Flint/PostgreSQL ratios, totals, geometric means, load times and
 * peak memory. Answers of PostgreSQL and Flint are checked against DuckDB's. Results go to
 * benchmarks/results/tpch-sf<N>-<time>.{json,md}.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { compareResults, type Cell } from '../../src/tpch/compare.js'
import { loadTpchQueries } from '../../src/tpch/queries.js'
import { TABLE_NAMES } from '../../src/tpch/schema.js'
import { readManifest, tableFile, writeDataset, type DataFormat } from '../../src/tpch/write.js'
import { DuckDbEngine, FlintEngine, PostgresEngine, type BenchEngine } from './engines.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

interface Options {
  sf: number
  runs: number
  warmup: number
  queries: number[]
  pg: string | undefined
  engines: Set<string>
  duckdbThreads: number | undefined
  timeoutMs: number
}

function usage(message: string): never {
  process.stderr.write(
    `bench: ${message}\nusage: bench.ts [--sf 1] [--runs 3] [--warmup 1] [--queries 1,6] [--pg postgres://…] [--engines flint,duckdb,pg] [--duckdb-threads N] [--timeout-s 300]\n`,
  )
  process.exit(2)
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    sf: 1,
    runs: 3,
    warmup: 1,
    queries: Array.from({ length: 22 }, (_, i) => i + 1),
    pg: undefined,
    engines: new Set(['flint', 'duckdb', 'pg']),
    duckdbThreads: undefined,
    timeoutMs: 300_000,
  }
  const num = (name: string, v: string | undefined, ok: (n: number) => boolean): number => {
    const n = Number(v)
    if (v === undefined || !Number.isFinite(n) || !ok(n)) usage(`bad value for --${name}: ${v ?? '(missing)'}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const v = argv[i + 1]
    i++
    switch (a) {
      case '--sf':
        o.sf = num('sf', v, (n) => n > 0 && n <= 100)
        break
      case '--runs':
        o.runs = num('runs', v, (n) => Number.isInteger(n) && n >= 1)
        break
      case '--warmup':
        o.warmup = num('warmup', v, (n) => Number.isInteger(n) && n >= 0)
        break
      case '--queries':
        o.queries = (v ?? '').split(',').map((q) => num('queries', q.replace(/^q/i, ''), (n) => Number.isInteger(n) && n >= 1 && n <= 22))
        break
      case '--pg':
        if (v === undefined || !/^postgres(ql)?:\/\//.test(v)) usage('--pg needs a postgres:// URL')
        o.pg = v
        break
      case '--engines':
        o.engines = new Set((v ?? '').split(',').map((e) => e.trim().toLowerCase()))
        for (const e of o.engines) if (!['flint', 'duckdb', 'pg'].includes(e)) usage(`unknown engine ${e}`)
        break
      case '--duckdb-threads':
        o.duckdbThreads = num('duckdb-threads', v, (n) => Number.isInteger(n) && n >= 1)
        break
      case '--timeout-s':
        o.timeoutMs = num('timeout-s', v, (n) => n > 0) * 1000
        break
      default:
        usage(`unknown argument ${a}`)
    }
  }
  return o
}

const log = (s: string): void => void process.stderr.write(s + '\n')
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const geomean = (xs: readonly number[]): number => (xs.length === 0 ? NaN : Math.exp(xs.reduce((a, x) => a + Math.log(Math.max(x, 0.001)), 0) / xs.length))
const fmtMs = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1))
const fmtRatio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '–' : (a / b).toFixed(2) + '×')

/** Makes sure benchmarks/data/sf<N>/ holds the formats needed. */
async function ensureData(sf: number, formats: readonly DataFormat[]): Promise<string> {
  const dir = join(ROOT, 'data', `sf${sf}`)
  const manifest = await readManifest(dir)
  const missing = formats.filter((f) => !TABLE_NAMES.every((t) => existsSync(tableFile(dir, t, f))) || manifest === undefined || manifest.sf !== sf)
  if (missing.length > 0) {
    log(`generating SF ${sf} (${missing.join(', ')}) into ${dir}`)
    const m = await writeDataset({ sf, out: dir, formats: missing, onProgress: (l) => log(`  ${l}`) })
    log(`generated in ${m.seconds.toFixed(1)} s`)
  }
  return dir
}

interface QueryRecord {
  query: string
  rows: number | undefined
  timesMs: Record<string, number[]>
  medianMs: Record<string, number>
  errors: Record<string, string>
  /** Per engine: does its answer match DuckDB's? */
  matches: Record<string, boolean>
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2))
  const usePg = o.pg !== undefined && o.engines.has('pg')
  const dir = await ensureData(o.sf, usePg ? ['parquet', 'csv'] : ['parquet'])

  const engines: BenchEngine[] = []
  const unavailable: Record<string, string> = {}
  if (o.engines.has('duckdb')) engines.push(new DuckDbEngine(o.duckdbThreads))
  if (usePg) engines.push(new PostgresEngine(o.pg!, o.timeoutMs))
  if (o.engines.has('flint')) {
    const f = await FlintEngine.open(o.timeoutMs)
    if (typeof f === 'string') {
      unavailable['Flint'] = f
      log(`Flint: not available (${f})`)
    } else engines.push(f)
  }
  if (engines.length === 0) usage('no engine to run')

  const loadSeconds: Record<string, number> = {}
  const loaded: BenchEngine[] = []
  for (const e of engines) {
    const t0 = performance.now()
    try {
      await e.load(dir)
      loadSeconds[e.name] = (performance.now() - t0) / 1000
      loaded.push(e)
      log(`${e.name}: loaded in ${loadSeconds[e.name]!.toFixed(1)} s`)
    } catch (err) {
      unavailable[e.name] = `load failed: ${err instanceof Error ? err.message : String(err)}`
      log(`${e.name}: ${unavailable[e.name]}`)
      await e.close().catch(() => undefined)
    }
  }

  const queries = loadTpchQueries().filter((q) => o.queries.includes(q.number))
  const records: QueryRecord[] = []
  for (const q of queries) {
    const rec: QueryRecord = { query: q.name, rows: undefined, timesMs: {}, medianMs: {}, errors: {}, matches: {} }
    const answers: Record<string, Cell[][]> = {}
    const failed = new Set<string>()
    for (let round = 0; round < o.warmup + o.runs; round++) {
      for (const e of loaded) {
        if (failed.has(e.name)) continue
        const t0 = performance.now()
        try {
          const rows = await e.run(q.sql)
          const ms = performance.now() - t0
          if (round < o.warmup || answers[e.name] === undefined) answers[e.name] = rows
          if (round >= o.warmup) (rec.timesMs[e.name] ??= []).push(ms)
        } catch (err) {
          failed.add(e.name)
          rec.errors[e.name] = err instanceof Error ? err.message.split('\n')[0]! : String(err)
        }
      }
    }
    for (const [name, times] of Object.entries(rec.timesMs)) rec.medianMs[name] = median(times)
    const expected = answers['DuckDB']
    if (expected !== undefined) {
      rec.rows = expected.length
      for (const [name, rows] of Object.entries(answers)) {
        if (name === 'DuckDB') continue
        const cmp = compareResults(expected, rows, { ordered: q.ordered })
        rec.matches[name] = cmp.equal
        if (!cmp.equal) log(`${q.name}: ${name} differs from DuckDB: ${cmp.differences.slice(0, 3).join('; ')}`)
      }
    }
    const cells = loaded.map((e) => `${e.name} ${rec.errors[e.name] !== undefined ? 'error' : fmtMs(rec.medianMs[e.name])}`)
    log(`${q.name}: ${cells.join(', ')} ms`)
    records.push(rec)
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024

  // Summary: totals and geometric means over the queries every engine finished.
  const names = loaded.map((e) => e.name)
  const complete = records.filter((r) => names.every((n) => r.medianMs[n] !== undefined))
  const totals: Record<string, number> = {}
  const geomeans: Record<string, number> = {}
  for (const n of names) {
    totals[n] = complete.reduce((a, r) => a + r.medianMs[n]!, 0)
    geomeans[n] = geomean(complete.map((r) => r.medianMs[n]!))
  }

  const header = ['Q', ...names.map((n) => `${n} ms`), 'Flint/DuckDB', 'Flint/PG', 'rows', 'check']
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`]
  for (const r of records) {
    const cells = names.map((n) => (r.errors[n] !== undefined ? 'error' : fmtMs(r.medianMs[n])))
    const check = Object.entries(r.matches)
      .map(([n, ok]) => `${n} ${ok ? 'ok' : 'DIFFERS'}`)
      .join(', ')
    lines.push(`| ${[r.query, ...cells, fmtRatio(r.medianMs['Flint'], r.medianMs['DuckDB']), fmtRatio(r.medianMs['Flint'], r.medianMs['PostgreSQL']), String(r.rows ?? '–'), check || '–'].join(' | ')} |`)
  }
  lines.push(`| total | ${names.map((n) => fmtMs(totals[n])).join(' | ')} | ${fmtRatio(totals['Flint'], totals['DuckDB'])} | ${fmtRatio(totals['Flint'], totals['PostgreSQL'])} | | |`)
  lines.push(`| geomean | ${names.map((n) => fmtMs(geomeans[n])).join(' | ')} | ${fmtRatio(geomeans['Flint'], geomeans['DuckDB'])} | ${fmtRatio(geomeans['Flint'], geomeans['PostgreSQL'])} | | |`)

  const when = new Date().toISOString().replace(/[:.]/g, '-')
  const summary = [
    `# TPC-H SF ${o.sf} — ${new Date().toISOString()}`,
    '',
    `Median of ${o.runs} run(s) after ${o.warmup} warm-up(s), engines interleaved per query. Totals and geometric means over the ${complete.length} queries every engine finished.`,
    '',
    ...lines,
    '',
    `Load time: ${names.map((n) => `${n} ${loadSeconds[n]!.toFixed(1)} s`).join(', ')}.`,
    `Peak memory of the benchmark process (DuckDB and Flint run inside it): ${peakRssMb.toFixed(0)} MB.`,
    ...Object.entries(unavailable).map(([n, why]) => `${n}: not available (${why}).`),
    ...records.flatMap((r) => Object.entries(r.errors).map(([n, e]) => `${r.query} ${n}: ${e}`)),
    '',
  ].join('\n')
  process.stdout.write('\n' + summary)

  const outDir = join(ROOT, 'results')
  await mkdir(outDir, { recursive: true })
  const base = join(outDir, `tpch-sf${o.sf}-${when}`)
  const json = { sf: o.sf, runs: o.runs, warmup: o.warmup, engines: names, unavailable, loadSeconds, peakRssMb, totals, geomeans, queries: records }
  await writeFile(`${base}.json`, JSON.stringify(json, null, 2) + '\n')
  await writeFile(`${base}.md`, summary)
  log(`wrote ${base}.json and .md`)
  for (const e of loaded) await e.close()
}

await main()
