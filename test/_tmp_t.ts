import { Engine } from '../src/session/engine.js'
const e = await Engine.create({ workers: 2 })
const s = e.createSession({ user: 'u', database: 'd' })
const run = async (sql: string) => { const t = Date.now(); let n = 0; try { for await (const r of s.executeSimple(sql)) if (r.kind === 'rows') for (const b of r.batches) n += b.numRows } catch (err) { console.log('ERR', (err as Error).message) } console.log(`${Date.now() - t} ms, ${n} rows: ${sql.slice(0, 150)}`) }
await run('create table a (x int, f float8)'); await run('insert into a select g, g from generate_series(1, 5000) g')
await run('select min(x) over () from a')
await run('select min(round(x, 2)) over () from a')
await run('select sum(x) over () from a')
await run('select dense_rank() over (order by 1.5::float8) from a')
await run('select rank() over (order by x % 2) from a')
await run('select count(*) over (order by x % 2) from a')
s.close(); await e.close()
