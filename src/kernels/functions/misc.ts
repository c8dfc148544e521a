/**
 * Miscellaneous functions: gen_random_uuid().
 */
import { randomUUID } from 'node:crypto'
import { T } from '../../common/types.js'
import type { ScalarFunction } from '../registry.js'
import { Utf8Builder } from './build.js'
import { defineFunction, sig } from './signature.js'

/** Miscellaneous functions. */
export const miscFunctions: ScalarFunction[] = [
  defineFunction(
    'gen_random_uuid',
    [
      sig([], T.uuid, (_args, n, ret) => {
        const b = new Utf8Builder(n, 36 * n)
        for (let i = 0; i < n; i++) b.stringRow(randomUUID())
        return b.finish(ret)
      }),
    ],
    'volatile',
  ),
]
