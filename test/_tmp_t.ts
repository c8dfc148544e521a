import { Engine } from '../src/session/engine.js'
const e = await Engine.create({ workers: 2, parallelThreshold: 50 })
const s = e.createSession({ user: 'u', database: 'd' })
const run = async (sql: string) => { const t = Date.now(); let n = 0; try { for await (const r of s.executeSimple(sql)) if (r.kind === 'rows') for (const b of r.batches) n += b.numRows } catch (err) { console.log('ERR', (err as Error).message) } console.log(`${Date.now() - t} ms, ${n} rows: ${sql.slice(0, 120)}`) }
await run('create table a (x int)'); await run('insert into a select g from generate_series(1, 23) g')
await run('create table b (y int)'); await run('insert into b select g from generate_series(1, 81) g')
await run('select true from a a0 left join a a1 on true')
await run('select true from a a0 cross join a a1 cross join b')
await run('select true from a a0 join a a1 on true join b on true')
await run("select true from a a0 left join a a1 on true left join (select 'x' as o from b) d on true")
await run("select true from a a0 left join a a1 on true left join b on true")
s.close(); await e.close()
