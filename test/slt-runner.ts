/**
 * An in-process sqllogictest runner: runs `.slt` files of `sql-tests/` against a fresh Flint
 * session per file (or, with --engine=postgres URL, against PostgreSQL to cross-check expectations).
 * Values are printed as the shared runner does: NULL, (empty), I truncated integers with booleans
 * as 1/0, R as %.3f, T as text with booleans as true/false.
 *
 * `onlyif flint` / `skipif postgresql` lines before a record limit it to one engine (EXPLAIN output).
 *
 *   tsx test/slt-runner.ts [--engine=postgres://…] FILES_OR_DIRS…
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { formatValue } from '../src/kernels/format.js'
import { Engine } from '../src/session/engine.js'

interface Rec {
  kind: 'statement' | 'query'
  expectError: boolean
  sql: string
  types: string
  sort: 'nosort' | 'rowsort' | 'valuesort'
  expected: string[]
  line: number
  /** Engines the record is limited to (onlyif) or skipped on (skipif). */
  onlyif: string[]
  skipif: string[]
}

function parseFile(text: string): Rec[] {
  const lines = text.split('\n')
  const recs: Rec[] = []
  let i = 0
  while (i < lines.length) {
    const l = lines[i]!.trim()
    if (l === '' || l.startsWith('#')) {
      i++
      continue
    }
    const onlyif: string[] = []
    const skipif: string[] = []
    while (/^(onlyif|skipif)\s/.test(lines[i]!.trim())) {
      const [d, engine] = lines[i]!.trim().split(/\s+/)
      ;(d === 'onlyif' ? onlyif : skipif).push(engine!)
      i++
    }
    const head = lines[i]!.trim().split(/\s+/)
    const start = i + 1
    i++
    const sql: string[] = []
    while (i < lines.length && lines[i]!.trim() !== '' && lines[i]!.trim() !== '----') sql.push(lines[i++]!)
    const expected: string[] = []
    if (lines[i]?.trim() === '----') {
      i++
      while (i < lines.length && lines[i]!.trim() !== '') expected.push(lines[i++]!)
    }
    if (head[0] === 'statement') recs.push({ kind: 'statement', expectError: head[1] === 'error', sql: sql.join('\n'), types: '', sort: 'nosort', expected, line: start, onlyif, skipif })
    else if (head[0] === 'query') {
      recs.push({ kind: 'query', expectError: head[1] === 'error', sql: sql.join('\n'), types: head[1] ?? '', sort: (head[2] as Rec['sort']) ?? 'nosort', expected, line: start, onlyif, skipif })
    }
  }
  return recs
}

function show(v: string | null, t: string, typeId: string): string {
  if (v === null) return 'NULL'
  if (typeId === 'bool') v = v === 't' ? 'true' : v === 'f' ? 'false' : v
  if (v === '') return '(empty)'
  if (t === 'I') {
    if (v === 'true') return '1'
    if (v === 'false') return '0'
    // integers as they are: through a double, bigints past 2^53 would lose digits
    if (/^-?\d+$/.test(v)) return v
    const n = Number(v)
    return Number.isFinite(n) ? String(Math.trunc(n)) : '0'
  }
  if (t === 'R') return Number(v).toFixed(3)
  return v.replace(/[\x00-\x1f\x7f]/g, '@')
}

interface Runner {
  run(sql: string): Promise<{ rows: (string | null)[][]; typeIds: string[] } | null>
  close(): Promise<void>
}

async function flintRunner(engine: Engine): Promise<Runner> {
  const s = engine.createSession({ user: 'slt', database: 'slt' })
  return {
    async run(sql) {
      let last: { rows: (string | null)[][]; typeIds: string[] } | null = null
      for await (const r of s.executeSimple(sql)) {
        // a query record over INSERT/UPDATE/DELETE is judged by its row count
        const m = r.kind === 'command' ? /^(?:INSERT \d+|UPDATE|DELETE) (\d+)$/.exec(r.tag) : null
        if (m) last = { rows: [[m[1]!]], typeIds: ['int8'] }
        if (r.kind !== 'rows') continue
        const rows: (string | null)[][] = []
        const ctx = s.outputContext()
        for (const b of r.batches) for (let i = 0; i < b.numRows; i++) rows.push(b.columns.map((c) => formatValue(c, i, ctx)))
        last = { rows, typeIds: r.columns.map((c) => c.type.id) }
      }
      return last
    },
    async close() {
      s.close()
    },
  }
}

