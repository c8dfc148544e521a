import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as A from 'apache-arrow'
import { arrayType, charType, numericType, T } from '../common/types.js'
import { batchRows, vectorFromValues, type Value } from '../common/value.js'
import type { Batch } from '../common/vector.js'
import type { ColumnDef } from './arrow.js'
import { openArrowIpc, readArrowIpc, writeArrowIpc } from './arrow-ipc.js'

describe('storage/arrow-ipc', () => {
  let tmp: string
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flint-ipc-'))
  })
  after(() => fs.rmSync(tmp, { recursive: true, force: true }))

  const columns: ColumnDef[] = [
    { name: 'id', type: T.int8 },
    { name: 'name', type: charType('varchar', 8) },
    { name: 'amount', type: numericType(12, 3) },
    { name: 'at', type: T.timestamptz },
    { name: 'span', type: T.interval },
    { name: 'tags', type: arrayType(T.text) },
    { name: 'ok', type: T.bool },
  ]
  const batch = (start: number, n: number): Batch => {
    const ids = Array.from({ length: n }, (_, i) => start + i)
    return {
      numRows: n,
      columns: [
        vectorFromValues(T.int8, ids),
        vectorFromValues(columns[1]!.type, ids.map((i) => (i % 3 === 0 ? null : `n${i}`))),
        vectorFromValues(columns[2]!.type, ids.map((i) => (i * 1.001).toFixed(3))),
        vectorFromValues(T.timestamptz, ids.map((i) => i * 1_000_001)),
        vectorFromValues(T.interval, ids.map((i) => ({ months: i, days: i === 0 ? 0 : -i, micros: i * 5 }))),
        vectorFromValues(columns[5]!.type, ids.map((i) => (i % 4 === 0 ? null : [`t${i}`, null]))),
        vectorFromValues(T.bool, ids.map((i) => i % 2 === 0)),
      ],
    }
  }

  for (const mode of ['portable', 'native'] as const) {
    for (const format of ['file', 'stream'] as const) {
      it(`round-trips every type (${mode}, ${format} format)`, async () => {
        const file = path.join(tmp, `t-${mode}-${format}.arrow`)
        const res = await writeArrowIpc(file, columns, [batch(0, 100), batch(100, 0), batch(100, 50)], { mode, format })
        assert.equal(res.rows, 150)
        assert.deepEqual(await openArrowIpc(file), columns)
        const rows: Value[][] = []
        for await (const b of readArrowIpc(file)) rows.push(...batchRows(b))
        assert.deepEqual(rows, [...batchRows(batch(0, 100)), ...batchRows(batch(100, 50))])
        const proj: Value[][] = []
        for await (const b of readArrowIpc(file, { columns: [2, 0] })) proj.push(...batchRows(b))
        assert.deepEqual(proj[1], ['1.001', 1])
      })
    }
  }

  it('writes portable files other Arrow readers understand', async () => {
    const file = path.join(tmp, 'portable.arrow')
    await writeArrowIpc(file, columns.slice(0, 4), [{ numRows: 2, columns: batch(0, 2).columns.slice(0, 4) }])
    const t = A.tableFromIPC(fs.readFileSync(file))
    assert.deepEqual(
      t.schema.fields.map((f) => String(f.type)),
      ['Int64', 'Utf8', 'Decimal[12e+3]', 'Timestamp<MICROSECOND, UTC>'],
    )
    assert.deepEqual(t.getChild('id')!.toArray(), new BigInt64Array([0n, 1n]))
    assert.equal(t.getChild('name')!.get(1), 'n1')
  })

  it('raises 58P01 and XX001 for missing and invalid files', async () => {
    await assert.rejects(openArrowIpc(path.join(tmp, 'missing.arrow')), { code: '58P01' })
    const bad = path.join(tmp, 'bad.arrow')
    fs.writeFileSync(bad, 'not arrow')
    await assert.rejects(openArrowIpc(bad), { code: 'XX001' })
  })
})
