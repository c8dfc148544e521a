import { Engine } from '../src/session/engine.js'
import { formatValue } from '../src/kernels/format.js'
const e = await Engine.create({ workers: 2 })
const s = e.createSession({ user: 'u', database: 'd' })
const sqls = (process.argv[2] ?? '').split(';;')
for (const sql of sqls) {
  if (!sql.trim()) continue
  try {
    for await (const r of s.executeSimple(sql)) {
      if (r.kind === 'rows') { console.log('--', sql.trim().slice(0,150)); for (const b of r.batches) for (let i=0;i<b.numRows;i++) console.log('  ' + b.columns.map(c=>{const v=formatValue(c,i); return v===null?'NULL':v}).join(' | ')) }
    }
  } catch (err) { console.log('--', sql.trim().slice(0,150), '\n  ERR', (err as any).code, (err as Error).message) }
}
s.close(); await e.close()
