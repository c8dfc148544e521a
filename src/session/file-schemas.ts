/**
 * Before binding a statement, resolves the schemas of the files its read_parquet / read_csv calls
 * name (reading a footer or sampling a CSV is asynchronous; binding is not).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Value } from '../common/value.js'
import { fileSchemaKey, type FileSchema } from '../binder/binder.js'
import { nodeBody, nodeTag, stringValue } from '../sql/parse.js'
import { openParquetTable } from '../storage/parquet.js'
import { openCsvTable, type CsvOptions } from '../storage/csv.js'
import { NotImplementedError, planError, SqlState } from '../common/errors.js'
import { typeFromName, type SqlType } from '../common/types.js'

/** Finds read_parquet/read_csv calls with constant arguments in a raw tree and resolves their schemas. */
export async function resolveFileSchemas(tree: unknown): Promise<Map<string, FileSchema>> {
  const out = new Map<string, FileSchema>()
  const calls: { fn: string; raw: unknown; path: string; options: Map<string, Value> }[] = []
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
          const options = new Map<string, Value>()
          let path: Value | undefined
          let ok = true
          for (const a of call.args ?? []) {
            if (nodeTag(a) === 'NamedArgExpr') {
              const na = nodeBody<any>(a)
              const v = constArg(na.arg)
              if (v === undefined) ok = false
              else options.set(String(na.name).toLowerCase(), v)
            } else if (path === undefined) path = constArg(a)
            else ok = false
          }
          if (ok && typeof path === 'string') calls.push({ fn: name, raw: call.args, path, options })
        }
      }
    }
    for (const k of Object.keys(n)) walk(n[k])
  }
  walk(tree)
  for (const c of calls) {
    const key = fileSchemaKey(c.fn, c.raw)
    if (out.has(key)) continue
    const path = c.path
    if (c.fn === 'read_parquet') {
      if (c.options.size > 0) throw new NotImplementedError(`read_parquet takes no options (got ${[...c.options.keys()].join(', ')})`)
      const meta = await openParquetTable(path)
      out.set(key, { source: { kind: 'parquet', files: meta.files.map((f) => f.path) }, columns: meta.columns })
    } else {
      const { files, schema } = await openCsvTable(path, csvOptions(c.options))
      out.set(key, {
        source: { kind: 'csv', files, options: { header: schema.header, delimiter: schema.format.delimiter, quote: schema.format.quote, nullString: schema.format.nullString, columns: schema.columns } },
        columns: schema.columns,
      })
    }
  }
  return out
}

/** read_csv's named options: header, delim (delimiter, sep), quote, escape, nullstr (null), columns. */
function csvOptions(o: Map<string, Value>): CsvOptions {
  const str = (k: string): string | undefined => (o.has(k) ? String(o.get(k)) : undefined)
  const known = new Set(['header', 'delim', 'delimiter', 'sep', 'quote', 'escape', 'nullstr', 'null', 'columns'])
  for (const k of o.keys()) if (!known.has(k)) throw new NotImplementedError(`read_csv has no option "${k}"`)
  const delimiter = str('delim') ?? str('delimiter') ?? str('sep')
  const nullString = str('nullstr') ?? str('null')
  const columns = str('columns')
  return {
    ...(o.has('header') ? { header: o.get('header') === true || /^(true|on|1|yes)$/i.test(String(o.get('header'))) } : {}),
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(str('quote') !== undefined ? { quote: str('quote') } : {}),
    ...(str('escape') !== undefined ? { escape: str('escape') } : {}),
    ...(nullString !== undefined ? { nullString } : {}),
    ...(columns !== undefined ? { columns: parseColumnList(columns) } : {}),
  }
}

/** 'a integer, b numeric(10,2), c text' → column definitions. */
function parseColumnList(text: string): { name: string; type: SqlType }[] {
  return text.split(/,(?![^(]*\))/).map((part) => {
    const m = /^\s*("?)([^"\s]+)\1\s+(.+?)\s*$/.exec(part)
    if (!m) throw planError(SqlState.syntaxError, `read_csv columns: cannot read "${part.trim()}" (expected: name type)`)
    const tm = /^([a-z ]+?)\s*(?:\((\d+)(?:\s*,\s*(\d+))?\))?$/i.exec(m[3]!)
    const type = tm ? typeFromName(tm[1]!, [tm[2], tm[3]].filter((x): x is string => x !== undefined).map(Number)) : undefined
    if (!type) throw planError(SqlState.undefinedObject, `type "${m[3]}" does not exist`)
    return { name: m[2]!, type }
  })
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
