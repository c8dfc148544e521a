/**
 * Arrow IPC files (the Feather v2 / `.arrow` file format): an atomic streaming writer and a
 * streaming reader, both over storage/arrow.ts conversions.
 */
import * as fsp from 'node:fs/promises'
import * as A from 'apache-arrow'
import { EngineError, ExecutionError } from '../common/errors.js'
import type { Batch } from '../common/vector.js'
import { batchFromArrow, batchToArrow, schemaFromArrow, schemaToArrow, type ArrowMode, type ColumnDef } from './arrow.js'
import { atomicWrite, fileError, writeAll } from './files.js'

type AsyncReader = A.AsyncRecordBatchFileReader | A.AsyncRecordBatchStreamReader

/** Options of writeArrowIpc. */
export interface ArrowIpcWriteOptions {
  /** `portable` (default) writes the Arrow types other tools expect; `native` the Flint layout. */
  readonly mode?: ArrowMode
  /** `file` (default: random-access file format with footer) or `stream` format. */
  readonly format?: 'file' | 'stream'
}

/** Writes batches as an Arrow IPC file atomically, streaming batch by batch. Returns the row count. */
export async function writeArrowIpc(
  path: string,
  columns: readonly ColumnDef[],
  batches: Iterable<Batch> | AsyncIterable<Batch>,
  opts: ArrowIpcWriteOptions = {},
): Promise<{ rows: number }> {
  const mode = opts.mode ?? 'portable'
  let rows = 0
  await atomicWrite(path, async (fh) => {
    const writer = opts.format === 'stream' ? new A.RecordBatchStreamWriter() : new A.RecordBatchFileWriter()
    const pump = (async (): Promise<void> => {
      for await (const chunk of writer) await writeAll(fh, chunk)
    })()
    try {
      writer.reset(undefined, schemaToArrow(columns, mode))
      for await (const b of batches) {
        if (b.numRows === 0) continue
        writer.write(batchToArrow(b, columns, mode))
        rows += b.numRows
      }
      writer.finish()
    } catch (e) {
      writer.abort(e)
      await pump.catch(() => undefined)
      throw e
    }
    await pump
  })
  return { rows }
}

async function openReader(path: string): Promise<{ fh: fsp.FileHandle; reader: AsyncReader }> {
  let fh: fsp.FileHandle
  try {
    fh = await fsp.open(path, 'r')
  } catch (e) {
    throw fileError(e, path)
  }
  try {
    const reader = (await A.RecordBatchReader.from(fh)) as AsyncReader
    await reader.open()
    return { fh, reader }
  } catch (e) {
    await fh.close()
    if (e instanceof EngineError) throw e
    throw new ExecutionError('XX001', `invalid Arrow IPC file "${path}": ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** The columns of an Arrow IPC file (SQL types from the `flint.type` metadata where present). */
export async function openArrowIpc(path: string): Promise<ColumnDef[]> {
  const { fh, reader } = await openReader(path)
  try {
    return schemaFromArrow(reader.schema)
  } finally {
    await reader.cancel()
    await fh.close()
  }
}

/** Streams the batches of an Arrow IPC file (file or stream format) as Flint batches. */
export async function* readArrowIpc(path: string, opts: { readonly columns?: readonly number[] } = {}): AsyncGenerator<Batch> {
  const { fh, reader } = await openReader(path)
  try {
    const types = schemaFromArrow(reader.schema).map((c) => c.type)
    for await (const rb of reader) {
      const b = batchFromArrow(rb, types)
      yield opts.columns === undefined ? b : { numRows: b.numRows, columns: opts.columns.map((i) => b.columns[i]!) }
    }
  } finally {
    await reader.cancel()
    await fh.close()
  }
}
