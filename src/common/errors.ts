/**
 * Engine errors. Every error Flint raises carries a PostgreSQL SQLSTATE `code`, so the wire server
 * can put it in ErrorResponse's `C` field and the CLI can print it. Foreign errors are wrapped where
 * they enter (parser in sql/, file readers in storage/, workers in exec/).
 */

/** Fields an error carries across the worker boundary and onto the wire. */
export interface ErrorData {
  readonly kind: ErrorKind
  readonly code: string
  readonly message: string
  /** 1-based character position in the statement text, for syntax and name errors. */
  readonly position?: number
  readonly detail?: string
  readonly hint?: string
}

/** The error classes' names, used to revive errors that crossed a worker boundary. */
export type ErrorKind =
  | 'ParseError'
  | 'PlanError'
  | 'NotImplementedError'
  | 'ExecutionError'
  | 'ResourcesExhaustedError'
  | 'QueryCanceledError'
  | 'TransactionError'
  | 'InternalError'
  | 'ProtocolError'

/** Base class of every error Flint raises on purpose. */
export abstract class EngineError extends Error {
  abstract readonly kind: ErrorKind
  readonly code: string
  position: number | undefined
  detail: string | undefined
  hint: string | undefined

  constructor(code: string, message: string, opts: { position?: number | undefined; detail?: string; hint?: string } = {}) {
    super(message)
    this.code = code
    this.position = opts.position
    this.detail = opts.detail
    this.hint = opts.hint
  }

  /** Plain-data form, safe to post across threads. */
  toJSON(): ErrorData {
    return {
      kind: this.kind,
      code: this.code,
      message: this.message,
      ...(this.position !== undefined ? { position: this.position } : {}),
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      ...(this.hint !== undefined ? { hint: this.hint } : {}),
    }
  }
}

/** The parser rejected the text (42601). */
export class ParseError extends EngineError {
  readonly kind = 'ParseError'
  constructor(message: string, position?: number) {
    super('42601', message, { position })
  }
}

/** The query is wrong: unknown table/column/function, type mismatch, grouping error. */
export class PlanError extends EngineError {
  readonly kind = 'PlanError'
}

/** Valid SQL that Flint does not support (0A000). */
export class NotImplementedError extends EngineError {
  readonly kind = 'NotImplementedError'
  constructor(message: string, position?: number) {
    super('0A000', message, { position })
  }
}

/** Bad data at run time: division by zero, overflow, invalid text for a type. */
export class ExecutionError extends EngineError {
  readonly kind = 'ExecutionError'
}

/** A memory or other resource budget was exceeded (53200). */
export class ResourcesExhaustedError extends EngineError {
  readonly kind = 'ResourcesExhaustedError'
  constructor(message: string) {
    super('53200', message)
  }
}

/** The statement was cancelled or timed out (57014). */
export class QueryCanceledError extends EngineError {
  readonly kind = 'QueryCanceledError'
  constructor(message = 'canceling statement due to user request') {
    super('57014', message)
  }
}

/** Transaction state errors (25P02 in a failed transaction, 25001, …). */
export class TransactionError extends EngineError {
  readonly kind = 'TransactionError'
}

/** A bug in Flint (XX000). */
export class InternalError extends EngineError {
  readonly kind = 'InternalError'
  constructor(message: string) {
    super('XX000', message)
  }
}

/** A malformed wire-protocol message (08P01). */
export class ProtocolError extends EngineError {
  readonly kind = 'ProtocolError'
  constructor(message: string) {
    super('08P01', message)
  }
}

/** SQLSTATE codes used in more than one place. */
export const SqlState = {
  undefinedTable: '42P01',
  undefinedColumn: '42703',
  ambiguousColumn: '42702',
  ambiguousFunction: '42725',
  undefinedFunction: '42883',
  datatypeMismatch: '42804',
  groupingError: '42803',
  duplicateTable: '42P07',
  duplicateColumn: '42701',
  duplicateObject: '42710',
  syntaxError: '42601',
  wrongObjectType: '42809',
  invalidTextRepresentation: '22P02',
  numericValueOutOfRange: '22003',
  sequenceGeneratorLimitExceeded: '2200H',
  divisionByZero: '22012',
  stringDataRightTruncation: '22001',
  notNullViolation: '23502',
  uniqueViolation: '23505',
  checkViolation: '23514',
  foreignKeyViolation: '23503',
  cardinalityViolation: '21000',
  invalidParameterValue: '22023',
  invalidDatetimeFormat: '22007',
  datetimeFieldOverflow: '22008',
  undefinedObject: '42704',
  invalidColumnReference: '42P10',
  undefinedParameter: '42P02',
  indeterminateDatatype: '42P18',
  invalidCursorName: '34000',
  invalidSqlStatementName: '26000',
  inFailedTransaction: '25P02',
  ioError: '58030',
  undefinedFile: '58P01',
  invalidSchemaName: '3F000',
  featureNotSupported: '0A000',
  dependentObjectsStillExist: '2BP01',
  invalidForeignKey: '42830',
  invalidEscapeSequence: '22025',
  invalidRegularExpression: '2201B',
  arraySubscriptError: '2202E',
  stringDataLengthMismatch: '22026',
  characterNotInRepertoire: '22021',
  invalidArgumentForLog: '2201E',
  invalidArgumentForPower: '2201F',
  windowingError: '42P20',
  nullValueNotAllowed: '22004',
  invalidPrecedingOrFollowingSize: '22013',
  invalidArgumentForNtile: '22014',
  invalidArgumentForNthValue: '22016',
  invalidRowCountInLimit: '2201W',
  invalidRowCountInResultOffset: '2201X',
  syntaxErrorOrAccessRule: '42000',
  objectNotInPrerequisiteState: '55000',
  invalidTransactionState: '25000',
  activeSqlTransaction: '25001',
  noActiveSqlTransaction: '25P01',
} as const

/** Shorthand constructors for the common plan errors. */
export const planError = (code: string, message: string, position?: number): PlanError =>
  new PlanError(code, message, { position })

/** Shorthand constructor for a run-time data error. */
export const execError = (code: string, message: string, detail?: string): ExecutionError =>
  new ExecutionError(code, message, detail !== undefined ? { detail } : {})

const classes: Record<ErrorKind, new (...args: never[]) => EngineError> = {
  ParseError,
  PlanError,
  NotImplementedError,
  ExecutionError,
  ResourcesExhaustedError,
  QueryCanceledError,
  TransactionError,
  InternalError,
  ProtocolError,
}

/** Rebuilds an EngineError of the right class from its plain-data form (after a worker boundary). */
export function reviveError(data: ErrorData): EngineError {
  const cls = classes[data.kind] ?? InternalError
  const err = Object.create(cls.prototype) as EngineError
  Object.assign(err, {
    name: data.kind,
    message: data.message,
    code: data.code,
    position: data.position,
    detail: data.detail,
    hint: data.hint,
  })
  err.stack = `${data.kind}: ${data.message}`
  return err
}

/** Turns anything thrown into an EngineError (unknown errors become InternalError). */
export function toEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e
  if (e instanceof RangeError && /Maximum call stack/.test(e.message)) {
    return new ExecutionError('54001', 'stack depth limit exceeded')
  }
  const message = e instanceof Error ? e.message : String(e)
  return new InternalError(`internal error: ${message}`)
}
