/**
 * The SQL front end: PostgreSQL's own grammar (libpg-query, PostgreSQL's parser compiled to WASM).
 * This is the only module that loads the parser; it hands the binder PostgreSQL's raw parse tree,
 * typed by @pgsql/types, one statement at a time, with the statement's text and offset.
 */
import { loadModule, parseSync } from 'libpg-query'
import { ParseError } from '../common/errors.js'
import type { Node } from '@pgsql/types'

export type * from '@pgsql/types'

let loaded: Promise<void> | undefined

/** Loads the parser's WASM module (once per thread). Must finish before parseSql is called. */
export function initParser(): Promise<void> {
  loaded ??= loadModule()
  return loaded
}

/** One parsed statement: its raw tree, and where it stands in the original text. */
export interface ParsedStatement {
  /** PostgreSQL's raw parse tree for the statement, e.g. `{ SelectStmt: … }`. */
  readonly node: Node
  /** The statement's own text (without the separating semicolon). */
  readonly text: string
  /** Byte offset of the statement in the whole text (positions in errors are relative to the whole text). */
  readonly offset: number
}

/**
 * Parses a string of zero or more statements. Syntax errors throw ParseError (42601) with the
 * 1-based character position PostgreSQL reports.
 */
export function parseSql(text: string): ParsedStatement[] {
  let result: { stmts?: { stmt: Node; stmt_location?: number; stmt_len?: number }[] }
  try {
    result = parseSync(text) as typeof result
  } catch (e) {
    const details = (e as { sqlDetails?: { cursorPosition?: number; message?: string } }).sqlDetails
    const message = details?.message ?? (e instanceof Error ? e.message : String(e))
    const pos = details?.cursorPosition
    throw new ParseError(message, pos !== undefined ? byteToCharPosition(text, pos) + 1 : undefined)
  }
  const bytes = Buffer.from(text, 'utf8')
  const ascii = bytes.length === text.length
  return (result.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0
    const end = s.stmt_len !== undefined && s.stmt_len > 0 ? start + s.stmt_len : bytes.length
    const stmtText = ascii ? text.slice(start, end) : bytes.subarray(start, end).toString('utf8')
    return { node: s.stmt, text: stmtText.trim(), offset: ascii ? start : byteToCharPosition(text, start) }
  })
}

/** Converts a byte offset in the UTF-8 encoding of `text` to a character offset. */
export function byteToCharPosition(text: string, byteOffset: number): number {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length === text.length) return byteOffset
  return bytes.subarray(0, byteOffset).toString('utf8').length
}

/** The single key of a raw node, e.g. 'SelectStmt' for `{ SelectStmt: … }`. */
export function nodeTag(node: Node): string {
  for (const k in node) return k
  return ''
}

/** The payload of a raw node (the object under its single key). */
export function nodeBody<T = Record<string, unknown>>(node: Node): T {
  for (const k in node) return (node as Record<string, unknown>)[k] as T
  return {} as T
}

/** The string inside a `{ String: { sval } }` node (identifiers, operator names). */
export function stringValue(node: Node | undefined): string {
  if (node === undefined) return ''
  const b = nodeBody<{ sval?: string; str?: string }>(node)
  return b.sval ?? b.str ?? ''
}
