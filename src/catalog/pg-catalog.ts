/**
 * The pg_catalog relations clients read (psql's \d family, SQLAlchemy's and pgJDBC's metadata
 * queries, postgres.js's type fetch), generated from the catalog state with PostgreSQL 15's
 * columns and OIDs. Relations for objects Flint does not have (triggers, policies, publications,
 * sequences, …) exist with their columns and no rows.
 */
import { arrayType, T, type SqlType } from '../common/types.js'
import type { Value } from '../common/value.js'
import { AGGREGATES, WINDOW_FUNCTIONS } from '../binder/functions.js'
import { functionNames, lookupFunctions } from '../kernels/registry.js'
import {
  attrdefOid,
  BTREE_AM_OID,
  DATABASE_OID,
  DEFAULT_COLLATION_OID,
  functionOid,
  HEAP_AM_OID,
  NAMESPACE_OIDS,
  OWNER_OID,
  registerSystemRelations,
  systemRelationList,
  TYPE_IO_FUNCTIONS,
  TYPES,
  typeElementOid,
  type SystemRelationInfo,
} from './catalog-oids.js'
import { catalogModel, columnTypeOid, columnTypmod } from './catalog-model.js'
import { tableKeys, type ModelColumn } from './catalog-digest.js'
import { lookupSystemTable, type SystemTable, type SystemTableContext } from './system-tables.js'

const COLUMN_TYPES: Record<string, SqlType> = {
  oid: T.oid,
  name: T.name,
  text: T.text,
  bool: T.bool,
  int2: T.int2,
  int4: T.int4,
  int8: T.int8,
  float4: T.float4,
  char: T.char,
  regproc: T.regproc,
  timestamptz: T.timestamptz,
  'int2[]': arrayType(T.int2),
  'oid[]': arrayType(T.oid),
  'text[]': arrayType(T.text),
  'char[]': arrayType(T.char),
  'name[]': arrayType(T.name),
}

/** Parses a column list written `name:type name:type …` (types as in COLUMN_TYPES). */
export function columnsOf(spec: string): { name: string; type: SqlType }[] {
  return spec
    .trim()
    .split(/\s+/)
    .map((c) => {
      const [name, type] = c.split(':') as [string, string]
      const t = COLUMN_TYPES[type]
      if (!t) throw new Error(`unknown catalog column type ${type}`)
      return { name, type: t }
    })
}

/** A system relation: its pg_class identity, columns and rows. */
export interface CatalogRelationSpec {
  readonly oid: number
  readonly name: string
  readonly kind: 'r' | 'v'
  readonly columns: string
  readonly rows?: (ctx: SystemTableContext) => Value[][]
}

/** Turns relation specs of one schema into system tables and records their pg_class identity. */
export function defineSystemRelations(schema: 'pg_catalog' | 'information_schema', specs: readonly CatalogRelationSpec[]): SystemTable[] {
  const infos: SystemRelationInfo[] = specs.map((s) => ({ oid: s.oid, schema, name: s.name, kind: s.kind }))
  registerSystemRelations(infos)
  return specs.map((s) => ({ schema, name: s.name, columns: columnsOf(s.columns), rows: s.rows ?? (() => []) }))
}

const PG_CATALOG = NAMESPACE_OIDS['pg_catalog']!

/** pg_attribute fields that follow from a column's type. */
function typeAttrs(t: SqlType): { len: number; byval: boolean; align: string; storage: string; collation: number; ndims: number } {
  const info = TYPES.find((x) => x.oid === columnTypeOid({ name: '', type: t, attnum: 0, notNull: false, defaultText: null }))
  return {
    len: info?.len ?? -1,
    byval: info?.byval ?? false,
    align: info?.align ?? 'i',
    storage: info?.storage ?? 'x',
    collation: info?.collation === 950 ? 950 : info?.collation ? DEFAULT_COLLATION_OID : 0,
    ndims: t.id === 'array' ? 1 : 0,
  }
}

interface RelationRow {
  oid: number
  name: string
  namespace: number
  kind: string
  columns: readonly { name: string; type: SqlType; notNull: boolean; hasDefault: boolean }[]
  am: number
  hasIndex: boolean
  /** Number of CHECK constraints (relchecks). */
  checks: number
  /** relhastriggers: a table with foreign keys or referenced by one (their triggers in PostgreSQL). */
  hasTriggers: boolean
  rows: number
  bytes: number
}

