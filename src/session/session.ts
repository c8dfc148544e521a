/**
 * A session: runs statements against its view of the catalog (its open transaction's, or the
 * committed one), with statement-level atomicity, its settings, prepared statements and cursors.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import {
  EngineError,
  ExecutionError,
  execError,
  NotImplementedError,
  planError,
  PlanError,
  QueryCanceledError,
  SqlState,
  TransactionError,
  toEngineError,
} from '../common/errors.js'
import { T, typeName, type SqlType } from '../common/types.js'
import { valueAt, vectorFromValues, type Value } from '../common/value.js'
import { stringVector, type Batch } from '../common/vector.js'
import { CHUNK_ROWS, withRelation, type Catalog, type CatalogState, type ColumnDef, relationKey, schemaChange, splitRelationKey, withSchema, type SequenceEntry, type TableData, type TableDef, type TableEntry, type UniqueConstraint, type CheckConstraint, type IndexDef, tableIndexes } from '../catalog/catalog.js'
import { Binder, colOf, constantValue, STORED_TREE, storedTree, type BindEnv, type FileSchema, type TransientRelation } from '../binder/binder.js'
import { Scope, type CatalogIdentity } from '../binder/scope.js'
import type { ExecStats } from '../exec/executor.js'
import { concatBatches, evaluate as evaluateSync, takeBatch, type EvalEnv } from '../kernels/eval.js'
import type { SessionEffect, SessionInfo } from '../kernels/registry.js'
import { formatValue, type FormatContext } from '../kernels/format.js'
import { and, lit, visitExpr, type Expr } from '../logical/expr.js'
import { formatPlan } from '../logical/display.js'
import type { Field, LogicalPlan } from '../logical/plan.js'
import { optimize } from '../optimizer/optimizer.js'
import type { OptimizerContext } from '../optimizer/rule.js'
import { formatPhysical } from '../physical/display.js'
import { createPhysicalPlan, type PlannerOptions } from '../physical/planner.js'
import { lookupSystemTable } from '../catalog/system-tables.js'
import { SETTING_DISPLAY_NAMES } from '../catalog/pg-catalog.js'
import { NAMESPACE_OIDS, quoteIdent } from '../catalog/catalog-oids.js'
import { searchPath } from '../catalog/pg-functions.js'
import { catalogDigest, regOut } from '../catalog/system-catalog.js'
import { nodeBody, nodeTag, parseSql, stringValue, type Node } from '../sql/parse.js'
import { dialectFromSetting, parseForDialect } from '../sql/dialects.js'
import type { CopyInRequest, Notice, Prepared, ResultColumn, Session, SessionOptions, StatementResult, TransactionStatus } from './api.js'
import type { Engine } from './engine.js'
import { resolveFileSchemas } from './file-schemas.js'
import { appendRows, duplicateKey, replaceRows } from './table-data.js'
import { bindCheck, chooseConstraintName, enforceChecks } from './constraints.js'
import { applyReferentialActions, checkForeignKeys, hasReferentialActions, referencingForeignKeys, resolveForeignKey, type ActionHooks, type ForeignKeySpec } from './foreign-keys.js'
import { parseDelimited } from '../storage/delimited.js'
import { newSequenceCells, sharedCells, typeBounds, type SequenceEnv, type SequenceHandle } from '../common/sequence.js'
import { applySequenceOptions } from './sequence-options.js'
import { alterTable, renameTable, setTableSchema, type AlterTableContext } from './alter-table.js'

type N = any

/** Settings a session starts with (PostgreSQL 15's defaults as clients see them). */
const DEFAULT_SETTINGS: [string, string][] = [
  ['server_version', '15.0'],
  ['server_version_num', '150000'],
  ['server_encoding', 'UTF8'],
  ['client_encoding', 'UTF8'],
  ['datestyle', 'ISO, MDY'],
  ['intervalstyle', 'postgres'],
  ['timezone', 'UTC'],
  ['integer_datetimes', 'on'],
  ['standard_conforming_strings', 'on'],
  ['application_name', ''],
  ['search_path', '"$user", public'],
  ['extra_float_digits', '1'],
  ['client_min_messages', 'notice'],
  ['statement_timeout', '0'],
  ['transaction_isolation', 'read committed'],
  ['default_transaction_isolation', 'read committed'],
  ['max_identifier_length', '63'],
  ['is_superuser', 'on'],
  ['lc_collate', 'C'],
  ['lc_ctype', 'C'],
  ['flint.dialect', 'postgresql'],
]

/** Settings whose changes are reported to the client (ParameterStatus). */
const REPORTED = new Set(['client_encoding', 'datestyle', 'intervalstyle', 'timezone', 'application_name', 'standard_conforming_strings', 'integer_datetimes', 'is_superuser'])

/** Display names of reported settings, as PostgreSQL spells them. */

interface Txn {
  working: CatalogState
  readonly changed: Set<string>
  failed: boolean
  /** Its transaction id (txid_current). */
  readonly xid: number
  /** Values of settings changed for this transaction only (SET LOCAL, set_config(…, true)), to restore at its end. */
  readonly localSettings: Map<string, string | undefined>
  /** The settings when it began, restored when it rolls back. */
  readonly settingsAtBegin: ReadonlyMap<string, string>
}

interface Cursor {
  readonly columns: ResultColumn[]
  readonly rows: Batch
  pos: number
}

/** One client's session (see api.ts). */
export class FlintSession implements Session {
  onParameterStatus: ((name: string, value: string) => void) | undefined
  onNotice: ((notice: Notice) => void) | undefined
  onTerminate: (() => void) | undefined
  private readonly settings = new Map<string, string>(DEFAULT_SETTINGS)
  private txn: Txn | null = null
  private abort: AbortController | null = null
  private readonly prepared = new Map<string, { sql: string; node: Node; paramTypes: SqlType[] }>()
  private readonly cursors = new Map<string, Cursor>()
  /** This session's currval cells, by sequence OID, and its lastval cells. */
  private readonly sequenceCells = new Map<number, BigInt64Array>()
  private readonly lastvalCells = sharedCells()
  /** Transient relations allocated so far (their OIDs count down from -1). */
  private transientCount = 0
  /** Statistics of the last query run (tests and EXPLAIN ANALYZE use them). */
  lastStats: ExecStats | null = null
  /** The catalog of the database this session is connected to. */
  private readonly catalog: Catalog

  constructor(
    private readonly engine: Engine,
    readonly id: number,
    readonly opts: SessionOptions,
  ) {
    if (opts.applicationName) this.settings.set('application_name', opts.applicationName)
    this.catalog = engine.catalogFor(opts.database)
  }

  get transactionStatus(): TransactionStatus {
    return this.txn === null ? 'I' : this.txn.failed ? 'E' : 'T'
  }

  outputContext(): FormatContext {
    const state = this.state()
    return { timezone: this.settings.get('timezone') ?? 'UTC', regName: (type, oid) => regOut(state, type, oid) }
  }

  getSetting(name: string): string | undefined {
    return this.settings.get(name.toLowerCase())
  }

  cancel(): void {
    this.abort?.abort(new QueryCanceledError())
  }

  close(): void {
    this.txn = null
    this.engine.sessionClosed(this)
  }

  async *executeSimple(sql: string): AsyncGenerator<StatementResult> {
    const stmts = parseForDialect(sql, this.settings.get('flint.dialect') ?? 'postgresql')
    if (stmts.length === 0) {
      yield { kind: 'empty' }
      return
    }
    // several statements in one simple query run in one implicit transaction, as in PostgreSQL
    for (const s of stmts) yield await this.run(s.node, [], [])
  }

  async prepare(sql: string, paramTypeOids: readonly number[]): Promise<Prepared> {
    const stmts = parseForDialect(sql, this.settings.get('flint.dialect') ?? 'postgresql')
    if (stmts.length > 1) throw planError(SqlState.syntaxError, 'cannot insert multiple commands into a prepared statement')
    // a statement in another dialect is kept as its PostgreSQL translation, which execute() parses
    if (stmts[0]?.translated) sql = stmts[0].text
    const paramTypes: (SqlType | null)[] = paramTypeOids.map((o) => typeFromOid(o))
    if (stmts.length === 0) return { sql, paramTypes: [], columns: null }
    const node = stmts[0]!.node
    const columns = await this.describe(node, paramTypes)
    return { sql, paramTypes: paramTypes.map((t) => t ?? T.text), columns }
  }

  async execute(prepared: Prepared, params: readonly Value[]): Promise<StatementResult> {
    const stmts = parseSql(prepared.sql)
    if (stmts.length === 0) return { kind: 'empty' }
    return this.run(stmts[0]!.node, params, [...prepared.paramTypes])
  }

  async copyIn(request: CopyInRequest, data: Uint8Array): Promise<number> {
    const target = request.target as { table: string; columns: number[] }
    return this.atomically(async (state, changed) => {
      const rel = this.table(state, target.table)
      const types = target.columns.map((i) => rel.def.columns[i]!.type)
      const parsed = parseDelimited(data, types, { format: request.format === 'csv' ? 'csv' : 'text', header: (request.target as { header?: boolean }).header ?? false })
      const rows = this.fullRows(rel.def, target.columns, concatBatches(types, parsed))
      const next = appendRows(rel.data, rel.def, rows, CHUNK_ROWS, this.checkRows(state, rel.def))
      changed.add(target.table)
      return { state: withRelation(state, target.table, { ...rel, data: next }), result: rows.numRows }
    })
  }

  // ───────────────────────────── statement dispatch ─────────────────────────────

  private async run(node: Node, params: readonly Value[], paramTypes: (SqlType | null)[]): Promise<StatementResult> {
    const tag = nodeTag(node)
    const b = nodeBody<N>(node)
    if (this.txn?.failed && !(tag === 'TransactionStmt' && ['TRANS_STMT_ROLLBACK', 'TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK_TO'].includes(b.kind))) {
      throw new TransactionError(SqlState.inFailedTransaction, 'current transaction is aborted, commands ignored until end of transaction block')
    }
    const abort = new AbortController()
    this.abort = abort
    const timeout = Number(this.settings.get('statement_timeout') ?? '0')
    const timer = timeout > 0 ? setTimeout(() => abort.abort(new QueryCanceledError('canceling statement due to statement timeout')), timeout) : null
    try {
      const result = await this.dispatch(tag, b, params, paramTypes)
      // after the statement's own commit, which stores advanced counters too
      await this.engine.persistSequences()
      return result
    } catch (e) {
      if (this.txn) this.txn.failed = true
      throw toEngineError(e)
    } finally {
      if (timer) clearTimeout(timer)
      this.abort = null
    }
  }

