/**
 * Streams Flint batches into a Parquet file with parquet-wasm: each batch goes to Arrow
 * (storage/arrow.ts, portable mode: numeric(p,s) as Decimal128, date as Date32), crosses into
 * WebAssembly as Arrow IPC and is encoded row group by row group, so memory stays bounded by one
 * row group whatever the table's size.
 */
import { open } from 'node:fs/promises'
import { tableToIPC, Table as ArrowTable } from 'apache-arrow'
import { Compression, Table as WasmTable, transformParquetStream, WriterPropertiesBuilder, type RecordBatch as WasmBatch } from 'parquet-wasm'
import { ExecutionError, SqlState } from '../common/errors.js'
import type { Batch } from '../common/vector.js'
import { batchToArrow } from '../storage/arrow.js'
import type { ColumnDef } from './schema.js'

/** Options of the Parquet writer. */
export interface ParquetWriteOptions {
  /** Maximum rows in a row group (default 1,048,576). */
  readonly rowGroupRows?: number
  /** Compression codec (default snappy). */
  readonly compression?: 'snappy' | 'zstd' | 'uncompressed'
}

const CODECS = { snappy: Compression.SNAPPY, zstd: Compression.ZSTD, uncompressed: Compression.UNCOMPRESSED } as const

/** Writes the batches (all with `columns`) to a Parquet file at `path`; returns the rows written. */
export async function writeParquetFile(
  path: string,
  columns: readonly ColumnDef[],
  batches: Iterable<Batch>,
  opts: ParquetWriteOptions = {},
): Promise<number> {
  const props = new WriterPropertiesBuilder()
    .setCompression(CODECS[opts.compression ?? 'snappy'])
    .setMaxRowGroupSize(opts.rowGroupRows ?? 1 << 20)
    .setCreatedBy('flint')
    .build()
  const iterator = batches[Symbol.iterator]()
  let rows = 0
  const source = new ReadableStream<WasmBatch>({
    pull(controller) {
      const next = iterator.next()
      if (next.done === true) {
        controller.close()
        return
      }
      const batch = next.value
      rows += batch.numRows
      const ipc = tableToIPC(new ArrowTable([batchToArrow(batch, columns)]), 'stream')
      const table = WasmTable.fromIPCStream(ipc)
      for (const rb of table.recordBatches()) controller.enqueue(rb)
    },
  })
  const handle = await open(path, 'w')
  try {
    const encoded = (await transformParquetStream(source, props)) as ReadableStream<Uint8Array>
    const reader = encoded.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      await handle.write(value)
    }
  } catch (e) {
    throw new ExecutionError(SqlState.ioError, `could not write Parquet file "${path}": ${e instanceof Error ? e.message : String(e)}`)
  } finally {
    await handle.close()
  }
  return rows
}