/** Every relation pg_class lists: user tables, their primary-key indexes, views, and the catalog relations. */
function allRelations(ctx: SystemTableContext): RelationRow[] {
  const out: RelationRow[] = []
  const asCols = (cs: readonly ModelColumn[]): RelationRow['columns'] => cs.map((c) => ({ name: c.name, type: c.type, notNull: c.notNull, hasDefault: c.defaultText !== null }))
  const model = catalogModel(ctx.state)
  const referenced = new Set(model.flatMap((r) => (r.foreignKeys ?? []).map((f) => f.refOid)))
  for (const r of model) {
    out.push({ oid: r.oid, name: r.name, namespace: r.namespace, kind: r.kind, columns: asCols(r.columns), am: r.kind === 'r' ? HEAP_AM_OID : r.kind === 'i' ? BTREE_AM_OID : 0, hasIndex: tableKeys(r).length + (r.indexes?.length ?? 0) > 0, checks: r.checks?.length ?? 0, hasTriggers: !!r.foreignKeys?.length || referenced.has(r.oid), rows: r.rowCount, bytes: r.bytes })
  }
  for (const s of systemRelationList()) {
    const t = lookupSystemTable(s.schema, s.name)
    if (!t) continue
    out.push({ oid: s.oid, name: s.name, namespace: NAMESPACE_OIDS[s.schema]!, kind: s.kind, columns: t.columns.map((c) => ({ ...c, notNull: false, hasDefault: false })), am: s.kind === 'r' ? HEAP_AM_OID : 0, hasIndex: false, checks: 0, hasTriggers: false, rows: 0, bytes: 0 })
  }
  return out
}

const EMPTY = (): Value[][] => []

