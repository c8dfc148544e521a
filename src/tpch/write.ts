/**
 * Generates a TPC-H data set into a folder, one file a table (`OUT/lineitem.parquet`,
 * `OUT/lineitem.csv`, …), plus `OUT/tpch.json` describing what was generated.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeCsvFile } from './csv-writer.js'
import { DEFAULT_SEED, tableBatches } from './generate.js'
import { writeParquetFile } from './parquet-writer.js'
import { TABLE_COLUMNS, TABLE_NAMES, type TableName } from './schema.js'

/** Output file formats. */
export type DataFormat = 'parquet' | 'csv'

/** What `writeDataset` writes. */
export interface WriteDatasetOptions {
  readonly sf: number
  readonly out: string
  readonly formats: readonly DataFormat[]
  readonly seed?: number
  /** Tables to write (default all eight). */
  readonly tables?: readonly TableName[]
  /** Maximum rows a Parquet row group (default 1,048,576). */
  readonly rowGroupRows?: number
  /** Called after each file with a line to show. */
  readonly onProgress?: (line: string) => void
}

/** The manifest written as OUT/tpch.json. */
export interface DatasetManifest {
  readonly sf: number
  readonly seed: number
  readonly formats: readonly DataFormat[]
  readonly rows: Readonly<Partial<Record<TableName, number>>>
  readonly seconds: number
}

/** Name of the manifest file in a data-set folder. */
export const MANIFEST = 'tpch.json'

/** The path of a table's file in a data-set folder. */
export const tableFile = (dir: string, table: TableName, format: DataFormat): string => join(dir, `${table}.${format}`)

/** Generates the tables and writes them in each format; returns the manifest (also written). */
export async function writeDataset(opts: WriteDatasetOptions): Promise<DatasetManifest> {
  const seed = opts.seed ?? DEFAULT_SEED
  const started = performance.now()
  await mkdir(opts.out, { recursive: true })
  const rows: Partial<Record<TableName, number>> = {}
  for (const table of opts.tables ?? TABLE_NAMES) {
    for (const format of opts.formats) {
      const t0 = performance.now()
      const batches = tableBatches(table, opts.sf, { seed })
      const path = tableFile(opts.out, table, format)
      const n =
        format === 'parquet'
          ? await writeParquetFile(path, TABLE_COLUMNS[table], batches, opts.rowGroupRows !== undefined ? { rowGroupRows: opts.rowGroupRows } : {})
          : await writeCsvFile(path, TABLE_COLUMNS[table], batches)
      rows[table] = n
      opts.onProgress?.(`${table}.${format}: ${n.toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    }
  }
  const manifest: DatasetManifest = { sf: opts.sf, seed, formats: opts.formats, rows, seconds: (performance.now() - started) / 1000 }
  await writeFile(join(opts.out, MANIFEST), JSON.stringify(manifest, null, 2) + '\n')
  return manifest
}

/** Reads OUT/tpch.json, or undefined when the folder holds no complete data set. */
export async function readManifest(dir: string): Promise<DatasetManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as DatasetManifest
  } catch {
    return undefined
  }
}
