import assert from 'node:assert/strict'
import { Worker } from 'node:worker_threads'
import { currentValue, lastValue, lastValueOf, newSequenceCells, nextValue, setValue, sharedCells, type SequenceHandle, type SequenceOptions } from './sequence.js'

const opts = (o: Partial<SequenceOptions> = {}): SequenceOptions => ({ increment: 1n, min: 1n, max: 2n ** 63n - 1n, start: 1n, cache: 1n, cycle: false, type: 'int8', ...o })
const handle = (o: SequenceOptions): SequenceHandle => ({ oid: 1, name: 's', options: o, cells: newSequenceCells(o), session: sharedCells() })

describe('sequence counters', () => {
  it('hands out start, start + increment, … and remembers currval and lastval', () => {
    const h = handle(opts({ start: 5n, increment: 3n }))
    const last = sharedCells()
    assert.throws(() => currentValue(h), { code: '55000', message: 'currval of sequence "s" is not yet defined in this session' })
    assert.throws(() => lastValue(last), { code: '55000' })
    assert.deepEqual([nextValue(h, last), nextValue(h, last), nextValue(h, last)], [5n, 8n, 11n])
    assert.equal(currentValue(h), 11n)
    assert.equal(lastValue(last), 11n)
    assert.deepEqual(lastValueOf(h.options, h.cells), { lastValue: 11n, isCalled: true })
  })

  it('stops at the bound with 2200H, or wraps around with CYCLE', () => {
    const h = handle(opts({ max: 2n }))
    const last = sharedCells()
    nextValue(h, last)
    nextValue(h, last)
    assert.throws(() => nextValue(h, last), { code: '2200H', message: 'nextval: reached maximum value of sequence "s" (2)' })
    const down = handle(opts({ increment: -2n, min: -5n, max: -1n, start: -1n, cycle: true }))
    assert.deepEqual([1, 2, 3, 4].map(() => nextValue(down, last)), [-1n, -3n, -5n, -1n])
  })

  it('setval sets the next value, and currval only when is_called', () => {
    const h = handle(opts({ max: 10n }))
    const last = sharedCells()
    setValue(h, 4n, false)
    assert.throws(() => currentValue(h))
    assert.equal(nextValue(h, last), 4n)
    setValue(h, 7n, true)
    assert.equal(currentValue(h), 7n)
    assert.equal(nextValue(h, last), 8n)
    assert.throws(() => setValue(h, 11n, true), { code: '22003', message: 'setval: value 11 is out of bounds for sequence "s" (1..10)' })
  })

  it('never hands out a value twice when threads call nextval at once', async () => {
    const h = handle(opts())
    const code = `
      const { workerData, parentPort } = require('node:worker_threads')
      const cells = workerData.cells
      const out = []
      for (let i = 0; i < 20000; i++) {
        for (;;) {
          const next = Atomics.load(cells, 0)
          if (Atomics.compareExchange(cells, 0, next, next + 1n) === next) { out.push(next); break }
        }
      }
      parentPort.postMessage(out)`
    // the workers race on the same shared cell through the same compare-and-swap as nextValue
    const run = (): Promise<bigint[]> =>
      new Promise((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { cells: h.cells } })
        w.once('message', resolve)
        w.once('error', reject)
      })
    const mine: bigint[] = []
    const others = Promise.all([run(), run()])
    for (let i = 0; i < 20000; i++) mine.push(nextValue(h, sharedCells()))
    const all = [...mine, ...(await others).flat()]
    assert.equal(new Set(all).size, 60000)
    assert.equal(Atomics.load(h.cells, 0), 60001n)
  })
})
