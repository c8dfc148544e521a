/**
 * What the fronts (pgwire server, CLI, tests) see of the engine: an Engine holds the catalog and the
 * worker pool; a Session runs statements with its own settings, transaction and prepared statements.
 */
import type { SqlType } from '../common/types.js'
import type { Value } from '../common/value.js'
import type { Batch } from '../common/vector.js'
import type { FormatContext } from '../kernels/format.js'

/** One column of a result set, as RowDescription describes it. */
export interface ResultColumn {
  readonly name: string
  readonly type: SqlType
  /** OID of the table the column comes from, or 0. */
  readonly tableOid: number
  /** 1-based column number in that table, or 0. */
  readonly columnNumber: number
}

/** The outcome of one statement. */
export type StatementResult =
  /** A statement that returns rows (SELECT, VALUES, SHOW, EXPLAIN, FETCH, INSERT … RETURNING). */
  | {
      readonly kind: 'rows'
      /** CommandComplete tag, e.g. 'SELECT 3', 'FETCH 2'. */
      readonly tag: string
      readonly columns: readonly ResultColumn[]
      readonly batches: readonly Batch[]
      readonly rowCount: number
    }
  /** A statement without a result set ('INSERT 0 3', 'CREATE TABLE', 'BEGIN', 'SET'). */
  | { readonly kind: 'command'; readonly tag: string }
  /** COPY … FROM STDIN: the front must now collect the data and call Session.copyIn. */
  | { readonly kind: 'copyIn'; readonly copy: CopyInRequest }
  /** COPY … TO STDOUT: the data, already formatted, one chunk per row (with its line end). */
  | {
      readonly kind: 'copyOut'
      readonly format: 'text' | 'csv' | 'binary'
      readonly columnCount: number
      readonly chunks: readonly Uint8Array[]
      readonly tag: string
    }
  /** An empty query string. */
  | { readonly kind: 'empty' }

/** A pending COPY FROM STDIN. */
export interface CopyInRequest {
  readonly format: 'text' | 'csv' | 'binary'
  readonly columnCount: number
  /** Opaque to the front; handed back to Session.copyIn. */
  readonly target: unknown
}

/** A statement prepared for the extended protocol (or PREPARE). */
export interface Prepared {
  readonly sql: string
  /** Types of $1…$n, inferred where the client sent 0. */
  readonly paramTypes: readonly SqlType[]
  /** Result columns, or null when the statement returns no rows. */
  readonly columns: readonly ResultColumn[] | null
}

/** A message PostgreSQL would send as NoticeResponse. */
export interface Notice {
  readonly severity: 'NOTICE' | 'WARNING' | 'INFO' | 'DEBUG' | 'LOG'
  readonly code: string
  readonly message: string
  readonly detail?: string
}

/** Options for a new session. */
export interface SessionOptions {
  readonly user: string
  readonly database: string
  readonly applicationName?: string
}

/** Transaction status as ReadyForQuery reports it: idle, in a transaction, in a failed transaction. */
export type TransactionStatus = 'I' | 'T' | 'E'

/** One client's session. */
export interface Session {
  readonly id: number
  /** Idle, in a transaction block, or in a failed transaction block. */
  readonly transactionStatus: TransactionStatus
  /**
   * Runs a simple-query string of one or more statements, yielding each statement's result in order.
   * On error it throws an EngineError after the earlier results were yielded; inside a transaction
   * block the transaction becomes failed ('E').
   */
  executeSimple(sql: string): AsyncGenerator<StatementResult>
  /** Parses and plans one statement with $n parameters; `paramTypeOids[i]` 0 means "infer". */
  prepare(sql: string, paramTypeOids: readonly number[]): Promise<Prepared>
  /** Runs a prepared statement with parameter values already decoded to the Prepared.paramTypes. */
  execute(prepared: Prepared, params: readonly Value[]): Promise<StatementResult>
  /** Finishes a COPY FROM STDIN with all its data; returns the number of rows loaded. */
  copyIn(request: CopyInRequest, data: Uint8Array): Promise<number>
  /** Cancels the statement running now, if any (it fails with 57014). */
  cancel(): void
  /** How values print as text now: the TimeZone setting and the catalog's names of reg* values. */
  outputContext(): FormatContext
  /** Current value of a setting (SHOW), or undefined if unknown. */
  getSetting(name: string): string | undefined
  /** Called when a setting the client tracks (ParameterStatus) changes. */
  onParameterStatus: ((name: string, value: string) => void) | undefined
  /** Called for each notice a statement raises. */
  onNotice: ((notice: Notice) => void) | undefined
  /** Called when another session ends this one (pg_terminate_backend): the connection closes with 57P01. */
  onTerminate: (() => void) | undefined
  /** Ends the session: rolls back an open transaction and frees its resources. */
  close(): void
}
