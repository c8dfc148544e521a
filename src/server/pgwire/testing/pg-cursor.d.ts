/** Types of the parts of pg-cursor (which ships none) that the client tests use. */
declare module 'pg-cursor' {
  import type { Submittable } from 'pg'

  /** A server-side cursor over a named portal, read in pages with Execute + Flush. */
  export default class Cursor<R = Record<string, unknown>> implements Submittable {
    constructor(text: string, values?: unknown[], config?: { rowMode?: 'array' })
    submit: Submittable['submit']
    /** Reads up to rowCount rows; an empty array once the portal is exhausted. */
    read(rowCount: number): Promise<R[]>
    /** Closes the portal. */
    close(): Promise<void>
  }
}