  private async dispatch(tag: string, b: N, params: readonly Value[], paramTypes: (SqlType | null)[]): Promise<StatementResult> {
    switch (tag) {
      case 'SelectStmt':
        if (hasModifyingWith(b)) return this.modifyStatement(tag, b, params, paramTypes)
        return this.query(b, params, paramTypes)
      case 'InsertStmt':
      case 'UpdateStmt':
      case 'DeleteStmt':
      case 'MergeStmt':
        return this.modifyStatement(tag, b, params, paramTypes)
      case 'CreateStmt':
        return this.createTable(b)
      case 'AlterTableStmt':
        return this.atomically(async (state, changed) => alterTable(this.alterTableContext(), b, state, changed))
      case 'AlterObjectSchemaStmt':
        return this.atomically(async (state, changed) => setTableSchema(this.alterTableContext(), b, state, changed))
      case 'RenameStmt':
        return this.atomically(async (state, changed) => renameTable(this.alterTableContext(), b, state, changed))
      case 'CreateTableAsStmt':
        return this.createTableAs(b, params, paramTypes)
      case 'ViewStmt':
        return this.createView(b)
      case 'CreateSeqStmt':
        return this.createSequence(b)
      case 'AlterSeqStmt':
        return this.alterSequence(b)
      case 'IndexStmt':
        return this.createIndex(b)
      case 'DropStmt':
        return b.removeType === 'OBJECT_INDEX' ? this.dropIndexes(b) : this.drop(b)
      case 'TruncateStmt':
        return this.truncate(b)
      case 'TransactionStmt':
        return this.transaction(b)
      case 'VariableSetStmt':
        return this.set(b)
      case 'VariableShowStmt':
        return this.show(b.name)
      case 'ExplainStmt':
        return this.explain(b, params, paramTypes)
      case 'CopyStmt':
        return this.copy(b, params, paramTypes)
      case 'PrepareStmt': {
        if (this.prepared.has(b.name)) throw planError('42P05', `prepared statement "${b.name}" already exists`)
        const types: (SqlType | null)[] = ((b.argtypes ?? []) as N[]).map((t) => new Binder(this.bindEnv(this.state(), new Map(), [])).resolveTypeName(nodeBody<N>(t)))
        // parameters without a declared type take the type their use implies (text when none)
        await this.describe(b.query, types)
        this.prepared.set(b.name, { sql: '', node: b.query, paramTypes: types.map((t) => t ?? T.text) })
        return { kind: 'command', tag: 'PREPARE' }
      }
      case 'ExecuteStmt': {
        const p = this.prepared.get(b.name)
        if (!p) throw planError(SqlState.invalidSqlStatementName, `prepared statement "${b.name}" does not exist`)
        const binder = new Binder(this.bindEnv(this.state(), new Map(), []))
        const values = ((b.params ?? []) as N[]).map((x, i) => {
          const e = binder.coerce(binder.bindExpr(x, new Scope(null), null), p.paramTypes[i] ?? T.text, true)
          return this.constant(e)
        })
        return this.dispatch(nodeTag(p.node), nodeBody<N>(p.node), values, [...p.paramTypes])
      }
      case 'DeallocateStmt':
        if (b.isall || !b.name) this.prepared.clear()
        else if (!this.prepared.delete(b.name)) throw planError(SqlState.invalidSqlStatementName, `prepared statement "${b.name}" does not exist`)
        return { kind: 'command', tag: 'DEALLOCATE' }
      case 'DeclareCursorStmt':
        return this.declare(b, params, paramTypes)
      case 'FetchStmt':
        return this.fetch(b)
      case 'ClosePortalStmt':
        if (!b.portalname) this.cursors.clear()
        else if (!this.cursors.delete(b.portalname)) throw planError(SqlState.invalidCursorName, `cursor "${b.portalname}" does not exist`)
        return { kind: 'command', tag: 'CLOSE CURSOR' }
      case 'DiscardStmt':
        this.prepared.clear()
        this.cursors.clear()
        for (const [k, v] of DEFAULT_SETTINGS) this.settings.set(k, v)
        return { kind: 'command', tag: 'DISCARD ALL' }
      case 'VacuumStmt':
        return this.vacuum(b)
      case 'CreateSchemaStmt':
        return this.createSchema(b)
      case 'CreatedbStmt':
        if (this.txn) throw new TransactionError(SqlState.activeSqlTransaction, 'CREATE DATABASE cannot run inside a transaction block')
        await this.engine.createDatabase(b.dbname)
        return { kind: 'command', tag: 'CREATE DATABASE' }
      case 'DropdbStmt':
        if (this.txn) throw new TransactionError(SqlState.activeSqlTransaction, 'DROP DATABASE cannot run inside a transaction block')
        if (!(await this.engine.dropDatabase(b.dbname)) && !b.missing_ok) throw planError('3D000', `database "${b.dbname}" does not exist`)
        return { kind: 'command', tag: 'DROP DATABASE' }
      default:
        throw new NotImplementedError(`statement ${tag.replace(/Stmt$/, '')} is not supported`)
    }
  }

  // ───────────────────────────── state ─────────────────────────────

  private state(): CatalogState {
    return this.txn ? this.txn.working : this.catalog.snapshot()
  }

  /** Runs a writing statement on a private copy of the state and publishes it only on success. */
  private async atomically<R>(f: (state: CatalogState, changed: Set<string>) => Promise<{ state: CatalogState; result: R }>): Promise<R> {
    const changed = new Set<string>()
    const before = this.state()
    const { state, result } = await f(before, changed)
    checkForeignKeys(before, state)
    if (this.txn) {
      this.txn.working = state
      for (const c of changed) this.txn.changed.add(c)
    } else await this.catalog.commit(state, changed, checkForeignKeys)
    return result
  }

  private table(state: CatalogState, name: string): TableEntry {
    const rel = state.relations.get(name)
    if (!rel) throw planError(SqlState.undefinedTable, `relation "${name}" does not exist`)
    if (rel.kind !== 'table') throw planError(SqlState.wrongObjectType, `"${name}" is not a table`)
    if (rel.def.external) throw new NotImplementedError(`table "${name}" is read-only (backed by files)`)
    return rel
  }

  private bindEnv(state: CatalogState, fileSchemas: Map<string, FileSchema>, paramTypes: (SqlType | null)[]): BindEnv {
    return {
      catalog: state,
      fileSchemas,
      paramTypes,
      searchPath: this.userSearchPath(state),
      user: this.opts.user,
      database: this.opts.database,
      systemTable: (schema, name) => {
        const t = lookupSystemTable(schema, name)
        return t ? { key: `${t.schema}.${t.name}`, columns: t.columns } : undefined
      },
    }
  }

  private evalEnv(params: readonly Value[]): { now: number; timezone: string; params: readonly Value[]; settings: ReadonlyMap<string, string>; session: SessionInfo } {
    return {
      now: Date.now() * 1000,
      timezone: this.settings.get('timezone') ?? 'UTC',
      params,
      settings: this.settings,
      session: {
        user: this.opts.user,
        database: this.opts.database,
        schema: 'public',
        pid: this.id,
        backends: this.engine.sessionIds(),
        xid: this.txn?.xid ?? this.engine.allocateTransactionId(),
      },
    }
  }

  /** Applies what set_config / pg_cancel_backend / pg_terminate_backend asked for while a statement ran. */
  private applyEffects(effects: readonly SessionEffect[]): void {
    for (const e of effects) {
      if (e.kind === 'setting') {
        // a transaction-local setting outside a transaction block ends with the statement
        if (e.local && !this.txn) continue
        this.changeSetting(e.name.toLowerCase(), e.value, e.local)
      } else if (!this.engine.signalSession(e.pid, e.terminate)) {
        this.notice('01000', `PID ${e.pid} is not a PostgreSQL backend process`, 'WARNING')
      }
    }
  }

  /** Binds and optimises a SELECT. */
  private async plan(node: N, state: CatalogState, paramTypes: (SqlType | null)[]): Promise<{ logical: LogicalPlan; binder: Binder }> {
    const fileSchemas = await resolveFileSchemas(node)
    const binder = new Binder(this.bindEnv(state, fileSchemas, paramTypes))
    const plan = binder.bindSelect(node)
    return { logical: optimize(plan, this.optimizerContext(binder)), binder }
  }

  /** Runs a logical plan and returns all its rows as one batch. */
  private async runLogical(plan: LogicalPlan, state: CatalogState, params: readonly Value[], transient?: ReadonlyMap<number, readonly Batch[]>): Promise<Batch> {
    const physical = createPhysicalPlan(plan, state, { ...this.plannerOptions(state), ...(transient ? { transientData: transient } : {}) })
    const stats: ExecStats = { tasks: 0, workerThreads: new Set() }
    this.lastStats = stats
    const signal = this.abort?.signal ?? new AbortController().signal
    const effects: SessionEffect[] = []
    const sequences = this.sequenceEnv(state)
    const env = { ...this.evalEnv(params), catalog: catalogDigest(state), effects, ...(sequences ? { sequences } : {}) }
    const before = sequences && [...sequences.byOid.values()].map((h) => Atomics.load(h.cells, 0))
    const batches = await this.engine.executor.run(physical, env as EvalEnv, signal, stats)
    this.applyEffects(effects)
    if (sequences && [...sequences.byOid.values()].some((h, i) => Atomics.load(h.cells, 0) !== before![i])) this.engine.noteSequencesAdvanced()
    return concatBatches(plan.fields.map((f) => f.type), batches)
  }

  /** The sequences of `state` with this session's currval cells (undefined when there are none). */
  private sequenceEnv(state: CatalogState): SequenceEnv | undefined {
    const byOid = new Map<number, SequenceHandle>()
    for (const rel of state.relations.values()) {
      if (rel.kind !== 'sequence') continue
      let session = this.sequenceCells.get(rel.oid)
      if (!session) this.sequenceCells.set(rel.oid, (session = sharedCells()))
      byOid.set(rel.oid, { oid: rel.oid, name: rel.name, options: rel.options, cells: rel.cells, session })
    }
    return byOid.size ? { byOid, lastval: this.lastvalCells } : undefined
  }

  private optimizerContext(binder: Binder | null): OptimizerContext {
    const env = this.evalEnv([])
    return {
      newId: () => binder?.newId() ?? 0,
      evaluateConstant: (e) => valueAtExpr(e, { numRows: 1, columns: [] }, env),
    }
  }

  private plannerOptions(state: CatalogState): PlannerOptions {
    return {
      workers: this.engine.executor.workers,
      parallelThreshold: this.engine.parallelThreshold,
      systemData: (key) => {
        const [schema, name] = key.split('.') as [string, string]
        const t = lookupSystemTable(schema, name)!
        const rows = t.rows({ state, user: this.opts.user, database: this.opts.database, settings: this.settings })
        return { numRows: rows.length, columns: t.columns.map((c, i) => vectorFromValues(c.type, rows.map((r) => r[i] ?? null))) }
      },
    }
  }

  private constant(e: Expr): Value {
    const c = constantValue(e)
    if (c !== undefined && e.kind === 'Literal') return c
    const batch: Batch = { numRows: 1, columns: [] }
    // evaluate through the kernels (handles casts of literals)
    return valueAtExpr(e, batch, this.evalEnv([]))
  }

  // ───────────────────────────── queries ─────────────────────────────

  private async describe(node: Node, paramTypes: (SqlType | null)[]): Promise<ResultColumn[] | null> {
    const tag = nodeTag(node)
    const b = nodeBody<N>(node)
    if (tag === 'SelectStmt' && !hasModifyingWith(b)) {
      const { logical } = await this.plan(b, this.state(), paramTypes)
      return resultColumns(logical.fields)
    }
    if (tag === 'InsertStmt' || tag === 'UpdateStmt' || tag === 'DeleteStmt' || tag === 'MergeStmt' || tag === 'SelectStmt') {
      // bind to infer parameter types; no rows unless RETURNING
      const state = this.state()
      const { ctes } = await this.bindModifyingCtes(b.withClause, state, paramTypes)
      if (tag === 'SelectStmt') {
        const binder = new Binder({ ...this.bindEnv(state, await resolveFileSchemas(b), paramTypes), modifyingCtes: ctes })
        return resultColumns(binder.bindSelect(b).fields)
      }
      const bound = await this.bindModify(tag, b, state, paramTypes, ctes)
      return bound.returning ? resultColumns(bound.returning.plan.fields) : null
    }
    if (tag === 'VariableShowStmt') return [{ name: b.name, type: T.text, tableOid: 0, columnNumber: 0 }]
    if (tag === 'ExplainStmt') return [{ name: 'QUERY PLAN', type: T.text, tableOid: 0, columnNumber: 0 }]
    if (tag === 'FetchStmt') {
      const c = this.cursors.get(b.portalname)
      return c ? c.columns : null
    }
    return null
  }

  private async query(b: N, params: readonly Value[], paramTypes: (SqlType | null)[]): Promise<StatementResult> {
    const state = this.state()
    const { logical } = await this.plan(b, state, paramTypes)
    const rows = await this.runLogical(logical, state, params)
    return { kind: 'rows', tag: `SELECT ${rows.numRows}`, columns: resultColumns(logical.fields), batches: [rows], rowCount: rows.numRows }
  }

  private async explain(b: N, params: readonly Value[], paramTypes: (SqlType | null)[]): Promise<StatementResult> {
    const opts = new Set(((b.options ?? []) as N[]).map((o) => nodeBody<N>(o).defname as string))
    if (nodeTag(b.query) !== 'SelectStmt') throw new NotImplementedError('EXPLAIN supports SELECT statements')
    const state = this.state()
    const fileSchemas = await resolveFileSchemas(nodeBody<N>(b.query))
    const binder = new Binder(this.bindEnv(state, fileSchemas, paramTypes))
    const bound = binder.bindSelect(nodeBody<N>(b.query))
    const logical = optimize(bound, this.optimizerContext(binder))
    const physical = createPhysicalPlan(logical, state, this.plannerOptions(state))
    let text = ''
    if (opts.has('verbose')) text += 'Bound plan:\n' + formatPlan(bound)
    text += 'Logical plan:\n' + formatPlan(logical) + 'Physical plan:\n' + formatPhysical(physical)
    if (opts.has('analyze')) {
      const t0 = performance.now()
      const rows = await this.runLogical(logical, state, params)
      const ms = performance.now() - t0
      text += `Execution: ${rows.numRows} rows in ${ms.toFixed(1)} ms, ${this.lastStats?.tasks ?? 0} tasks on ${this.lastStats?.workerThreads.size ?? 0} worker threads\n`
    }
    const lines = text.trimEnd().split('\n')
    return { kind: 'rows', tag: `EXPLAIN`, columns: [{ name: 'QUERY PLAN', type: T.text, tableOid: 0, columnNumber: 0 }], batches: [{ numRows: lines.length, columns: [stringVector(T.text, lines)] }], rowCount: lines.length }
  }

