#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader (worker threads inherit it).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/flint.ts'), ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(r.status ?? 1)
