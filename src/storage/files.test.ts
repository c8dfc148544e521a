import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { atomicWrite, globFiles, globSegmentRegex, resolveFiles, writeAll } from './files.js'

describe('storage/files', () => {
  let tmp: string
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flint-files-'))
    for (const f of ['a.parquet', 'b.parquet', 'c.csv', 'x-1.parquet', 'd/x-2.parquet', 'd/e/x-3.parquet', 'd/e/y.parquet', '.hidden.parquet', '_tmp/z.parquet']) {
      fs.mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true })
      fs.writeFileSync(path.join(tmp, f), f)
    }
  })
  after(() => fs.rmSync(tmp, { recursive: true, force: true }))

  const rel = (files: string[]): string[] => files.map((f) => path.relative(tmp, f))

  it('resolves a file, a directory (recursively, sorted, skipping hidden and _ names) and globs', async () => {
    assert.deepEqual(rel(await resolveFiles(path.join(tmp, 'c.csv'))), ['c.csv'])
    assert.deepEqual(rel(await resolveFiles(tmp, { extensions: ['.parquet'] })), ['a.parquet', 'b.parquet', 'd/e/x-3.parquet', 'd/e/y.parquet', 'd/x-2.parquet', 'x-1.parquet'])
    assert.deepEqual(rel(await resolveFiles(path.join(tmp, '*.parquet'))), ['a.parquet', 'b.parquet', 'x-1.parquet'])
    assert.deepEqual(rel(await resolveFiles(path.join(tmp, '**', 'x-*.parquet'))), ['d/e/x-3.parquet', 'd/x-2.parquet', 'x-1.parquet'])
    assert.deepEqual(rel(await resolveFiles(path.join(tmp, 'd', '*', '?.parquet'))), ['d/e/y.parquet'])
    assert.deepEqual(rel(await resolveFiles(path.join(tmp, '[ab].{parquet,csv}'))), ['a.parquet', 'b.parquet'])
  })

  it('resolves relative globs', async () => {
    const cwd = process.cwd()
    try {
      process.chdir(tmp)
      assert.deepEqual(await globFiles('*.csv'), ['c.csv'])
      assert.deepEqual(await globFiles('d/**/*.parquet'), ['d/e/x-3.parquet', 'd/e/y.parquet', 'd/x-2.parquet'])
    } finally {
      process.chdir(cwd)
    }
  })

  it('raises 58P01 like PostgreSQL when nothing matches', async () => {
    const p = path.join(tmp, 'nope.csv')
    await assert.rejects(resolveFiles(p), { code: '58P01', message: `could not open file "${p}": No such file or directory` })
    await assert.rejects(resolveFiles(path.join(tmp, '*.json')), { code: '58P01' })
    await assert.rejects(resolveFiles(path.join(tmp, 'd', 'e'), { extensions: ['.csv'] }), { code: '58P01' })
  })

  it('translates glob segments', () => {
    assert.ok(globSegmentRegex('x-*.parquet').test('x-12.parquet'))
    assert.ok(!globSegmentRegex('x-*.parquet').test('x-12.parquetz'))
    assert.ok(globSegmentRegex('[!a]?').test('bc'))
    assert.ok(!globSegmentRegex('[!a]?').test('ac'))
    assert.ok(globSegmentRegex('a+b(1).csv').test('a+b(1).csv'))
  })

  it('writes atomically: the target appears only complete, failures leave nothing behind', async () => {
    const target = path.join(tmp, 'atomic.bin')
    await atomicWrite(target, (fh) => writeAll(fh, new Uint8Array([1, 2, 3])))
    assert.deepEqual([...fs.readFileSync(target)], [1, 2, 3])
    await assert.rejects(
      atomicWrite(target, async (fh) => {
        await writeAll(fh, new Uint8Array([9]))
        assert.ok(fs.readdirSync(tmp).some((f) => f.endsWith('.tmp')))
        throw new Error('fail')
      }),
      /fail/,
    )
    assert.deepEqual([...fs.readFileSync(target)], [1, 2, 3])
    assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')), [])
    await assert.rejects(atomicWrite(path.join(tmp, 'no-dir', 'x'), async () => undefined), { code: '58P01' })
  })
})