  // ───────────────────────────── DML ─────────────────────────────

  /** A fresh OID for a transient relation of one statement (negative: never a catalog OID). */
  private transientOid(): number {
    return -++this.transientCount
  }

  /**
   * Binds INSERT/UPDATE/DELETE against `state`, with `outerWith` (the enclosing statement's WITH,
   * for a data-modifying WITH query) and the results of data-modifying WITH queries run before it.
   */
  private async bindModify(tag: string, b: N, state: CatalogState, paramTypes: (SqlType | null)[], ctes: ReadonlyMap<string, TransientRelation>, outerWith: N = null): Promise<BoundModify> {
    const key = this.relationKeyOf(state, b.relation, false)
    const rel = this.table(state, key)
    const fileSchemas = b.selectStmt ? await resolveFileSchemas(nodeBody<N>(b.selectStmt)) : new Map<string, FileSchema>()
    const binder = new Binder({ ...this.bindEnv(state, fileSchemas, paramTypes), modifyingCtes: ctes })
    const bind = (): BoundModify =>
      tag === 'InsertStmt' ? this.bindInsert(binder, b, rel) : tag === 'MergeStmt' ? this.bindMerge(binder, b, rel) : this.bindUpdateDelete(binder, tag, b, rel)
    const bound = binder.withCtes(outerWith, () => binder.withCtes(b.withClause, bind))
    const ctx = this.optimizerContext(binder)
    return { ...bound, table: key, plan: optimize(bound.plan, ctx), returning: bound.returning && { ...bound.returning, plan: optimize(bound.returning.plan, ctx) } }
  }

  /** INSERT: a plan of the new rows in table column order; RETURNING binds over them. */
  private bindInsert(binder: Binder, b: N, rel: TableEntry): BoundModify {
    const def = rel.def
    const name = def.name
    const cols: number[] = b.cols
      ? (b.cols as N[]).map((c) => {
          const n = nodeBody<N>(c).name as string
          const i = def.columns.findIndex((x) => x.name === n)
          if (i < 0) throw planError(SqlState.undefinedColumn, `column "${n}" of relation "${name}" does not exist`)
          return i
        })
      : def.columns.map((_, i) => i)
    if (new Set(cols).size !== cols.length) throw planError(SqlState.duplicateColumn, 'column specified more than once')
    const fields = (): Field[] => def.columns.map((c) => ({ id: binder.newId(), name: c.name, type: c.type }))
    const sel = b.selectStmt ? nodeBody<N>(b.selectStmt) : null
    let plan: LogicalPlan
    if (!sel) plan = { kind: 'Values', rows: [def.columns.map((c) => this.defaultExpr(binder, c))], fields: fields() }
    else if (sel.valuesLists && (!sel.op || sel.op === 'SETOP_NONE') && !sel.withClause && !sel.sortClause && !sel.limitCount) {
      // VALUES rows: DEFAULT allowed; each value coerced to its column's type (assignment)
      const rows: Expr[][] = (sel.valuesLists as N[]).map((l) => {
        const items = nodeBody<N>(l).items as N[]
        if (items.length > cols.length) throw planError(SqlState.syntaxError, 'INSERT has more expressions than target columns')
        if (items.length < cols.length && b.cols) throw planError(SqlState.syntaxError, 'INSERT has more target columns than expressions')
        return def.columns.map((c, ci) => {
          const k = cols.indexOf(ci)
          if (k < 0 || k >= items.length || nodeTag(items[k]) === 'SetToDefault') return this.defaultExpr(binder, c)
          return binder.coerce(binder.bindExpr(items[k], new Scope(null), null), c.type, true)
        })
      })
      plan = { kind: 'Values', rows, fields: fields() }
    } else {
      const q = binder.bindSelect(sel)
      if (q.fields.length > cols.length) throw planError(SqlState.syntaxError, 'INSERT has more expressions than target columns')
      // without a column list, fewer values than columns leave the rest to their defaults
      if (q.fields.length < cols.length && b.cols) throw planError(SqlState.syntaxError, 'INSERT has more target columns than expressions')
      const exprs = def.columns.map((c, ci) => {
        const k = cols.indexOf(ci)
        if (k < 0 || k >= q.fields.length) return this.defaultExpr(binder, c)
        return binder.coerce(colOf(q.fields[k]!), c.type, true)
      })
      plan = { kind: 'Projection', input: q, exprs, fields: fields() }
    }
    let returning: BoundModify['returning'] = null
    if (b.returningClause?.exprs) {
      const inserted: TransientRelation = { oid: this.transientOid(), name, columns: def.columns }
      const scope = new Scope(null)
      const scan = binder.bindTransient(inserted, b.relation.alias?.aliasname ?? name, scope, 0, targetOf(def, b.relation))
      returning = { plan: binder.bindReturning(b.returningClause?.exprs, scan, scope), inserted }
    }
    return { kind: 'insert', table: name, plan, target: null, returning }
  }

  /**
   * UPDATE/DELETE: the target table (with its row numbers) joined with the FROM/USING items and
   * filtered by WHERE. UPDATE's plan yields [row number, new column values…, RETURNING values…],
   * DELETE's [row number, RETURNING values…]; a row number may repeat when several FROM rows match.
   */
  private bindUpdateDelete(binder: Binder, tag: string, b: N, rel: TableEntry): BoundModify {
    const def = rel.def
    const name = def.name
    const alias: string = b.relation.alias?.aliasname ?? name
    const target: TransientRelation = { oid: this.transientOid(), name, columns: [...def.columns, { name: ROW_NUMBER, type: T.int4 }] }
    const scope = new Scope(null)
    const catalog = targetOf(def, b.relation)
    const scan = binder.bindTransient(target, alias, scope, 1, catalog)
    const rowNumber = scan.fields[scan.fields.length - 1]!
    const oldFields = scan.fields.slice(0, -1)
    const others: LogicalPlan | null = (b.fromClause ?? b.usingClause)?.length ? binder.bindFrom(b.fromClause ?? b.usingClause, scope) : null
    let plan: LogicalPlan = others ? { kind: 'Join', joinType: 'cross', left: scan, right: others, on: null, fields: [...scan.fields, ...others.fields] } : scan
    if (b.whereClause) plan = { kind: 'Filter', input: plan, predicate: binder.bindPredicate(b.whereClause, scope, null, 'WHERE'), fields: plan.fields }
    if (tag === 'DeleteStmt') {
      const ret = b.returningClause?.exprs ? binder.bindReturning(b.returningClause?.exprs, plan, scope) : null
      const exprs = [colOf(rowNumber), ...(ret?.kind === 'Projection' ? ret.exprs : [])]
      const fields = [{ ...rowNumber, id: binder.newId() }, ...(ret ? ret.fields : [])]
      return { kind: 'delete', table: name, plan: { kind: 'Projection', input: plan, exprs, fields }, target, returning: ret && { plan: ret } }
    }
    const sets = this.bindAssignments(binder, b.targetList, def, scope)
    const newFields: Field[] = oldFields.map((f) => ({ ...f, id: binder.newId() }))
    // RETURNING may also name the FROM items' columns: they pass through
    const passThrough = b.returningClause?.exprs ? plan.fields.filter((f) => f.id !== rowNumber.id && !oldFields.includes(f)) : []
    const updated: LogicalPlan = {
      kind: 'Projection',
      input: plan,
      exprs: [colOf(rowNumber), ...oldFields.map((f, i) => sets.get(i) ?? colOf(f)), ...passThrough.map(colOf)],
      fields: [rowNumber, ...newFields, ...passThrough],
    }
    if (!b.returningClause?.exprs) return { kind: 'update', table: name, plan: updated, target, returning: null }
    // RETURNING sees the target's new values and the FROM items' columns
    const retScope = new Scope(null)
    retScope.add({ alias, fields: newFields, catalog })
    for (const r of scope.relations) if (!r.fields.some((f) => oldFields.includes(f))) retScope.add(r)
    for (const [k, v] of scope.merged) retScope.merged.set(k, v)
    const ret = binder.bindReturning(b.returningClause?.exprs, updated, retScope)
    const exprs = [colOf(rowNumber), ...newFields.map(colOf), ...(ret.kind === 'Projection' ? ret.exprs : [])]
    return { kind: 'update', table: name, plan: { kind: 'Projection', input: updated, exprs, fields: [{ ...rowNumber, id: binder.newId() }, ...newFields.map((f) => ({ ...f, id: binder.newId() })), ...ret.fields] }, target, returning: { plan: ret } }
  }

  /**
   * MERGE: the source left-joined to the target (with its row numbers) on the join condition;
   * each row takes the first WHEN clause that applies. The plan yields [target row number (null
   * when not matched), clause index (-1: none), the target row's new values or the inserted row].
   */
  private bindMerge(binder: Binder, b: N, rel: TableEntry): BoundModify {
    if (b.returningClause) throw new NotImplementedError('MERGE … RETURNING is not supported')
    const def = rel.def
    const alias: string = b.relation.alias?.aliasname ?? def.name
    const target: TransientRelation = { oid: this.transientOid(), name: def.name, columns: [...def.columns, { name: ROW_NUMBER, type: T.int4 }] }
    const scope = new Scope(null)
    const source = binder.bindFrom([b.sourceRelation], scope)
    if (scope.relations.some((r) => r.alias === alias)) {
      throw new PlanError('42712', `name "${alias}" specified more than once`, { detail: 'The name is used both as MERGE target table and data source.' })
    }
    const scan = binder.bindTransient(target, alias, scope, 1, targetOf(def, b.relation))
    const rowNumber = scan.fields[scan.fields.length - 1]!
    const oldFields = scan.fields.slice(0, -1)
    const targetIds = new Set(scan.fields.map((f) => f.id))
    const on = binder.bindPredicate(b.joinCondition, scope, null, 'JOIN/ON')
    const joined: LogicalPlan = { kind: 'Join', joinType: 'left', left: source, right: scan, on, fields: [...source.fields, ...scan.fields] }
    const isTrue = (e: Expr): Expr => ({ kind: 'IsBool', arg: e, test: 'true', negated: false, type: T.bool })
    const actions: MergeAction[] = []
    const whens: { when: Expr; then: Expr }[] = []
    const values: Expr[][] = []
    for (const c of (b.mergeWhenClauses ?? []) as N[]) {
      const w = nodeBody<N>(c)
      if (w.matchKind === 'MERGE_WHEN_NOT_MATCHED_BY_SOURCE') throw new NotImplementedError('MERGE … WHEN NOT MATCHED BY SOURCE is not supported')
      const matched = w.matchKind === 'MERGE_WHEN_MATCHED'
      // a NOT MATCHED clause has no target row: it may read the source only
      const checked = (e: Expr): Expr => {
        if (!matched) {
          visitExpr(e, (x) => {
            if (x.kind === 'Column' && targetIds.has(x.id)) throw planError(SqlState.undefinedTable, `invalid reference to FROM-clause entry for table "${alias}"`)
          })
        }
        return e
      }
      const matchTest: Expr = { kind: 'IsNull', arg: colOf(rowNumber), negated: matched, type: T.bool }
      const when = w.condition ? and([matchTest, isTrue(checked(binder.bindPredicate(w.condition, scope, null, 'WHEN')))]) : matchTest
      whens.push({ when, then: lit(actions.length, T.int4) })
      const action: MergeAction = w.commandType === 'CMD_UPDATE' ? 'update' : w.commandType === 'CMD_DELETE' ? 'delete' : w.commandType === 'CMD_INSERT' ? 'insert' : 'nothing'
      actions.push(action)
      if (action === 'update') {
        const sets = this.bindAssignments(binder, w.targetList, def, scope)
        values.push(oldFields.map((f, i) => sets.get(i) ?? colOf(f)))
      } else if (action === 'insert') {
        const cols = ((w.targetList ?? []) as N[]).map((t) => this.columnIndex(def, nodeBody<N>(t).name))
        const items = (w.values ?? []) as N[]
        if (items.length > (cols.length || def.columns.length)) throw planError(SqlState.syntaxError, 'INSERT has more expressions than target columns')
        if (cols.length && items.length < cols.length) throw planError(SqlState.syntaxError, 'INSERT has more target columns than expressions')
        values.push(
          def.columns.map((c, ci) => {
            const k = cols.length ? cols.indexOf(ci) : ci
            if (k < 0 || k >= items.length || nodeTag(items[k]) === 'SetToDefault') return this.defaultExpr(binder, c)
            return binder.coerce(checked(binder.bindExpr(items[k], scope, null)), c.type, true)
          }),
        )
      } else values.push([])
    }
    const actionField: Field = { id: binder.newId(), name: '__action', type: T.int4 }
    const chosen: LogicalPlan = {
      kind: 'Projection',
      input: joined,
      exprs: [...joined.fields.map(colOf), { kind: 'Case', whens, otherwise: lit(-1, T.int4), type: T.int4 }],
      fields: [...joined.fields, actionField],
    }
    const isAction = (i: number): Expr => binder.comparison('=', colOf(actionField), lit(i, T.int4))
    const exprs = def.columns.map((c, j): Expr => {
      const cases = values.flatMap((v, i) => (v.length ? [{ when: isAction(i), then: v[j]! }] : []))
      return cases.length ? { kind: 'Case', whens: cases, otherwise: lit(null, c.type), type: c.type } : lit(null, c.type)
    })
    const plan: LogicalPlan = {
      kind: 'Projection',
      input: chosen,
      exprs: [colOf(rowNumber), colOf(actionField), ...exprs],
      fields: [{ ...rowNumber, id: binder.newId() }, { ...actionField, id: binder.newId() }, ...oldFields.map((f) => ({ ...f, id: binder.newId() }))],
    }
    return { kind: 'merge', table: def.name, plan, target, returning: null, actions }
  }

