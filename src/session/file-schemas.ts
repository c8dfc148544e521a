/**
 * Before binding a statement, resolves the schemas of the files its read_parquet / read_csv calls
 * name (reading a footer or sampling a CSV is asynchronous; binding is not).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Value } from '../common/value.js'
import { fileSchemaKey, type FileSchema } from '../binder/binder.js'
import { nodeBody, nodeTag, stringValue } from '../sql/parse.js'
import { openParquetTable } from '../storage/parquet.js'
import { openCsvTable } from '../storage/csv.js'

/** Finds read_parquet/read_csv calls with constant arguments in a raw tree and resolves their schemas. */
export async function resolveFileSchemas(tree: unknown): Promise<Map<string, FileSchema>> {
  const out = new Map<string, FileSchema>()
  const calls: { fn: string; args: Value[] }[] = []
  const walk = (n: any): void => {
    if (n === null || typeof n !== 'object') return
    if (Array.isArray(n)) {
      n.forEach(walk)
      return
    }
    if (n.RangeFunction) {
      for (const f of n.RangeFunction.functions ?? []) {
        const items = f.List?.items ?? []
        for (const it of items) {
          if (nodeTag(it) !== 'FuncCall') continue
          const call = nodeBody<any>(it)
          const name = stringValue(call.funcname[call.funcname.length - 1])
          if (name !== 'read_parquet' && name !== 'read_csv' && name !== 'read_csv_auto') continue
          const args = (call.args ?? []).map((a: any) => constArg(a))
          if (args.every((a: Value | undefined) => a !== undefined)) calls.push({ fn: name, args })
        }
      }
    }
    for (const k of Object.keys(n)) walk(n[k])
  }
  walk(tree)
  for (const c of calls) {
    const key = fileSchemaKey(c.fn, c.args)
    if (out.has(key)) continue
    const path = String(c.args[0])
    if (c.fn === 'read_parquet') {
      const meta = await openParquetTable(path)
      out.set(key, { source: { kind: 'parquet', files: meta.files.map((f) => f.path) }, columns: meta.columns })
    } else {
      const { files, schema } = await openCsvTable(path, {})
      out.set(key, {
        source: { kind: 'csv', files, options: { header: schema.header, delimiter: schema.format.delimiter, quote: schema.format.quote, nullString: schema.format.nullString } },
        columns: schema.columns,
      })
    }
  }
  return out
}

function constArg(a: any): Value | undefined {
  if (nodeTag(a) === 'A_Const') {
    const c = nodeBody<any>(a)
    if (c.sval) return c.sval.sval
    if (c.ival) return c.ival.ival ?? 0
    if (c.boolval) return !!c.boolval.boolval
  }
  return undefined
}
