import { readFileSync } from 'node:fs'
import { Engine } from '../src/session/engine.js'
import { formatValue } from '../src/kernels/format.js'
const [file, ds, sql, pt] = process.argv.slice(2)
const d = JSON.parse(readFileSync(file!, 'utf8'))
const ddl: string[] = d.datasets.find((x: any) => x.dataset === Number(ds)).ddl
const e = await Engine.create({ workers: 2, ...(pt ? { parallelThreshold: Number(pt) } : {}) })
const s = e.createSession({ user: 'u', database: 'd' })
for (const q of ddl) for await (const _ of s.executeSimple(q)) void _
for (const q of sql!.split(';;')) {
  const t = Date.now(); let n = 0; const out: string[] = []
  try { for await (const r of s.executeSimple(q)) if (r.kind === 'rows') for (const b of r.batches) for (let i = 0; i < b.numRows; i++) { n++; if (out.length < 30) out.push(b.columns.map((c) => formatValue(c, i) ?? 'NULL').join(' | ')) } } catch (err) { out.push('ERR ' + (err as any).code + ' ' + (err as Error).message) }
  console.log(`-- ${Date.now() - t} ms, ${n} rows: ${q.slice(0, 200)}`); for (const l of out) console.log('  ' + l)
}
s.close(); await e.close()