  /** The index of a table's column by name (42703 when it has none). */
  private columnIndex(def: TableDef, name: string): number {
    const i = def.columns.findIndex((c) => c.name === name)
    if (i < 0) throw planError(SqlState.undefinedColumn, `column "${name}" of relation "${def.name}" does not exist`)
    return i
  }

  /** UPDATE's SET list (also MERGE's): the new value of each assigned column, by column index. */
  private bindAssignments(binder: Binder, targetList: N[], def: TableDef, scope: Scope): Map<number, Expr> {
    const sets = new Map<number, Expr>()
    for (const t of targetList) {
      const rt = nodeBody<N>(t)
      const i = this.columnIndex(def, rt.name)
      if (rt.indirection) throw new NotImplementedError('UPDATE of array elements or fields is not supported')
      if (nodeTag(rt.val) === 'MultiAssignRef') throw new NotImplementedError('UPDATE … SET (columns) = (values) is not supported')
      if (sets.has(i)) throw planError(SqlState.syntaxError, `multiple assignments to same column "${rt.name}"`)
      const c = def.columns[i]!
      sets.set(i, nodeTag(rt.val) === 'SetToDefault' ? this.defaultExpr(binder, c) : binder.coerce(binder.bindExpr(rt.val, scope, null), c.type, true))
    }
    return sets
  }

  /** The table's CHECK constraints as a test of new rows (23514), bound against `state`. */
  private checkRows(state: CatalogState, def: TableDef): (rows: Batch) => void {
    if (!def.checks?.length) return () => {}
    const binder = new Binder(this.bindEnv(state, new Map(), []))
    const env = this.evalEnv([])
    return (rows) => enforceChecks(binder, def, rows, env)
  }

  /** How referential actions rewrite a referencing table (with its constraints checked) and evaluate its column defaults. */
  private actionHooks(state: CatalogState): ActionHooks {
    const binder = new Binder(this.bindEnv(state, new Map(), []))
    const env = this.evalEnv([])
    return {
      rewrite: (def, rows) => replaceRows(def, rows, CHUNK_ROWS, this.checkRows(state, def)),
      defaultOf: (def, column) => evaluateSync(this.defaultExpr(binder, def.columns[column]!), { numRows: 1, columns: [] }, env),
    }
  }

  /** Runs a bound INSERT/UPDATE/DELETE against `state`: the table's new data, the row count and the RETURNING rows. */
  private async executeModify(bound: BoundModify, state: CatalogState, params: readonly Value[], transient: Map<number, readonly Batch[]>): Promise<ModifyOutcome> {
    const rel = this.table(state, bound.table)
    const types = rel.def.columns.map((c) => c.type)
    if (bound.kind === 'insert') {
      const rows = await this.runLogical(bound.plan, state, params, transient)
      const data = appendRows(rel.data, rel.def, rows, CHUNK_ROWS, this.checkRows(state, rel.def))
      let returning: Batch | null = null
      if (bound.returning) {
        transient.set(bound.returning.inserted!.oid, [rows])
        returning = await this.runLogical(bound.returning.plan, state, params, transient)
      }
      return { table: bound.table, data, count: rows.numRows, returning }
    }
    transient.set(bound.target!.oid, withRowNumbers(rel.data.chunks))
    const out = await this.runLogical(bound.plan, state, params, transient)
    if (bound.kind === 'merge') return this.applyMerge(bound, rel, out, this.checkRows(state, rel.def))
    // the first output row of each target row wins (PostgreSQL updates a row once however many FROM rows match)
    const numbers = out.columns[0]!.values as Int32Array
    const firstHit = new Int32Array(rel.data.rowCount).fill(-1)
    const hits: number[] = []
    for (let k = 0; k < out.numRows; k++) {
      const r = numbers[k]!
      if (firstHit[r] === -1) {
        firstHit[r] = k
        hits.push(k)
      }
    }
    const width = bound.kind === 'update' ? types.length : 0
    const returning = bound.returning ? takeBatch({ numRows: out.numRows, columns: out.columns.slice(1 + width) }, hits) : null
    const all = concatBatches(types, rel.data.chunks)
    let next: Batch
    if (bound.kind === 'delete') {
      const kept: number[] = []
      for (let r = 0; r < all.numRows; r++) if (firstHit[r] === -1) kept.push(r)
      next = takeBatch(all, kept)
    } else {
      const both = concatBatches(types, [all, { numRows: out.numRows, columns: out.columns.slice(1, 1 + width) }])
      next = takeBatch(both, Int32Array.from(firstHit, (k, r) => (k === -1 ? r : all.numRows + k)))
    }
    const data = hits.length === 0 ? rel.data : replaceRows(rel.def, next, CHUNK_ROWS, this.checkRows(state, rel.def))
    return { table: bound.table, data, count: hits.length, returning }
  }

  /** MERGE's effect from its plan's rows (see bindMerge): each target row is changed at most once (21000). */
  private applyMerge(bound: BoundModify, rel: TableEntry, out: Batch, checkRows: (rows: Batch) => void): ModifyOutcome {
    const types = rel.def.columns.map((c) => c.type)
    const numbers = out.columns[0]!.values as Int32Array
    const chosen = out.columns[1]!.values as Int32Array
    const all = concatBatches(types, rel.data.chunks)
    const fate = new Int32Array(all.numRows).fill(-1) // -1 kept, -2 deleted, k ≥ 0 updated from output row k
    const touched = new Uint8Array(all.numRows)
    const inserted: number[] = []
    let count = 0
    for (let k = 0; k < out.numRows; k++) {
      const a = chosen[k]!
      const action = a < 0 ? 'nothing' : bound.actions![a]!
      if (action === 'nothing') continue
      count++
      if (action === 'insert') {
        inserted.push(all.numRows + k)
        continue
      }
      const r = numbers[k]!
      if (touched[r]) {
        throw new ExecutionError(SqlState.cardinalityViolation, 'MERGE command cannot affect row a second time', { hint: 'Ensure that not more than one source row matches any one target row.' })
      }
      touched[r] = 1
      fate[r] = action === 'delete' ? -2 : k
    }
    const idx: number[] = []
    for (let r = 0; r < all.numRows; r++) if (fate[r] !== -2) idx.push(fate[r]! >= 0 ? all.numRows + fate[r]! : r)
    idx.push(...inserted)
    const both = concatBatches(types, [all, { numRows: out.numRows, columns: out.columns.slice(2) }])
    const data = count === 0 ? rel.data : replaceRows(rel.def, takeBatch(both, idx), CHUNK_ROWS, checkRows)
    return { table: bound.table, data, count, returning: null }
  }

  /**
   * Binds a statement's data-modifying WITH queries in order, each against the statement's snapshot;
   * the RETURNING rows of each become a transient relation the later parts can read by its name.
   */
  private async bindModifyingCtes(withClause: N, state: CatalogState, paramTypes: (SqlType | null)[]): Promise<{ parts: { bound: BoundModify; rows: TransientRelation | null }[]; ctes: Map<string, TransientRelation> }> {
    const parts: { bound: BoundModify; rows: TransientRelation | null }[] = []
    const ctes = new Map<string, TransientRelation>()
    for (const c of (withClause?.ctes ?? []) as N[]) {
      const cte = nodeBody<N>(c)
      const tag = nodeTag(cte.ctequery)
      if (tag === 'SelectStmt') continue
      const bound = await this.bindModify(tag, nodeBody<N>(cte.ctequery), state, paramTypes, ctes, withClause)
      let rows: TransientRelation | null = null
      if (bound.returning) {
        const names: string[] = ((cte.aliascolnames ?? []) as N[]).map((n) => stringValue(n))
        rows = { oid: this.transientOid(), name: cte.ctename, columns: bound.returning.plan.fields.map((f, i) => ({ name: names[i] ?? f.name, type: f.type })) }
        ctes.set(cte.ctename, rows)
      }
      parts.push({ bound, rows })
    }
    return { parts, ctes }
  }

  /**
   * Runs INSERT/UPDATE/DELETE, or a query with data-modifying WITH queries, as one atomic statement.
   * Every part reads the state from before the statement (PostgreSQL's snapshot semantics); the
   * WITH queries run first, each once, and their RETURNING rows feed the references to them.
   */
  private async modifyStatement(tag: string, b: N, params: readonly Value[], paramTypes: (SqlType | null)[]): Promise<StatementResult> {
    if (b.onConflictClause) throw new NotImplementedError('INSERT … ON CONFLICT is not supported')
    return this.atomically(async (state, changed) => {
      const transient = new Map<number, readonly Batch[]>()
      let next = state
      const apply = (o: ModifyOutcome, kind: BoundModify['kind']): void => {
        if (changed.has(o.table)) throw new NotImplementedError(`modifying table "${o.table}" more than once in a statement is not supported`)
        changed.add(o.table)
        const old = this.table(state, o.table)
        next = withRelation(next, o.table, { ...old, data: o.data })
        if (kind === 'insert' || o.data === old.data || !hasReferentialActions(next, o.table)) return
        if (kind === 'merge') throw new NotImplementedError('MERGE into a table referenced by a foreign key with ON DELETE/ON UPDATE actions is not supported')
        next = applyReferentialActions(next, o.table, old, kind, changed, this.actionHooks(state))
      }
      const { parts, ctes } = await this.bindModifyingCtes(b.withClause, state, paramTypes)
      for (const part of parts) {
        const outcome = await this.executeModify(part.bound, state, params, transient)
        apply(outcome, part.bound.kind)
        if (part.rows) transient.set(part.rows.oid, [outcome.returning!])
      }
      if (tag === 'SelectStmt') {
        const fileSchemas = await resolveFileSchemas(b)
        const binder = new Binder({ ...this.bindEnv(state, fileSchemas, paramTypes), modifyingCtes: ctes })
        const logical = optimize(binder.bindSelect(b), this.optimizerContext(binder))
        const rows = await this.runLogical(logical, state, params, transient)
        return { state: next, result: { kind: 'rows', tag: `SELECT ${rows.numRows}`, columns: resultColumns(logical.fields), batches: [rows], rowCount: rows.numRows } as StatementResult }
      }
      const bound = await this.bindModify(tag, b, state, paramTypes, ctes)
      const outcome = await this.executeModify(bound, state, params, transient)
      apply(outcome, bound.kind)
      const commandTag = `${bound.kind === 'insert' ? 'INSERT 0' : bound.kind.toUpperCase()} ${outcome.count}`
      const result: StatementResult = outcome.returning
        ? { kind: 'rows', tag: commandTag, columns: resultColumns(bound.returning!.plan.fields), batches: [outcome.returning], rowCount: outcome.returning.numRows }
        : { kind: 'command', tag: commandTag }
      return { state: next, result }
    })
  }

