/**
 * COPY … FROM STDIN for node-postgres (`pg`) without extra packages: a query object that streams
 * a file as CopyData messages when the server asks for them, with back-pressure.
 */
import { createReadStream } from 'node:fs'
import type { Client } from 'pg'

/** The part of pg's connection a COPY needs. */
interface CopyConnection {
  query(text: string): void
  sendCopyFromChunk(chunk: Buffer): void
  endCopyFrom(): void
  sendCopyFail(message: string): void
  stream: NodeJS.WritableStream & { writableLength: number }
}

class CopyFromFile {
  private error: Error | undefined
  rowCount = 0

  constructor(
    private readonly text: string,
    private readonly path: string,
    private readonly resolve: (rows: number) => void,
    private readonly reject: (e: Error) => void,
  ) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text)
  }

  handleCopyInResponse(connection: CopyConnection): void {
    const file = createReadStream(this.path, { highWaterMark: 1 << 20 })
    file.on('data', (chunk) => {
      connection.sendCopyFromChunk(chunk as Buffer)
      if (connection.stream.writableLength > 16 << 20) {
        file.pause()
        connection.stream.once('drain', () => file.resume())
      }
    })
    file.on('end', () => connection.endCopyFrom())
    file.on('error', (e) => connection.sendCopyFail(e.message))
  }

  handleCommandComplete(msg: { text?: string }): void {
    const m = /COPY (\d+)/.exec(msg.text ?? '')
    if (m !== null) this.rowCount = Number(m[1])
  }

  handleError(e: Error): void {
    this.error = e
  }

  handleReadyForQuery(): void {
    if (this.error !== undefined) this.reject(this.error)
    else this.resolve(this.rowCount)
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs `COPY table FROM STDIN (FORMAT csv, HEADER true)` with the file's contents; returns the rows copied. */
export function copyCsvFile(client: Client, table: string, path: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const q = new CopyFromFile(`COPY ${table} FROM STDIN (FORMAT csv, HEADER true)`, path, resolve, reject)
    ;(client as unknown as { query(q: unknown): void }).query(q)
  })
}
