/** Entry point of the `flint` command. */
import { main } from './main.js'

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e) => {
    process.stderr.write(`flint: ${e instanceof Error ? e.stack : String(e)}\n`)
    process.exitCode = 1
  },
)