  private defaultExpr(binder: Binder, c: ColumnDef): Expr {
    if (c.defaultSql === null) return lit(null, c.type)
    return binder.coerce(binder.bindExpr(storedTree(c.defaultSql), new Scope(null), null), c.type, true)
  }

  // ───────────────────────────── DDL ─────────────────────────────

  private async createTable(b: N): Promise<StatementResult> {
    const name = b.relation.relname as string
    return this.atomically(async (state, changed) => {
      const key = this.relationKeyOf(state, b.relation, true)
      const schema = splitRelationKey(key).schema
      const skipped = this.whenExists(state, key, b.if_not_exists, 'CREATE TABLE')
      if (skipped) return { state, result: skipped }
      const binder = new Binder(this.bindEnv(state, new Map(), []))
      const columns: ColumnDef[] = []
      const sequences: SequenceEntry[] = []
      let primaryKey: number[] | null = null
      const pkNames: string[] = []
      const uniqueSpecs: { name: string | null; columns: string[] }[] = []
      const checkSpecs: { name: string | null; expr: N; column: string | null }[] = []
      const foreignSpecs: { spec: ForeignKeySpec; table: N }[] = []
      for (const el of (b.tableElts ?? []) as N[]) {
        const tag = nodeTag(el)
        const e = nodeBody<N>(el)
        if (tag === 'ColumnDef') {
          if (columns.some((c) => c.name === e.colname)) throw planError(SqlState.duplicateColumn, `column "${e.colname}" specified more than once`)
          const serial = serialType(e.typeName)
          const type = serial ?? binder.resolveTypeName(e.typeName)
          let notNull = !!e.is_not_null
          let defaultSql: string | null = null
          if (serial) {
            // serial: an owned sequence and DEFAULT nextval('<table>_<column>_seq'::regclass)
            const seqName = uniqueRelationName(state, schema, sequences, `${name}_${e.colname}_seq`)
            const { options } = applySequenceOptions([], null)
            const seqOptions = { ...options, type: serial.id as 'int2' | 'int4' | 'int8', max: typeBounds(serial.id as 'int2' | 'int4' | 'int8')[1] }
            sequences.push({ kind: 'sequence', oid: this.catalog.allocateOid(), name: seqName, options: seqOptions, cells: newSequenceCells(seqOptions), ownedBy: { table: key, column: e.colname } })
            const qualified = schema === 'public' ? quoteIdent(seqName) : `${quoteIdent(schema)}.${quoteIdent(seqName)}`
            defaultSql = deparseDefault(parseExpression(`nextval(${quoteLiteral(qualified)}::regclass)`))
            notNull = true
          }
          for (const c of (e.constraints ?? []) as N[]) {
            const con = nodeBody<N>(c)
            refuseUnenforcedConstraint(con)
            if (con.contype === 'CONSTR_NOTNULL') notNull = true
            else if (con.contype === 'CONSTR_PRIMARY') {
              notNull = true
              pkNames.push(e.colname)
            } else if (con.contype === 'CONSTR_DEFAULT') {
              if (serial) throw planError(SqlState.syntaxError, `multiple default values specified for column "${e.colname}" of table "${name}"`)
              checkDefault(binder, con.raw_expr, type)
              defaultSql = deparseDefault(con.raw_expr)
            }
            else if (con.contype === 'CONSTR_UNIQUE') uniqueSpecs.push({ name: con.conname ?? null, columns: [e.colname] })
            else if (con.contype === 'CONSTR_CHECK') checkSpecs.push({ name: con.conname ?? null, expr: con.raw_expr, column: e.colname })
            else if (con.contype === 'CONSTR_FOREIGN') foreignSpecs.push(foreignKeySpec(con, [e.colname]))
          }
          columns.push({ name: e.colname, type, notNull, defaultSql })
        } else if (tag === 'Constraint') {
          refuseUnenforcedConstraint(e)
          if (e.contype === 'CONSTR_PRIMARY') for (const k of e.keys ?? []) pkNames.push(stringValue(k))
          else if (e.contype === 'CONSTR_UNIQUE') uniqueSpecs.push({ name: e.conname ?? null, columns: (e.keys ?? []).map(stringValue) })
          else if (e.contype === 'CONSTR_CHECK') checkSpecs.push({ name: e.conname ?? null, expr: e.raw_expr, column: null })
          else if (e.contype === 'CONSTR_FOREIGN') foreignSpecs.push(foreignKeySpec(e, (e.fk_attrs ?? []).map(stringValue)))
        } else throw new NotImplementedError(`table element ${tag} is not supported`)
      }
      if (pkNames.length) {
        primaryKey = pkNames.map((n) => {
          const i = columns.findIndex((c) => c.name === n)
          if (i < 0) throw planError(SqlState.undefinedColumn, `column "${n}" named in key does not exist`)
          columns[i] = { ...columns[i]!, notNull: true }
          return i
        })
      }
      const { uniques, checks } = tableConstraints(binder, name, columns, uniqueSpecs, checkSpecs, () => this.catalog.allocateOid(), relationNamesIn(state, schema))
      let def: TableDef = { oid: this.catalog.allocateOid(), name, columns, primaryKey, ...(uniques.length ? { uniques } : {}), ...(checks.length ? { checks } : {}), external: null }
      if (foreignSpecs.length) {
        const taken = new Set([...uniques, ...checks].map((c) => c.name))
        const foreignKeys = foreignSpecs.map(({ spec, table }) => {
          const named = this.relationKeyOf(state, table, false)
          const refKey = !state.relations.has(named) && table.relname === name && (!table.schemaname || table.schemaname === schema) ? key : named
          const ref = state.relations.get(refKey)
          if (refKey !== key && !ref) throw planError(SqlState.undefinedTable, `relation "${table.relname}" does not exist`)
          if (refKey !== key && ref?.kind !== 'table') throw planError(SqlState.wrongObjectType, `referenced relation "${table.relname}" is not a table`)
          const refDef = refKey === key || ref?.kind !== 'table' ? def : ref.def
          if (refDef.external) throw new NotImplementedError('foreign keys referencing file-backed tables are not supported')
          return resolveForeignKey(spec, name, columns, refDef, refKey, taken, this.catalog.allocateOid())
        })
        def = { ...def, foreignKeys }
      }
      changed.add(key)
      let next = withRelation(state, key, { kind: 'table', def, data: { chunks: [], rowCount: 0 } })
      for (const seq of sequences) {
        next = withRelation(next, relationKey(schema, seq.name), seq)
        changed.add(relationKey(schema, seq.name))
      }
      return { state: next, result: { kind: 'command', tag: 'CREATE TABLE' } as StatementResult }
    })
  }

  /**
   * CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON t (columns): catalog metadata kept with the table
   * (queries do not use it); a unique index is enforced like a UNIQUE constraint. Expression,
   * partial, non-btree, INCLUDE and ordered indexes are not supported (0A000).
   */
  private async createIndex(b: N): Promise<StatementResult> {
    if (b.accessMethod && b.accessMethod !== 'btree') throw new NotImplementedError(`index access method "${b.accessMethod}" is not supported`)
    if (b.whereClause) throw new NotImplementedError('partial indexes are not supported')
    if (b.indexIncludingParams?.length) throw new NotImplementedError('INCLUDE columns of indexes are not supported')
    if (b.nulls_not_distinct) throw new NotImplementedError('NULLS NOT DISTINCT indexes are not supported')
    const params = ((b.indexParams ?? []) as N[]).map((p) => nodeBody<N>(p))
    for (const p of params) {
      if (p.expr) throw new NotImplementedError('expression indexes are not supported')
      if ((p.ordering && p.ordering !== 'SORTBY_DEFAULT') || (p.nulls_ordering && p.nulls_ordering !== 'SORTBY_NULLS_DEFAULT') || p.collation?.length || p.opclass?.length) {
        throw new NotImplementedError('index column ordering, collations and operator classes are not supported')
      }
    }
    return this.atomically(async (state, changed) => {
      const tableKey = this.relationKeyOf(state, b.relation, false)
      const rel = state.relations.get(tableKey)
      if (!rel) throw planError(SqlState.undefinedTable, `relation "${b.relation.relname}" does not exist`)
      if (rel.kind !== 'table') throw planError(SqlState.wrongObjectType, `"${b.relation.relname}" is not a table or materialized view`)
      const def = rel.def
      const columns = params.map((p) => this.columnIndex(def, p.name))
      const schema = splitRelationKey(tableKey).schema
      const taken = new Set(relationNamesIn(state, schema))
      const name: string = b.idxname ?? chooseConstraintName(def.name, columns.map((i) => def.columns[i]!.name), 'idx', taken)
      if (b.idxname && taken.has(name)) {
        if (!b.if_not_exists) throw planError(SqlState.duplicateTable, `relation "${name}" already exists`)
        this.notice('42P07', `relation "${name}" already exists, skipping`)
        return { state, result: { kind: 'command', tag: 'CREATE INDEX' } as StatementResult }
      }
      if (b.unique) {
        const duplicate = duplicateKey(def, rel.data, columns)
        if (duplicate !== null) throw execError(SqlState.uniqueViolation, `could not create unique index "${name}"`, `${duplicate} is duplicated.`)
      }
      const index: IndexDef = { name, oid: this.catalog.allocateOid(), columns, unique: !!b.unique }
      changed.add(tableKey)
      const next = withRelation(state, tableKey, { ...rel, def: { ...def, indexes: [...(def.indexes ?? []), index] } })
      return { state: next, result: { kind: 'command', tag: 'CREATE INDEX' } as StatementResult }
    })
  }

  /** DROP INDEX [IF EXISTS] names: an index of a UNIQUE constraint or primary key goes only with its constraint (2BP01). */
  private async dropIndexes(b: N): Promise<StatementResult> {
    return this.atomically(async (state, changed) => {
      let next = state
      for (const obj of b.objects as N[]) {
        const names = (nodeBody<N>(obj).items ?? [obj]).map((x: N) => stringValue(x))
        const name = names[names.length - 1]!
        const schemas = names.length > 1 ? [names[names.length - 2]!] : this.userSearchPath(next)
        let found = false
        for (const [key, rel] of next.relations) {
          if (rel.kind !== 'table' || !schemas.includes(splitRelationKey(key).schema)) continue
          const def = rel.def
          const constraint = def.uniques?.find((u) => u.name === name)?.name ?? (def.primaryKey?.length && `${def.name}_pkey` === name ? name : undefined)
          if (constraint) {
            throw new ExecutionError(SqlState.dependentObjectsStillExist, `cannot drop index ${name} because constraint ${constraint} on table ${def.name} requires it`, {
              hint: `You can drop constraint ${constraint} on table ${def.name} instead.`,
            })
          }
          if (!def.indexes?.some((i) => i.name === name)) continue
          next = withRelation(next, key, { ...rel, def: { ...def, indexes: def.indexes.filter((i) => i.name !== name) } })
          changed.add(key)
          found = true
          break
        }
        if (found) continue
        const other = schemas.map((sc) => next.relations.get(relationKey(sc, name))).find((r) => r !== undefined)
        if (other) throw new PlanError(SqlState.wrongObjectType, `"${name}" is not an index`, { hint: `Use DROP ${other.kind.toUpperCase()} to remove a ${other.kind}.` })
        if (!b.missing_ok) throw planError(SqlState.undefinedObject, `index "${names.join('.')}" does not exist`)
        this.notice('00000', `index "${names.join('.')}" does not exist, skipping`)
      }
      return { state: next, result: { kind: 'command', tag: 'DROP INDEX' } as StatementResult }
    })
  }

  /** The session services ALTER TABLE uses (see alter-table.ts). */
  private alterTableContext(): AlterTableContext {
    return {
      binder: (state) => new Binder(this.bindEnv(state, new Map(), [])),
      evalEnv: (state) => {
        const sequences = this.sequenceEnv(state)
        return { ...this.evalEnv([]), catalog: catalogDigest(state), ...(sequences ? { sequences } : {}) } as EvalEnv
      },
      relationKeyOf: (state, rv, creating) => this.relationKeyOf(state, rv, creating),
      notice: (code, message) => this.notice(code, message),
      allocateOid: () => this.catalog.allocateOid(),
    }
  }