async function pgRunner(url: string, file: string): Promise<Runner> {
  const pg = (await import('pg')).default
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  const schema = `slt_${createHash('md5').update(file).digest('hex').slice(0, 8)}`
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path = ${schema}`)
  return {
    async run(sql) {
      // raw text values, as PostgreSQL sends them
      const res = await admin.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } } as unknown as string)
      const last = Array.isArray(res) ? res[res.length - 1] : res
      if (!last.fields?.length) return /^(INSERT|UPDATE|DELETE)$/.test(last.command) ? { rows: [[String(last.rowCount)]], typeIds: ['int8'] } : null
      return { rows: last.rows.map((r: unknown[]) => r.map((v) => (v === null ? null : String(v)))), typeIds: last.fields.map((f: { dataTypeID: number }) => (f.dataTypeID === 16 ? 'bool' : 'other')) }
    },
    async close() {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`)
      await admin.end()
    },
  }
}

function files(paths: string[]): string[] {
  const out: string[] = []
  for (const p of paths) {
    if (statSync(p).isDirectory()) out.push(...files(readdirSync(p).sort().map((f) => join(p, f))))
    else if (p.endsWith('.slt') || p.endsWith('.test')) out.push(p)
  }
  return out
}

async function main(): Promise<number> {
  const args = process.argv.slice(2)
  const pgUrl = args.find((a) => a.startsWith('--engine='))?.slice('--engine='.length)
  const targets = args.filter((a) => !a.startsWith('--'))
  const engine = pgUrl ? null : await Engine.create({ workers: 2 })
  let passed = 0
  let failed = 0
  for (const f of files(targets.length ? targets : ['sql-tests'])) {
    const runner = engine ? await flintRunner(engine) : await pgRunner(pgUrl!, f)
    let fileFailed = 0
    const engineName = engine ? 'flint' : 'postgresql'
    for (const rec of parseFile(readFileSync(f, 'utf8'))) {
      if ((rec.onlyif.length && !rec.onlyif.includes(engineName)) || rec.skipif.includes(engineName)) continue
      let problem: string | null = null
      try {
        const r = await runner.run(rec.sql)
        if (rec.expectError) problem = 'expected an error, got success'
        else if (rec.kind === 'query') {
          const rows = r?.rows ?? []
          let got = rows.map((row) => row.map((v, k) => show(v, rec.types[k] ?? 'T', r!.typeIds[k]!)))
          if (rec.sort === 'rowsort') got = got.map((x) => x).sort((a, b) => (a.join('\t') < b.join('\t') ? -1 : a.join('\t') > b.join('\t') ? 1 : 0))
          let gotLines = got.map((row) => row.join('\t'))
          if (rec.sort === 'valuesort') gotLines = got.flat().sort()
          let expected = rec.types.length <= 1 ? rec.expected : rec.expected.map((l) => l.split(/\t| {2,}/).join('\t'))
          if (rec.sort === 'valuesort') expected = expected.sort()
          if (gotLines.join('\n') !== expected.join('\n')) problem = `expected:\n${expected.join('\n')}\ngot:\n${gotLines.join('\n')}`
        }
      } catch (e) {
        if (!rec.expectError) problem = `error: ${(e as Error).message}`
      }
      if (problem) {
        failed++
        fileFailed++
        process.stdout.write(`FAIL ${f}:${rec.line}\n${rec.sql}\n${problem}\n\n`)
      } else passed++
    }
    await runner.close()
    process.stdout.write(`${f}: ${fileFailed === 0 ? 'ok' : `${fileFailed} failed`}\n`)
  }
  await engine?.close()
  process.stdout.write(`${passed} passed, ${failed} failed\n`)
  return failed === 0 ? 0 : 1
}

main().then((code) => {
  process.exitCode = code
})
