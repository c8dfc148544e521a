/**
 * Writes sql-tests/CONFORMANCE.md from a JSON report of the shared sqllogictest runner: the pass
 * rate per area and every failing record with its reason.
 *
 *   node ../shared/tools/slt-runner/runner.mjs --host 127.0.0.1 --port P --user flint --jobs 2 \
 *        --show 100000 --json /tmp/conformance.json ../shared/conformance
 *   npx tsx test/conformance-report.ts /tmp/conformance.json > sql-tests/CONFORMANCE.md
 */
import { readFileSync } from 'node:fs'

interface Failure {
  line: number
  kind: 'failed' | 'errored'
  reason?: string
  sql?: string
  expected?: string[]
  got?: string[]
}
interface FileReport {
  file: string
  passed: number
  failed: number
  errored: number
  skipped: number
  failures?: Failure[]
}

const report = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { total: { passed: number; failed: number; errored: number }; files: FileReport[] }
const areas = new Map<string, { passed: number; total: number }>()
for (const f of report.files) {
  const area = f.file.split('/').slice(-3)[0]!
  const a = areas.get(area) ?? { passed: 0, total: 0 }
  a.passed += f.passed
  a.total += f.passed + f.failed + f.errored
  areas.set(area, a)
}
/** A pass rate truncated (never rounded up: 100% means every record passes) to two decimals. */
const pct = (p: number, t: number): string => `${(Math.floor((10000 * p) / t) / 100).toFixed(2)}%`
const t = report.total
const total = t.passed + t.failed + t.errored
const out: string[] = []
out.push('# Conformance corpus: remaining failures', '')
out.push(`Shared corpus (\`../shared/conformance\`), run over the wire with \`../shared/tools/slt-runner\`: **${t.passed} of ${total} records pass (${pct(t.passed, total)})**.`, '')
out.push('Regenerate: see the header of `test/conformance-report.ts`.', '')
out.push('| area | passed | records | rate |', '|---|---|---|---|')
for (const [area, a] of [...areas].sort()) out.push(`| ${area} | ${a.passed} | ${a.total} | ${pct(a.passed, a.total)} |`)
out.push('', '## Failing records by file', '')
out.push('"wrong result" = Flint answered differently from PostgreSQL 15; otherwise the reason is the error Flint raised.', '')
const oneLine = (s: string | undefined, max: number): string => (s ?? '').replace(/\s+/g, ' ').trim().slice(0, max).replace(/\|/g, '\\|')
for (const f of report.files) {
  if (!f.failures?.length) continue
  out.push(`### ${f.file.replace(/^(\.\.\/)+conformance\//, '')} (${f.failed + f.errored} failing)`, '')
  out.push('| line | reason | statement |', '|---|---|---|')
  for (const x of f.failures) {
    const reason = x.kind === 'failed' ? `wrong result${x.reason ? `: ${oneLine(x.reason, 80)}` : ''}` : oneLine(x.reason, 120)
    out.push(`| ${x.line} | ${reason} | \`${oneLine(x.sql, 140)}\` |`)
  }
  out.push('')
}
process.stdout.write(out.join('\n') + '\n')
