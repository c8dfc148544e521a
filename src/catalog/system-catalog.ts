/**
 * Registers the virtual catalog: the pg_catalog and information_schema relations and the catalog
 * functions. The session imports this module; worker threads load the functions alone.
 */
import { registerSystemTables } from './system-tables.js'
import { pgCatalogTables } from './pg-catalog.js'
import { informationSchemaTables } from './information-schema.js'
import './pg-functions.js'

registerSystemTables([...pgCatalogTables, ...informationSchemaTables])

export { catalogDigest } from './catalog-model.js'
export { regOut } from './catalog-oids.js'
