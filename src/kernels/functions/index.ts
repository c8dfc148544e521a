/**
 * The scalar function library: importing this module registers every string, pattern-matching,
 * regular-expression, math, miscellaneous and sequence function into the kernel registry.
 */
import { registerFunctions } from '../registry.js'
import { likeFunctions } from './like.js'
import { bitwiseFunctions } from './bitwise.js'
import { mathFunctions } from './math.js'
import { miscFunctions } from './misc.js'
import { regexFunctions } from './regex.js'
import { sequenceFunctions } from './sequence.js'
import { stringFunctions } from './string.js'

/** Every function this library defines, in registration order. */
export const libraryFunctions = [...stringFunctions, ...likeFunctions, ...regexFunctions, ...mathFunctions, ...bitwiseFunctions, ...miscFunctions, ...sequenceFunctions]

registerFunctions(libraryFunctions)