  /** CREATE … IF NOT EXISTS of an existing relation (or index): the notice and the result; without IF NOT EXISTS, 42P07. */
  private whenExists(state: CatalogState, key: string, ifNotExists: boolean, tag: string): StatementResult | null {
    const { schema, name } = splitRelationKey(key)
    if (!relationNamesIn(state, schema).includes(name)) return null
    if (!ifNotExists) throw planError(SqlState.duplicateTable, `relation "${name}" already exists`)
    this.notice('42P07', `relation "${name}" already exists, skipping`)
    return { kind: 'command', tag }
  }

  private async createSequence(b: N): Promise<StatementResult> {
    const name = b.sequence.relname as string
    const { options } = applySequenceOptions(b.options ?? [], null)
    return this.atomically(async (state, changed) => {
      const key = this.relationKeyOf(state, b.sequence, true)
      const skipped = this.whenExists(state, key, b.if_not_exists, 'CREATE SEQUENCE')
      if (skipped) return { state, result: skipped }
      changed.add(key)
      const seq: SequenceEntry = { kind: 'sequence', oid: this.catalog.allocateOid(), name, options, cells: newSequenceCells(options), ownedBy: null }
      return { state: withRelation(state, key, seq), result: { kind: 'command', tag: 'CREATE SEQUENCE' } as StatementResult }
    })
  }

  private async alterSequence(b: N): Promise<StatementResult> {
    const name = b.sequence.relname as string
    return this.atomically(async (state, changed) => {
      const key = this.relationKeyOf(state, b.sequence, false)
      const rel = state.relations.get(key)
      if (!rel) {
        if (b.missing_ok) {
          this.notice('00000', `relation "${name}" does not exist, skipping`)
          return { state, result: { kind: 'command', tag: 'ALTER SEQUENCE' } as StatementResult }
        }
        throw planError(SqlState.undefinedTable, `relation "${name}" does not exist`)
      }
      if (rel.kind !== 'sequence') throw planError(SqlState.wrongObjectType, `"${name}" is not a sequence`)
      const { options, restart } = applySequenceOptions(b.options ?? [], rel.options)
      // the counter is shared and not transactional; RESTART takes effect at once, as in PostgreSQL
      if (restart !== null) {
        Atomics.store(rel.cells, 0, restart)
        Atomics.store(rel.cells, 1, 0n)
      }
      changed.add(key)
      return { state: withRelation(state, key, { ...rel, options }), result: { kind: 'command', tag: 'ALTER SEQUENCE' } as StatementResult }
    })
  }

  private async createTableAs(b: N, params: readonly Value[], paramTypes: (SqlType | null)[]): Promise<StatementResult> {
    const name = b.into.rel.relname as string
    if (b.objtype === 'OBJECT_MATVIEW') throw new NotImplementedError('materialized views are not supported')
    return this.atomically(async (state, changed) => {
      const key = this.relationKeyOf(state, b.into.rel, true)
      const skipped = this.whenExists(state, key, b.if_not_exists, 'CREATE TABLE AS')
      if (skipped) return { state, result: skipped }
      const { logical } = await this.plan(nodeBody<N>(b.query), state, paramTypes)
      const rows = b.into.skipData ? { numRows: 0, columns: logical.fields.map((f) => vectorFromValues(f.type, [])) } : await this.runLogical(logical, state, params)
      const names = ((b.into.colNames ?? []) as N[]).map((n) => stringValue(n))
      const columns: ColumnDef[] = logical.fields.map((f, i) => ({ name: names[i] ?? f.name, type: f.type.id === 'unknown' ? T.text : f.type, notNull: false, defaultSql: null }))
      const def: TableDef = { oid: this.catalog.allocateOid(), name, columns, primaryKey: null, external: null }
      changed.add(key)
      const data = replaceRows(def, rows, CHUNK_ROWS)
      return { state: withRelation(state, key, { kind: 'table', def, data }), result: { kind: 'command', tag: `SELECT ${rows.numRows}` } as StatementResult }
    })
  }

  private async createView(b: N): Promise<StatementResult> {
    const name = b.view.relname as string
    return this.atomically(async (state, changed) => {
      const key = this.relationKeyOf(state, b.view, true)
      const existing = state.relations.get(key)
      if (existing && (!b.replace || existing.kind !== 'view')) throw planError(SqlState.duplicateTable, `relation "${name}" already exists`)
      // validate now: bind the query
      const sql = deparseSelect(b.query)
      const { logical } = await this.plan(nodeBody<N>(b.query), state, [])
      const aliases = ((b.aliases ?? []) as N[]).map((n) => stringValue(n))
      const oid = existing?.kind === 'view' ? existing.oid : this.catalog.allocateOid()
      changed.add(key)
      void logical
      return { state: withRelation(state, key, { kind: 'view', oid, name, sql, columnNames: aliases.length ? aliases : null }), result: { kind: 'command', tag: 'CREATE VIEW' } as StatementResult }
    })
  }

  private async drop(b: N): Promise<StatementResult> {
    if (b.removeType === 'OBJECT_SCHEMA') return this.dropSchemas(b)
    const kind = b.removeType === 'OBJECT_TABLE' ? 'table' : b.removeType === 'OBJECT_VIEW' ? 'view' : b.removeType === 'OBJECT_SEQUENCE' ? 'sequence' : null
    if (!kind) throw new NotImplementedError(`DROP ${String(b.removeType).replace('OBJECT_', '')} is not supported`)
    return this.atomically(async (state, changed) => {
      let next = state
      for (const obj of b.objects as N[]) {
        const names = (nodeBody<N>(obj).items ?? [obj]).map((x: N) => stringValue(x))
        const name = names.join('.')
        const key = this.relationKeyOf(next, { schemaname: names.length > 1 ? names[names.length - 2] : undefined, relname: names[names.length - 1] }, false)
        const rel = next.relations.get(key)
        if (!rel || rel.kind !== kind) {
          if (rel && rel.kind !== kind) throw planError(SqlState.wrongObjectType, `"${name}" is not a ${kind}`)
          if (b.missing_ok) {
            this.notice('00000', `${kind} "${name}" does not exist, skipping`)
            continue
          }
          throw planError(SqlState.undefinedTable, `${kind} "${name}" does not exist`)
        }
        next = withRelation(next, key, undefined)
        changed.add(key)
        // a table's serial columns' sequences go with it
        for (const [seqName, r] of next.relations) {
          if (kind === 'table' && r.kind === 'sequence' && r.ownedBy?.table === key) {
            next = withRelation(next, seqName, undefined)
            changed.add(seqName)
          }
        }
      }
      if (kind === 'table') next = this.dropDanglingForeignKeys(next, changed, b.behavior === 'DROP_CASCADE')
      return { state: next, result: { kind: 'command', tag: `DROP ${kind.toUpperCase()}` } as StatementResult }
    })
  }

  /**
   * After dropping tables: the foreign keys of remaining tables that referenced a dropped one go
   * too when `cascade` (with PostgreSQL's notice), else 2BP01 naming them.
   */
  private dropDanglingForeignKeys(state: CatalogState, changed: Set<string>, cascade: boolean): CatalogState {
    const dangling: { key: string; entry: TableEntry; name: string; refName: string }[] = []
    for (const [key, rel] of state.relations) {
      if (rel.kind !== 'table') continue
      for (const fk of rel.def.foreignKeys ?? []) {
        if (!state.relations.has(fk.refTable)) dangling.push({ key, entry: rel, name: fk.name, refName: splitRelationKey(fk.refTable).name })
      }
    }
    if (dangling.length === 0) return state
    const lines = dangling.map((d) => `constraint ${d.name} on table ${d.entry.def.name}`)
    if (!cascade) {
      throw new ExecutionError(SqlState.dependentObjectsStillExist, `cannot drop table ${dangling[0]!.refName} because other objects depend on it`, {
        detail: dangling.map((d, i) => `${lines[i]} depends on table ${d.refName}`).join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      })
    }
    if (lines.length === 1) this.notice('00000', `drop cascades to ${lines[0]}`)
    else this.notice('00000', `drop cascades to ${lines.length} other objects`, 'NOTICE', lines.map((l) => `drop cascades to ${l}`).join('\n'))
    let next = state
    for (const key of new Set(dangling.map((d) => d.key))) {
      const entry = next.relations.get(key) as TableEntry
      const foreignKeys = (entry.def.foreignKeys ?? []).filter((fk) => next.relations.has(fk.refTable))
      next = withRelation(next, key, { ...entry, def: { ...entry.def, foreignKeys } })
      changed.add(key)
    }
    return next
  }