const specs: CatalogRelationSpec[] = [
  {
    oid: 2615,
    name: 'pg_namespace',
    kind: 'r',
    columns: 'oid:oid nspname:name nspowner:oid nspacl:text[]',
    rows: (ctx) => [...Object.entries(NAMESPACE_OIDS), ...(ctx.state.schemas ?? [])].map(([name, oid]) => [oid, name, OWNER_OID, null]),
  },
  {
    oid: 1259,
    name: 'pg_class',
    kind: 'r',
    columns:
      'oid:oid relname:name relnamespace:oid reltype:oid reloftype:oid relowner:oid relam:oid relfilenode:oid reltablespace:oid ' +
      'relpages:int4 reltuples:float4 relallvisible:int4 reltoastrelid:oid relhasindex:bool relisshared:bool relpersistence:char ' +
      'relkind:char relnatts:int2 relchecks:int2 relhasrules:bool relhastriggers:bool relhassubclass:bool relrowsecurity:bool ' +
      'relforcerowsecurity:bool relispopulated:bool relreplident:char relispartition:bool relrewrite:oid relfrozenxid:oid ' +
      'relminmxid:oid relacl:text[] reloptions:text[] relpartbound:text',
    rows: (ctx) =>
      allRelations(ctx).map((r) => [
        r.oid,
        r.name,
        r.namespace,
        0,
        0,
        OWNER_OID,
        r.am,
        r.kind === 'v' ? 0 : r.oid,
        0,
        Math.ceil(r.bytes / 8192),
        r.kind === 'v' ? 0 : r.rows,
        0,
        0,
        r.hasIndex,
        false,
        'p',
        r.kind,
        r.columns.length,
        r.checks,
        r.kind === 'v',
        r.hasTriggers,
        false,
        false,
        false,
        true,
        r.kind === 'r' ? 'd' : 'n',
        false,
        0,
        0,
        0,
        null,
        null,
        null,
      ]),
  },
  {
    oid: 1249,
    name: 'pg_attribute',
    kind: 'r',
    columns:
      'attrelid:oid attname:name atttypid:oid attstattarget:int4 attlen:int2 attnum:int2 attndims:int4 attcacheoff:int4 ' +
      'atttypmod:int4 attbyval:bool attalign:char attstorage:char attcompression:char attnotnull:bool atthasdef:bool ' +
      'atthasmissing:bool attidentity:char attgenerated:char attisdropped:bool attislocal:bool attinhcount:int4 ' +
      'attcollation:oid attacl:text[] attoptions:text[] attfdwoptions:text[] attmissingval:text',
    rows: (ctx) => {
      const out: Value[][] = []
      for (const r of allRelations(ctx)) {
        r.columns.forEach((c, i) => {
          const a = typeAttrs(c.type)
          const m: ModelColumn = { name: c.name, type: c.type, attnum: i + 1, notNull: c.notNull, defaultText: null }
          out.push([r.oid, c.name, columnTypeOid(m), -1, a.len, i + 1, a.ndims, -1, columnTypmod(m), a.byval, a.align, a.storage, '', c.notNull, c.hasDefault, false, '', '', false, true, 0, a.collation, null, null, null, null])
        })
      }
      return out
    },
  },
  {
    oid: 1247,
    name: 'pg_type',
    kind: 'r',
    columns:
      'oid:oid typname:name typnamespace:oid typowner:oid typlen:int2 typbyval:bool typtype:char typcategory:char ' +
      'typispreferred:bool typisdefined:bool typdelim:char typrelid:oid typsubscript:regproc typelem:oid typarray:oid ' +
      'typinput:regproc typoutput:regproc typreceive:regproc typsend:regproc typmodin:regproc typmodout:regproc ' +
      'typanalyze:regproc typalign:char typstorage:char typnotnull:bool typbasetype:oid typtypmod:int4 typndims:int4 ' +
      'typcollation:oid typdefaultbin:text typdefault:text typacl:text[]',
    rows: () =>
      TYPES.map((t) => [
        t.oid,
        t.name,
        PG_CATALOG,
        OWNER_OID,
        t.len,
        t.byval,
        t.typtype,
        t.category,
        t.preferred,
        true,
        ',',
        0,
        0,
        t.type.id === 'array' ? typeElementOid(t) : t.name === 'name' ? 18 : 0,
        t.arrayOid,
        t.type.id === 'array' ? TYPE_IO_FUNCTIONS['array_in']! : 0,
        t.type.id === 'array' ? TYPE_IO_FUNCTIONS['array_out']! : 0,
        0,
        0,
        0,
        0,
        0,
        t.align,
        t.storage,
        false,
        0,
        -1,
        0,
        t.collation,
        null,
        null,
        null,
      ]),
  },
  {
    oid: 2604,
    name: 'pg_attrdef',
    kind: 'r',
    columns: 'oid:oid adrelid:oid adnum:int2 adbin:text',
    rows: (ctx) => {
      const out: Value[][] = []
      for (const r of catalogModel(ctx.state)) for (const c of r.columns) if (c.defaultText !== null) out.push([attrdefOid(r.oid, c.attnum), r.oid, c.attnum, c.defaultText])
      return out
    },
  },
  {
    oid: 2610,
    name: 'pg_index',
    kind: 'r',
    columns:
      'indexrelid:oid indrelid:oid indnatts:int2 indnkeyatts:int2 indisunique:bool indnullsnotdistinct:bool indisprimary:bool ' +
      'indisexclusion:bool indimmediate:bool indisclustered:bool indisvalid:bool indcheckxmin:bool indisready:bool ' +
      'indislive:bool indisreplident:bool indkey:int2[] indcollation:oid[] indclass:oid[] indoption:int2[] indexprs:text indpred:text',
    rows: (ctx) =>
      catalogModel(ctx.state)
        .flatMap((r) => [...tableKeys(r), ...(r.indexes ?? [])].map((key) => {
          const n = key.attnums.length
          const primary = key === r.primaryKey
          const coll = key.attnums.map((a) => typeAttrs(r.columns[a - 1]!.type).collation)
          const unique = !('unique' in key) || key.unique
          return [key.indexOid, r.oid, n, n, unique, false, primary, false, true, false, true, false, true, true, false, [...key.attnums], coll, key.attnums.map(() => 0), key.attnums.map(() => 0), null, null]
        })),
  },
  {
    oid: 2606,
    name: 'pg_constraint',
    kind: 'r',
    columns:
      'oid:oid conname:name connamespace:oid contype:char condeferrable:bool condeferred:bool convalidated:bool conrelid:oid ' +
      'contypid:oid conindid:oid conparentid:oid confrelid:oid confupdtype:char confdeltype:char confmatchtype:char ' +
      'conislocal:bool coninhcount:int4 connoinherit:bool conkey:int2[] confkey:int2[] conpfeqop:oid[] conppeqop:oid[] ' +
      'conffeqop:oid[] confdelsetcols:int2[] conexclop:oid[] conbin:text',
    rows: (ctx) =>
      catalogModel(ctx.state)
        .flatMap((r) => [
          ...tableKeys(r).map((key) => [key.constraintOid, key.name, r.namespace, key === r.primaryKey ? 'p' : 'u', false, false, true, r.oid, 0, key.indexOid, 0, 0, ' ', ' ', ' ', true, 0, true, [...key.attnums], null, null, null, null, null, null, null]),
          ...(r.checks ?? []).map((c) => [c.constraintOid, c.name, r.namespace, 'c', false, false, true, r.oid, 0, 0, 0, 0, ' ', ' ', ' ', true, 0, false, [...c.attnums], null, null, null, null, null, null, null]),
          ...(r.foreignKeys ?? []).map((f) => [f.constraintOid, f.name, r.namespace, 'f', false, false, true, r.oid, 0, f.indexOid, 0, f.refOid, f.onUpdate, f.onDelete, 's', true, 0, true, [...f.attnums], [...f.refAttnums], null, null, null, null, null, null]),
        ]),
  },
  { oid: 2609, name: 'pg_description', kind: 'r', columns: 'objoid:oid classoid:oid objsubid:int4 description:text', rows: EMPTY },
  { oid: 2396, name: 'pg_shdescription', kind: 'r', columns: 'objoid:oid classoid:oid description:text', rows: EMPTY },
  {
    oid: 2601,
    name: 'pg_am',
    kind: 'r',
    columns: 'oid:oid amname:name amhandler:regproc amtype:char',
    rows: () => [
      [HEAP_AM_OID, 'heap', 0, 't'],
      [BTREE_AM_OID, 'btree', 0, 'i'],
    ],
  },
  {
    oid: 1262,
    name: 'pg_database',
    kind: 'r',
    columns:
      'oid:oid datname:name datdba:oid encoding:int4 datlocprovider:char datistemplate:bool datallowconn:bool datconnlimit:int4 ' +
      'datfrozenxid:oid datminmxid:oid dattablespace:oid datcollate:text datctype:text daticulocale:text datcollversion:text datacl:text[]',
    rows: (ctx) => [[DATABASE_OID, ctx.database, OWNER_OID, 6, 'c', false, true, -1, 0, 1, 1663, ctx.settings.get('lc_collate') ?? 'C', ctx.settings.get('lc_ctype') ?? 'C', null, null, null]],
  },
  {
    oid: 1255,
    name: 'pg_proc',
    kind: 'r',
    columns:
      'oid:oid proname:name pronamespace:oid proowner:oid prolang:oid procost:float4 prorows:float4 provariadic:oid ' +
      'prosupport:regproc prokind:char prosecdef:bool proleakproof:bool proisstrict:bool proretset:bool provolatile:char ' +
      'proparallel:char pronargs:int2 pronargdefaults:int2 prorettype:oid proargtypes:oid[] proallargtypes:oid[] ' +
      'proargmodes:char[] proargnames:text[] proargdefaults:text protrftypes:oid[] prosrc:text probin:text prosqlbody:text ' +
      'proconfig:text[] proacl:text[]',
    rows: () => procRows(),
  },
  {
    oid: 1260,
    name: 'pg_authid',
    kind: 'r',
    columns:
      'oid:oid rolname:name rolsuper:bool rolinherit:bool rolcreaterole:bool rolcreatedb:bool rolcanlogin:bool ' +
      'rolreplication:bool rolbypassrls:bool rolconnlimit:int4 rolpassword:text rolvaliduntil:timestamptz',
    rows: (ctx) => [[OWNER_OID, ctx.user, true, true, true, true, true, true, true, -1, null, null]],
  },
  {
    oid: 12000,
    name: 'pg_roles',
    kind: 'v',
    columns:
      'rolname:name rolsuper:bool rolinherit:bool rolcreaterole:bool rolcreatedb:bool rolcanlogin:bool rolreplication:bool ' +
      'rolconnlimit:int4 rolpassword:text rolvaliduntil:timestamptz rolbypassrls:bool rolconfig:text[] oid:oid',
    rows: (ctx) => [[ctx.user, true, true, true, true, true, true, -1, '********', null, true, null, OWNER_OID]],
  },
  {
    oid: 12014,
    name: 'pg_user',
    kind: 'v',
    columns: 'usename:name usesysid:oid usecreatedb:bool usesuper:bool userepl:bool usebypassrls:bool passwd:text valuntil:timestamptz useconfig:text[]',
    rows: (ctx) => [[ctx.user, OWNER_OID, true, true, true, true, '********', null, null]],
  },
  {
    oid: 12104,
    name: 'pg_settings',
    kind: 'v',
    columns:
      'name:text setting:text unit:text category:text short_desc:text extra_desc:text context:text vartype:text source:text ' +
      'min_val:text max_val:text enumvals:text[] boot_val:text reset_val:text sourcefile:text sourceline:int4 pending_restart:bool',
    rows: (ctx) =>
      [...ctx.settings.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => {
          const internal = INTERNAL_SETTINGS.has(name)
          const vartype = /^(on|off)$/.test(value) ? 'bool' : /^-?\d+$/.test(value) ? 'integer' : 'string'
          return [SETTING_DISPLAY_NAMES[name] ?? name, value, null, internal ? 'Preset Options' : 'Client Connection Defaults', name, null, internal ? 'internal' : 'user', vartype, internal ? 'default' : 'session', null, null, null, null, value, null, null, false]
        }),
  },
  { oid: 2611, name: 'pg_inherits', kind: 'r', columns: 'inhrelid:oid inhparent:oid inhseqno:int4 inhdetachpending:bool', rows: EMPTY },
  {
    oid: 1213,
    name: 'pg_tablespace',
    kind: 'r',
    columns: 'oid:oid spcname:name spcowner:oid spcacl:text[] spcoptions:text[]',
    rows: () => [
      [1663, 'pg_default', OWNER_OID, null, null],
      [1664, 'pg_global', OWNER_OID, null, null],
    ],
  },
  {
    oid: 3456,
    name: 'pg_collation',
    kind: 'r',
    columns:
      'oid:oid collname:name collnamespace:oid collowner:oid collprovider:char collisdeterministic:bool collencoding:int4 ' +
      'collcollate:text collctype:text colliculocale:text collversion:text',
    rows: () => [
      [DEFAULT_COLLATION_OID, 'default', PG_CATALOG, OWNER_OID, 'd', true, -1, null, null, null, null],
      [950, 'C', PG_CATALOG, OWNER_OID, 'c', true, -1, 'C', 'C', null, null],
      [951, 'POSIX', PG_CATALOG, OWNER_OID, 'c', true, -1, 'POSIX', 'POSIX', null, null],
    ],
  },
  { oid: 3501, name: 'pg_enum', kind: 'r', columns: 'oid:oid enumtypid:oid enumsortorder:float4 enumlabel:name' },
  {
    oid: 3079,
    name: 'pg_extension',
    kind: 'r',
    columns: 'oid:oid extname:name extowner:oid extnamespace:oid extrelocatable:bool extversion:text extconfig:oid[] extcondition:text[]',
  },
  {
    oid: 2620,
    name: 'pg_trigger',
    kind: 'r',
    columns:
      'oid:oid tgrelid:oid tgparentid:oid tgname:name tgfoid:oid tgtype:int2 tgenabled:char tgisinternal:bool ' +
      'tgconstrrelid:oid tgconstrindid:oid tgconstraint:oid tgdeferrable:bool tginitdeferred:bool tgnargs:int2 ' +
      'tgattr:int2[] tgargs:text tgqual:text tgoldtable:name tgnewtable:name',
  },
  {
    oid: 2618,
    name: 'pg_rewrite',
    kind: 'r',
    columns: 'oid:oid rulename:name ev_class:oid ev_type:char ev_enabled:char is_instead:bool ev_qual:text ev_action:text',
  },
  {
    oid: 3256,
    name: 'pg_policy',
    kind: 'r',
    columns: 'oid:oid polname:name polrelid:oid polcmd:char polpermissive:bool polroles:oid[] polqual:text polwithcheck:text',
  },
  {
    oid: 3381,
    name: 'pg_statistic_ext',
    kind: 'r',
    columns: 'oid:oid stxrelid:oid stxname:name stxnamespace:oid stxowner:oid stxstattarget:int4 stxkeys:int2[] stxkind:char[] stxexprs:text',
  },
  {
    oid: 6104,
    name: 'pg_publication',
    kind: 'r',
    columns: 'oid:oid pubname:name pubowner:oid puballtables:bool pubinsert:bool pubupdate:bool pubdelete:bool pubtruncate:bool pubviaroot:bool',
  },
  { oid: 6237, name: 'pg_publication_namespace', kind: 'r', columns: 'oid:oid pnpubid:oid pnnspid:oid' },
  { oid: 6106, name: 'pg_publication_rel', kind: 'r', columns: 'oid:oid prpubid:oid prrelid:oid prqual:text prattrs:int2[]' },
  { oid: 3118, name: 'pg_foreign_table', kind: 'r', columns: 'ftrelid:oid ftserver:oid ftoptions:text[]' },
  {
    oid: 1417,
    name: 'pg_foreign_server',
    kind: 'r',
    columns: 'oid:oid srvname:name srvowner:oid srvfdw:oid srvtype:text srvversion:text srvacl:text[] srvoptions:text[]',
  },
  {
    oid: 2328,
    name: 'pg_foreign_data_wrapper',
    kind: 'r',
    columns: 'oid:oid fdwname:name fdwowner:oid fdwhandler:oid fdwvalidator:oid fdwacl:text[] fdwoptions:text[]',
  },
  {
    oid: 2224,
    name: 'pg_sequence',
    kind: 'r',
    columns: 'seqrelid:oid seqtypid:oid seqstart:int8 seqincrement:int8 seqmax:int8 seqmin:int8 seqcache:int8 seqcycle:bool',
  },
  {
    oid: 3350,
    name: 'pg_partitioned_table',
    kind: 'r',
    columns: 'partrelid:oid partstrat:char partnatts:int2 partdefid:oid partattrs:int2[] partclass:oid[] partcollation:oid[] partexprs:text',
  },
  {
    oid: 2608,
    name: 'pg_depend',
    kind: 'r',
    columns: 'classid:oid objid:oid objsubid:int4 refclassid:oid refobjid:oid refobjsubid:int4 deptype:char',
    rows: (ctx) => {
      // a primary-key index depends on its constraint, the constraint on the table's key columns
      const out: Value[][] = []
      for (const r of catalogModel(ctx.state)) {
        for (const key of tableKeys(r)) {
          out.push([1259, key.indexOid, 0, 2606, key.constraintOid, 0, 'i'])
          for (const a of key.attnums) out.push([2606, key.constraintOid, 0, 1259, r.oid, a, 'a'])
        }
      }
      return out
    },
  },
  {
    oid: 3466,
    name: 'pg_event_trigger',
    kind: 'r',
    columns: 'oid:oid evtname:name evtevent:name evtowner:oid evtfoid:oid evtenabled:char evttags:text[]',
  },
  {
    oid: 2612,
    name: 'pg_language',
    kind: 'r',
    columns: 'oid:oid lanname:name lanowner:oid lanispl:bool lanpltrusted:bool lanplcallfoid:oid laninline:oid lanvalidator:oid lanacl:text[]',
    rows: () => [
      [12, 'internal', OWNER_OID, false, false, 0, 0, 0, null],
      [14, 'sql', OWNER_OID, false, true, 0, 0, 0, null],
    ],
  },
  {
    oid: 3541,
    name: 'pg_range',
    kind: 'r',
    columns: 'rngtypid:oid rngsubtype:oid rngmultitypid:oid rngcollation:oid rngsubopc:oid rngcanonical:regproc rngsubdiff:regproc',
  },
  {
    oid: 12028,
    name: 'pg_views',
    kind: 'v',
    columns: 'schemaname:name viewname:name viewowner:name definition:text',
    rows: (ctx) => catalogModel(ctx.state).filter((r) => r.kind === 'v').map((r) => [r.schema, r.name, ctx.user, r.viewDefinition]),
  },
  {
    oid: 12033,
    name: 'pg_tables',
    kind: 'v',
    columns: 'schemaname:name tablename:name tableowner:name tablespace:name hasindexes:bool hasrules:bool hastriggers:bool rowsecurity:bool',
    rows: (ctx) => {
      const out: Value[][] = catalogModel(ctx.state)
        .filter((r) => r.kind === 'r')
        .map((r) => [r.schema, r.name, ctx.user, null, r.primaryKey !== null, false, false, false])
      for (const s of systemRelationList()) if (s.kind === 'r') out.push([s.schema, s.name, ctx.user, null, false, false, false, false])
      return out
    },
  },
  {
    oid: 12043,
    name: 'pg_indexes',
    kind: 'v',
    columns: 'schemaname:name tablename:name indexname:name tablespace:name indexdef:text',
    rows: (ctx) => {
      const model = catalogModel(ctx.state)
      return model
        .filter((r) => r.kind === 'i')
        .map((i) => {
          const t = model.find((r) => r.oid === i.tableOid)!
          return [t.schema, t.name, i.name, null, `CREATE UNIQUE INDEX ${i.name} ON ${t.schema}.${t.name} USING btree (${i.columns.map((c) => c.name).join(', ')})`]
        })
    },
  },
  {
    oid: 12038,
    name: 'pg_matviews',
    kind: 'v',
    columns: 'schemaname:name matviewname:name matviewowner:name tablespace:name hasindexes:bool ispopulated:bool definition:text',
  },
  {
    oid: 12222,
    name: 'pg_stat_activity',
    kind: 'v',
    columns:
      'datid:oid datname:name pid:int4 leader_pid:int4 usesysid:oid usename:name application_name:text client_addr:text ' +
      'client_hostname:text client_port:int4 backend_start:timestamptz xact_start:timestamptz query_start:timestamptz ' +
      'state_change:timestamptz wait_event_type:text wait_event:text state:text backend_xid:oid backend_xmin:oid query_id:int8 ' +
      'query:text backend_type:text',
  },
]