  /**
   * The catalog key a (possibly schema-qualified) name refers to: for a new relation, where it goes
   * (the named schema, 3F000 when it does not exist, or the search path's first); otherwise the
   * first schema of the search path holding it.
   */
  private relationKeyOf(state: CatalogState, rv: { schemaname?: string; relname: string }, creating: boolean): string {
    const schema = rv.schemaname
    if (schema) {
      if (creating && schema !== 'public' && !state.schemas?.has(schema)) throw planError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`)
      return relationKey(schema, rv.relname)
    }
    const path = this.userSearchPath(state)
    if (creating) {
      if (path.length === 0) throw planError(SqlState.invalidSchemaName, 'no schema has been selected to create in')
      return relationKey(path[0]!, rv.relname)
    }
    for (const s of path) if (state.relations.has(relationKey(s, rv.relname))) return relationKey(s, rv.relname)
    return rv.relname
  }

  /** The existing user schemas of the search_path setting, in order. */
  private userSearchPath(state: CatalogState): string[] {
    return searchPath(this.settings, this.opts.user, false, (s) => state.schemas?.has(s) ?? false).filter((s) => s !== 'pg_catalog' && s !== 'information_schema')
  }

  private async createSchema(b: N): Promise<StatementResult> {
    const name = b.schemaname as string
    if (b.schemaElts?.length) throw new NotImplementedError('CREATE SCHEMA with schema elements is not supported')
    return this.atomically(async (state, changed) => {
      if (Object.hasOwn(NAMESPACE_OIDS, name) || state.schemas?.has(name)) {
        if (!b.if_not_exists) throw planError('42P06', `schema "${name}" already exists`)
        this.notice('42P06', `schema "${name}" already exists, skipping`)
        return { state, result: { kind: 'command', tag: 'CREATE SCHEMA' } as StatementResult }
      }
      if (name.startsWith('pg_')) throw planError('42939', `unacceptable schema name "${name}"`)
      changed.add(schemaChange(name))
      return { state: withSchema(state, name, this.catalog.allocateOid()), result: { kind: 'command', tag: 'CREATE SCHEMA' } as StatementResult }
    })
  }

  private async dropSchemas(b: N): Promise<StatementResult> {
    return this.atomically(async (state, changed) => {
      let next = state
      for (const obj of b.objects as N[]) {
        const name = stringValue(obj)
        if (!next.schemas?.has(name)) {
          if (Object.hasOwn(NAMESPACE_OIDS, name)) throw new NotImplementedError(`dropping schema "${name}" is not supported`)
          if (b.missing_ok) {
            this.notice('00000', `schema "${name}" does not exist, skipping`)
            continue
          }
          throw planError(SqlState.invalidSchemaName, `schema "${name}" does not exist`)
        }
        const members = [...next.relations.keys()].filter((k) => splitRelationKey(k).schema === name)
        if (members.length && b.behavior !== 'DROP_CASCADE') {
          throw planError('2BP01', `cannot drop schema ${name} because other objects depend on it`)
        }
        // PostgreSQL names the relations, not the sequences of their serial columns
        const listed = members.filter((k) => {
          const r = next.relations.get(k)!
          return r.kind !== 'sequence' || r.ownedBy === null
        })
        if (listed.length === 1) {
          const r = next.relations.get(listed[0]!)!
          this.notice('00000', `drop cascades to ${r.kind} ${listed[0]}`)
        } else if (listed.length > 1) this.notice('00000', `drop cascades to ${listed.length} other objects`)
        for (const k of members) {
          next = withRelation(next, k, undefined)
          changed.add(k)
        }
        next = withSchema(next, name, undefined)
        changed.add(schemaChange(name))
      }
      next = this.dropDanglingForeignKeys(next, changed, true)
      return { state: next, result: { kind: 'command', tag: 'DROP SCHEMA' } as StatementResult }
    })
  }

  private async truncate(b: N): Promise<StatementResult> {
    return this.atomically(async (state, changed) => {
      const keys = (b.relations as N[]).map((r) => this.relationKeyOf(state, nodeBody<N>(r), false))
      for (const key of keys) this.table(state, key)
      // a referencing table goes with its referenced one (CASCADE) or must be named too
      for (let i = 0; i < keys.length; i++) {
        for (const ref of referencingForeignKeys(state, keys[i]!)) {
          if (keys.includes(ref.table)) continue
          if (b.behavior !== 'DROP_CASCADE') {
            throw new ExecutionError(SqlState.featureNotSupported, 'cannot truncate a table referenced in a foreign key constraint', {
              detail: `Table "${ref.def.name}" references "${splitRelationKey(keys[i]!).name}".`,
              hint: `Truncate table "${ref.def.name}" at the same time, or use TRUNCATE ... CASCADE.`,
            })
          }
          this.notice('00000', `truncate cascades to table "${ref.def.name}"`)
          keys.push(ref.table)
        }
      }
      let next = state
      for (const key of keys) {
        next = withRelation(next, key, { ...this.table(next, key), data: { chunks: [], rowCount: 0 } })
        changed.add(key)
      }
      return { state: next, result: { kind: 'command', tag: 'TRUNCATE TABLE' } as StatementResult }
    })
  }

  /**
   * VACUUM and ANALYZE (pgbench -i runs them): in-memory tables have no dead rows to reclaim and
   * Flint plans without statistics, so they check their tables and do nothing else.
   */
  private vacuum(b: N): StatementResult {
    const command = b.is_vacuumcmd ? 'VACUUM' : 'ANALYZE'
    if (b.is_vacuumcmd && this.txn) throw new TransactionError(SqlState.activeSqlTransaction, 'VACUUM cannot run inside a transaction block')
    const options = ((b.options ?? []) as N[]).map((o) => String(nodeBody<N>(o).defname))
    if (options.includes('verbose')) throw new NotImplementedError(`${command} VERBOSE is not supported`)
    const state = this.state()
    for (const r of (b.rels ?? []) as N[]) {
      const rv = nodeBody<N>(r).relation
      const name = String(rv.relname)
      const schema = rv.schemaname as string | undefined
      if (schema !== undefined && schema !== 'public') {
        if (!lookupSystemTable(schema, name)) throw planError(SqlState.undefinedTable, `relation "${schema}.${name}" does not exist`)
        continue
      }
      const rel = state.relations.get(name)
      if (rel === undefined) {
        if (schema === undefined && lookupSystemTable('pg_catalog', name)) continue
        throw planError(SqlState.undefinedTable, `relation "${name}" does not exist`)
      }
      if (rel.kind !== 'table') this.notice('01000', `skipping "${name}" --- cannot ${command.toLowerCase()} non-tables or special system tables`, 'WARNING')
    }
    return { kind: 'command', tag: command }
  }

  // ───────────────────────────── transactions and settings ─────────────────────────────

  private async transaction(b: N): Promise<StatementResult> {
    switch (b.kind) {
      case 'TRANS_STMT_BEGIN':
      case 'TRANS_STMT_START':
        if (this.txn) this.notice('25001', 'there is already a transaction in progress', 'WARNING')
        else this.txn = { working: this.catalog.snapshot(), changed: new Set(), failed: false, xid: this.engine.allocateTransactionId(), localSettings: new Map(), settingsAtBegin: new Map(this.settings) }
        return { kind: 'command', tag: 'BEGIN' }
      case 'TRANS_STMT_COMMIT': {
        const t = this.txn
        this.endTransaction(t !== null && !t.failed)
        if (!t) {
          this.notice('25P01', 'there is no transaction in progress', 'WARNING')
          return { kind: 'command', tag: 'COMMIT' }
        }
        if (t.failed) return { kind: 'command', tag: 'ROLLBACK' }
        // foreign keys again against what others committed meanwhile (as a deferred check would)
        await this.catalog.commit(t.working, t.changed, checkForeignKeys)
        return { kind: 'command', tag: 'COMMIT' }
      }
      case 'TRANS_STMT_ROLLBACK':
        if (!this.txn) this.notice('25P01', 'there is no transaction in progress', 'WARNING')
        this.endTransaction(false)
        return { kind: 'command', tag: 'ROLLBACK' }
      default:
        throw new NotImplementedError('savepoints and two-phase commit are not supported')
    }
  }

  private async set(b: N): Promise<StatementResult> {
    const name = String(b.name ?? '').toLowerCase()
    if (b.kind === 'VAR_RESET_ALL') {
      for (const [k, v] of DEFAULT_SETTINGS) this.settings.set(k, v)
      return { kind: 'command', tag: 'RESET' }
    }
    if (name === 'transaction' || name === 'session characteristics' || name === 'transaction_isolation') return { kind: 'command', tag: 'SET' }
    let value: string
    if (b.kind === 'VAR_RESET' || b.kind === 'VAR_SET_DEFAULT') value = DEFAULT_SETTINGS.find(([k]) => k === name)?.[1] ?? ''
    else {
      const args = (b.args ?? []) as N[]
      value = args
        .map((a) => {
          const c = nodeBody<N>(a)
          if (nodeTag(a) === 'A_Const') return c.sval?.sval ?? String(c.ival?.ival ?? c.fval?.fval ?? (c.boolval ? c.boolval.boolval : ''))
          if (nodeTag(a) === 'TypeCast') return nodeBody<N>(c.arg).sval?.sval ?? ''
          return ''
        })
        .join(', ')
    }
    if (b.is_local) {
      // SET LOCAL: for the rest of the transaction block only (no effect outside one, with PostgreSQL's warning)
      if (!this.txn) {
        this.notice('25P01', 'SET LOCAL can only be used in transaction blocks', 'WARNING')
        return { kind: 'command', tag: 'SET' }
      }
    }
    this.changeSetting(name, value, !!b.is_local)
    return { kind: 'command', tag: b.kind === 'VAR_RESET' ? 'RESET' : 'SET' }
  }

  /** Sets a setting (checking the values Flint interprets) and reports it to the client when it tracks it. */
  private applySetting(name: string, text: string): void {
    let value = text
    if (name === 'timezone' && value.toLowerCase() === 'local') value = 'UTC'
    if (name === 'flint.dialect') dialectFromSetting(value)
    if (name === 'statement_timeout' && !/^\d+$/.test(value)) {
      const m = /^(\d+)\s*(ms|s|min)?$/.exec(value)
      if (!m) throw planError(SqlState.invalidParameterValue, `invalid value for parameter "statement_timeout": "${value}"`)
      value = String(Number(m[1]) * (m[2] === 's' ? 1000 : m[2] === 'min' ? 60000 : 1))
    }
    this.settings.set(name, value)
    if (REPORTED.has(name)) this.onParameterStatus?.(SETTING_DISPLAY_NAMES[name] ?? name, value)
  }

  /**
   * Sets a setting for the session or, when `local`, until the end of the transaction block. A
   * session-level SET in a block overrides an earlier SET LOCAL of the same setting at COMMIT.
   */
  private changeSetting(name: string, value: string, local: boolean): void {
    const t = this.txn
    if (t && local && !t.localSettings.has(name)) t.localSettings.set(name, this.settings.get(name))
    else if (t && !local) t.localSettings.delete(name)
    this.applySetting(name, value)
  }

  /**
   * Leaves the transaction block: a commit restores the settings changed for the block only, a
   * rollback every setting changed in it.
   */
  private endTransaction(committed: boolean): void {
    const t = this.txn
    this.txn = null
    if (!t) return
    const restore = committed ? t.localSettings : new Map([...t.settingsAtBegin, ...[...this.settings.keys()].filter((k) => !t.settingsAtBegin.has(k)).map((k) => [k, undefined] as const)])
    for (const [name, value] of restore) {
      if (value === undefined) this.settings.delete(name)
      else if (this.settings.get(name) !== value) this.applySetting(name, value)
    }
  }

  private show(rawName: string): StatementResult {
    const name = rawName.toLowerCase()
    if (name === 'all') {
      const names = [...this.settings.keys()].sort()
      return {
        kind: 'rows',
        tag: `SHOW ${names.length}`,
        columns: [
          { name: 'name', type: T.text, tableOid: 0, columnNumber: 0 },
          { name: 'setting', type: T.text, tableOid: 0, columnNumber: 0 },
        ],
        batches: [{ numRows: names.length, columns: [stringVector(T.text, names.map((n) => SETTING_DISPLAY_NAMES[n] ?? n)), stringVector(T.text, names.map((n) => this.settings.get(n)!))] }],
        rowCount: names.length,
      }
    }
    const key = name === 'transaction isolation level' ? 'transaction_isolation' : name
    const v = this.settings.get(key)
    if (v === undefined) throw planError(SqlState.undefinedObject, `unrecognized configuration parameter "${rawName}"`)
    return { kind: 'rows', tag: 'SHOW', columns: [{ name: key, type: T.text, tableOid: 0, columnNumber: 0 }], batches: [{ numRows: 1, columns: [stringVector(T.text, [v])] }], rowCount: 1 }
  }

  private notice(code: string, message: string, severity: Notice['severity'] = 'NOTICE', detail?: string): void {
    this.onNotice?.({ severity, code, message, ...(detail !== undefined ? { detail } : {}) })
  }

  // ───────────────────────────── cursors and COPY ─────────────────────────────

  private async declare(b: N, params: readonly Value[], paramTypes: (SqlType | null)[]): Promise<StatementResult> {
    if (!this.txn && !(b.options & 0x20)) throw new TransactionError(SqlState.noActiveSqlTransaction, 'DECLARE CURSOR can only be used in transaction blocks')
    if (this.cursors.has(b.portalname)) throw planError('42P03', `cursor "${b.portalname}" already exists`)
    const r = await this.query(nodeBody<N>(b.query), params, paramTypes)
    if (r.kind !== 'rows') throw new NotImplementedError('cursor over a non-query')
    this.cursors.set(b.portalname, { columns: [...r.columns], rows: r.batches[0]!, pos: 0 })
    return { kind: 'command', tag: 'DECLARE CURSOR' }
  }

  private async fetch(b: N): Promise<StatementResult> {
    const c = this.cursors.get(b.portalname)
    if (!c) throw planError(SqlState.invalidCursorName, `cursor "${b.portalname}" does not exist`)
    if (b.direction && b.direction !== 'FETCH_FORWARD') throw new NotImplementedError('only forward FETCH is supported')
    const howMany = b.howMany === undefined ? 1 : Number(b.howMany) <= 0 || Number(b.howMany) >= 2 ** 53 ? Infinity : Number(b.howMany)
    const start = c.pos
    const end = Math.min(c.rows.numRows, start + howMany)
    c.pos = end
    const idx = Array.from({ length: end - start }, (_, k) => start + k)
    const rows = takeBatch(c.rows, idx)
    if (b.ismove) return { kind: 'command', tag: `MOVE ${rows.numRows}` }
    return { kind: 'rows', tag: `FETCH ${rows.numRows}`, columns: c.columns, batches: [rows], rowCount: rows.numRows }
  }

  private async copy(b: N, params: readonly Value[], paramTypes: (SqlType | null)[]): Promise<StatementResult> {
    const opts = new Map<string, string>()
    for (const o of (b.options ?? []) as N[]) {
      const d = nodeBody<N>(o)
      opts.set(d.defname, d.arg ? (nodeTag(d.arg) === 'String' ? stringValue(d.arg) : String(nodeBody<N>(d.arg).sval ?? nodeBody<N>(d.arg).ival ?? nodeBody<N>(d.arg).boolval ?? 'true')) : 'true')
    }
    const format = (opts.get('format') ?? 'text').toLowerCase()
    if (format !== 'text' && format !== 'csv') throw new NotImplementedError(`COPY format ${format} is not supported`)
    if (b.filename || b.is_program) throw new NotImplementedError('COPY to or from a server file is not supported; use STDIN/STDOUT')
    const header = opts.get('header') === 'true' || opts.get('header') === 'on'
    if (b.is_from) {
      const name = this.relationKeyOf(this.state(), b.relation, false)
      const rel = this.table(this.state(), name)
      const cols = b.attlist ? (b.attlist as N[]).map((a) => rel.def.columns.findIndex((c) => c.name === stringValue(a))) : rel.def.columns.map((_, i) => i)
      if (cols.some((c) => c < 0)) throw planError(SqlState.undefinedColumn, 'column of COPY does not exist')
      if (header && format !== 'csv') throw planError(SqlState.featureNotSupported, 'COPY HEADER available only in CSV mode')
      const request: CopyInRequest = { format: format as 'text' | 'csv', columnCount: cols.length, target: { table: name, columns: cols, header } }
      return { kind: 'copyIn', copy: request }
    }
    let rows: Batch
    let fields: Field[]
    if (b.query) {
      const { logical } = await this.plan(nodeBody<N>(b.query), this.state(), paramTypes)
      rows = await this.runLogical(logical, this.state(), params)
      fields = [...logical.fields]
    } else {
      const name = this.relationKeyOf(this.state(), b.relation, false)
      const rel = this.state().relations.get(name)
      if (!rel || rel.kind !== 'table') throw planError(SqlState.undefinedTable, `relation "${name}" does not exist`)
      rows = concatBatches(rel.def.columns.map((c) => c.type), rel.data.chunks)
      fields = rel.def.columns.map((c, i) => ({ id: i, name: c.name, type: c.type }))
    }
    const enc = new TextEncoder()
    const chunks: Uint8Array[] = []
    const fctx = this.outputContext()
    if (header && format === 'csv') chunks.push(enc.encode(fields.map((f) => csvField(f.name)).join(',') + '\n'))
    for (let i = 0; i < rows.numRows; i++) {
      const vals = rows.columns.map((c) => formatValue(c, i, fctx))
      const line = format === 'csv' ? vals.map((v) => (v === null ? '' : csvField(v))).join(',') : vals.map((v) => (v === null ? '\\N' : copyTextEscape(v))).join('\t')
      chunks.push(enc.encode(line + '\n'))
    }
    return { kind: 'copyOut', format: format as 'text' | 'csv', columnCount: fields.length, chunks, tag: `COPY ${rows.numRows}` }
  }

  /** Rows for all table columns from rows for some of them (the rest take their defaults). */
  private fullRows(def: TableDef, cols: number[], rows: Batch): Batch {
    const binder = new Binder(this.bindEnv(this.state(), new Map(), []))
    const columns = def.columns.map((c, i) => {
      const k = cols.indexOf(i)
      if (k >= 0) return rows.columns[k]!
      const v = this.constant(this.defaultExpr(binder, c))
      return vectorFromValues(c.type, new Array(rows.numRows).fill(v))
    })
    return { numRows: rows.numRows, columns }
  }
}

/** The hidden column of an UPDATE/DELETE target holding each row's position in the table. */
const ROW_NUMBER = '\u0000row'

/** A bound INSERT/UPDATE/DELETE (see bindInsert and bindUpdateDelete for the shapes of `plan`). */
interface BoundModify {
  readonly kind: 'insert' | 'update' | 'delete' | 'merge'
  /** MERGE: the action of each WHEN clause. */
  readonly actions?: readonly MergeAction[]
  readonly table: string
  readonly plan: LogicalPlan
  /** UPDATE/DELETE: the target table with row numbers, to be supplied as a transient relation. */
  readonly target: TransientRelation | null
  /** RETURNING: for INSERT a plan over the inserted rows (supplied as `inserted`), else the columns only. */
  readonly returning: { readonly plan: LogicalPlan; readonly inserted?: TransientRelation } | null
}

/** What a MERGE WHEN clause does. */
type MergeAction = 'update' | 'delete' | 'insert' | 'nothing'

/** What an INSERT/UPDATE/DELETE did: the table's new data, the rows it affected, its RETURNING rows. */
interface ModifyOutcome {
  readonly table: string
  readonly data: TableData
  readonly count: number
  readonly returning: Batch | null
}

/** True when a query's WITH clause holds INSERT/UPDATE/DELETE. */
function hasModifyingWith(b: N): boolean {
  return ((b.withClause?.ctes ?? []) as N[]).some((c) => nodeTag(nodeBody<N>(c).ctequery) !== 'SelectStmt')
}

/** Table chunks with an extra int4 column numbering the rows from 0 (shared, like the chunks). */
function withRowNumbers(chunks: readonly Batch[]): Batch[] {
  let offset = 0
  return chunks.map((c) => {
    const values = new Int32Array(new SharedArrayBuffer(Math.max(1, c.numRows) * 4), 0, c.numRows)
    for (let i = 0; i < c.numRows; i++) values[i] = offset + i
    offset += c.numRows
    return { numRows: c.numRows, columns: [...c.columns, { type: T.int4, length: c.numRows, values, validity: null }] }
  })
}

/** The integer type of a serial/bigserial/smallserial column type, or undefined for other types. */
function serialType(typeName: N): SqlType | undefined {
  const names = ((typeName.names ?? []) as N[]).map((n) => stringValue(n))
  if (names.length > 2 || (names.length === 2 && names[0] !== 'pg_catalog') || typeName.arrayBounds) return undefined
  const t = names[names.length - 1]
  return t === 'serial' || t === 'serial4' ? T.int4 : t === 'bigserial' || t === 'serial8' ? T.int8 : t === 'smallserial' || t === 'serial2' ? T.int2 : undefined
}

/** `base`, or base1, base2, … when a relation (or a sequence about to be created) has that name. */
function uniqueRelationName(state: CatalogState, schema: string, pending: readonly SequenceEntry[], base: string): string {
  const taken = (n: string): boolean => state.relations.has(relationKey(schema, n)) || pending.some((s) => s.name === n)
  if (!taken(base)) return base
  for (let i = 1; ; i++) if (!taken(`${base}${i}`)) return `${base}${i}`
}

/** The parse tree of one SQL expression. */
function parseExpression(sql: string): N {
  const sel = nodeBody<N>(parseSql(`SELECT ${sql}`)[0]!.node)
  return nodeBody<N>(sel.targetList[0]).val
}

const quoteLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`

/** Checks a column's DEFAULT expression: no column references, and assignable to the column's type. */
export function checkDefault(binder: Binder, expr: N, type: SqlType): void {
  try {
    binder.coerce(binder.bindExpr(expr, new Scope(null), null), type, true)
  } catch (e) {
    if (e instanceof EngineError && e.code === SqlState.undefinedColumn) throw planError(SqlState.featureNotSupported, 'cannot use column reference in DEFAULT expression')
    throw e
  }
}

/** Result columns of a plan's output fields. */
function resultColumns(fields: readonly Field[]): ResultColumn[] {
  return fields.map((f) => ({ name: f.name, type: f.type.id === 'unknown' || f.type.id === 'null' ? T.text : f.type, tableOid: f.tableOid ?? 0, columnNumber: f.columnNumber ?? 0 }))
}

function typeFromOid(oid: number): SqlType | null {
  const m: Record<number, SqlType> = {
    16: T.bool,
    20: T.int8,
    21: T.int2,
    23: T.int4,
    25: T.text,
    700: T.float4,
    701: T.float8,
    1700: T.numeric,
    1043: { id: 'varchar', length: null },
    1042: { id: 'bpchar', length: null },
    1082: T.date,
    1114: T.timestamp,
    1184: T.timestamptz,
    1186: T.interval,
    26: T.oid,
    19: T.name,
    1083: T.time,
  }
  return oid === 0 ? null : (m[oid] ?? null)
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v
}

function copyTextEscape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
}

function valueAtExpr(e: Expr, batch: Batch, env: EvalEnv): Value {
  // synchronous evaluation of a constant expression
  return valueAt(evaluateSync(e, batch, env), 0)
}


/**
 * A new table's UNIQUE and CHECK constraints with PostgreSQL's names (`t_a_b_key`, `t_a_check`,
 * `t_check` when a CHECK reads several or no columns); each CHECK is bound once here to validate it.
 */
function tableConstraints(
  binder: Binder,
  table: string,
  columns: readonly ColumnDef[],
  uniqueSpecs: readonly { name: string | null; columns: string[] }[],
  checkSpecs: readonly { name: string | null; expr: N; column: string | null }[],
  allocateOid: () => number,
  relationNames: readonly string[],
): { uniques: UniqueConstraint[]; checks: CheckConstraint[] } {
  const taken = new Set<string>([...uniqueSpecs, ...checkSpecs].flatMap((c) => (c.name ? [c.name] : [])))
  const checks = checkSpecs.map((c): CheckConstraint => {
    const exprSql = deparseDefault(c.expr)
    const bound = bindCheck(binder, table, columns, exprSql)
    const named = bound.columns.length === 1 ? [columns[bound.columns[0]!]!.name] : []
    return { name: c.name ?? chooseConstraintName(table, named, 'check', taken), exprSql, oid: allocateOid() }
  })
  // a UNIQUE constraint's index shares the namespace of the schema's relations
  for (const u of uniqueSpecs) if (u.name !== null && relationNames.includes(u.name)) throw planError(SqlState.duplicateTable, `relation "${u.name}" already exists`)
  for (const n of relationNames) taken.add(n)
  const uniques = uniqueSpecs.map((u): UniqueConstraint => {
    const cols = u.columns.map((n) => {
      const i = columns.findIndex((c) => c.name === n)
      if (i < 0) throw planError(SqlState.undefinedColumn, `column "${n}" named in key does not exist`)
      return i
    })
    return { name: u.name ?? chooseConstraintName(table, u.columns, 'key', taken), columns: cols, oid: allocateOid(), indexOid: allocateOid() }
  })
  return { uniques, checks }
}

/** Constraint kinds CREATE TABLE enforces (NOT DEFERRABLE and INITIALLY IMMEDIATE being the default). */
const ENFORCED_CONSTRAINTS = new Set(['CONSTR_NOTNULL', 'CONSTR_NULL', 'CONSTR_DEFAULT', 'CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_CHECK', 'CONSTR_FOREIGN', 'CONSTR_ATTR_NOT_DEFERRABLE', 'CONSTR_ATTR_IMMEDIATE'])

/** 0A000 for a constraint (or constraint option) Flint would not enforce: never accepted and ignored. */
function refuseUnenforcedConstraint(con: N): void {
  const unsupported: Record<string, string> = {
    CONSTR_IDENTITY: 'identity columns are not supported',
    CONSTR_GENERATED: 'generated columns are not supported',
    CONSTR_EXCLUSION: 'exclusion constraints are not supported',
    CONSTR_ATTR_DEFERRABLE: 'DEFERRABLE constraints are not supported',
    CONSTR_ATTR_DEFERRED: 'DEFERRABLE constraints are not supported',
  }
  if (!ENFORCED_CONSTRAINTS.has(con.contype)) throw new NotImplementedError(unsupported[con.contype] ?? `constraint type ${String(con.contype)} is not supported`)
  if (con.deferrable || con.initdeferred) throw new NotImplementedError(unsupported['CONSTR_ATTR_DEFERRABLE']!)
  if (con.nulls_not_distinct) throw new NotImplementedError('NULLS NOT DISTINCT constraints are not supported')
  if (con.including?.length) throw new NotImplementedError('INCLUDE columns of constraints are not supported')
}

/** A FOREIGN KEY / REFERENCES constraint node as a spec, with its referencing columns and referenced table's RangeVar. */
function foreignKeySpec(con: N, columns: string[]): { spec: ForeignKeySpec; table: N } {
  const spec: ForeignKeySpec = {
    name: con.conname ?? null,
    columns,
    refColumns: (con.pk_attrs ?? []).map(stringValue),
    matchType: con.fk_matchtype,
    onUpdate: con.fk_upd_action,
    onDelete: con.fk_del_action,
    setNullColumns: !!con.fk_del_set_cols?.length,
  }
  return { spec, table: con.pktable }
}

/** The names of a schema's relations, indexes included (one namespace in PostgreSQL); also used by ALTER TABLE. */
export function relationNamesIn(state: CatalogState, schema: string): string[] {
  const out: string[] = []
  for (const [key, rel] of state.relations) {
    const k = splitRelationKey(key)
    if (k.schema !== schema) continue
    out.push(k.name)
    if (rel.kind === 'table') {
      if (rel.def.primaryKey?.length) out.push(`${rel.def.name}_pkey`)
      out.push(...tableIndexes(rel.def).map((i) => i.name))
    }
  }
  return out
}

/** A default expression, kept as its raw tree and re-bound on each use. */
const deparseDefault = (node: N): string => STORED_TREE + JSON.stringify(node)

/** A view's query, kept as its raw tree and re-bound on each use. */
const deparseSelect = (node: N): string => STORED_TREE + JSON.stringify(node)

/** Re-export for the parser of stored definitions. */
export { typeName, EngineError }

/** The scope entry's catalog identity of a DML target table (qualified references to it work unless aliased). */
function targetOf(def: TableDef, relation: N): CatalogIdentity {
  return { id: def.oid, aliased: !!relation.alias?.aliasname }
}