/** Settings PostgreSQL fixes at server start (context 'internal'). */
/** Settings whose names PostgreSQL spells in mixed case (SHOW ALL, pg_settings, ParameterStatus); others are lower case. */
export const SETTING_DISPLAY_NAMES: Readonly<Record<string, string>> = { datestyle: 'DateStyle', intervalstyle: 'IntervalStyle', timezone: 'TimeZone' }

const INTERNAL_SETTINGS = new Set(['server_version', 'server_version_num', 'server_encoding', 'integer_datetimes', 'max_identifier_length', 'lc_collate', 'lc_ctype', 'is_superuser'])

/** pg_proc: one row per function name of the registry, aggregate and window function. */
function procRows(): Value[][] {
  const rows: Value[][] = []
  const seen = new Set<string>()
  const add = (name: string, kind: string, volatility: string): void => {
    if (seen.has(name) || name.startsWith('__')) return
    seen.add(name)
    rows.push([functionOid(name), name, PG_CATALOG, OWNER_OID, 12, 1, 0, 0, 0, kind, false, false, true, false, volatility, 's', null, 0, null, null, null, null, null, null, null, name, null, null, null, null])
  }
  for (const name of functionNames().sort()) {
    const f = lookupFunctions(name)[0]
    add(name, 'f', f?.volatility === 'volatile' ? 'v' : f?.volatility === 'stable' ? 's' : 'i')
  }
  for (const name of [...AGGREGATES].sort()) add(name, 'a', 'i')
  for (const name of [...WINDOW_FUNCTIONS].sort()) add(name, 'w', 'i')
  return rows
}

/** The pg_catalog system relations. */
export const pgCatalogTables: SystemTable[] = defineSystemRelations('pg_catalog', specs)
