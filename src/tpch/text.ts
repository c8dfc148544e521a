/**
 * TPC-H comment text (clause 4.2.2.10): a pool of pseudo-English sentences built from the
 * specification's grammar and weighted word lists; every comment column takes a substring of the
 * pool at a random offset with a random length in the column's range.
 */
import { Rng } from './random.js'

type Weighted = readonly (readonly [word: string, weight: number])[]

const NOUNS: Weighted = [
  ['foxes', 50], ['ideas', 50], ['theodolites', 50], ['pinto beans', 50], ['instructions', 50],
  ['dependencies', 50], ['excuses', 50], ['platelets', 50], ['asymptotes', 50], ['courts', 50],
  ['dolphins', 50], ['multipliers', 1], ['sauternes', 1], ['warthogs', 1], ['frets', 1], ['dinos', 1],
  ['attainments', 1], ['somas', 1], ['Tiresias', 1], ['patterns', 1], ['forges', 1], ['braids', 1],
  ['hockey players', 1], ['frays', 1], ['warhorses', 1], ['dugouts', 1], ['notornis', 1], ['epitaphs', 1],
  ['pearls', 1], ['tithes', 1], ['waters', 1], ['orbits', 1], ['gifts', 1], ['sheaves', 1], ['depths', 1],
  ['sentiments', 1], ['decoys', 1], ['realms', 1], ['pains', 1], ['grouches', 1], ['escapades', 1],
  ['packages', 40], ['requests', 40], ['accounts', 40], ['deposits', 40],
]

const VERBS: Weighted = [
  ['sleep', 20], ['wake', 20], ['are', 20], ['cajole', 20], ['haggle', 20], ['nag', 10], ['use', 10],
  ['boost', 10], ['affix', 5], ['detect', 5], ['integrate', 5], ['maintain', 1], ['nod', 1], ['was', 1],
  ['lose', 1], ['sublate', 1], ['solve', 1], ['thrash', 1], ['promise', 1], ['engage', 1], ['hinder', 1],
  ['print', 1], ['x-ray', 1], ['breach', 1], ['eat', 1], ['grow', 1], ['impress', 1], ['mold', 1],
  ['poach', 1], ['serve', 1], ['run', 1], ['dazzle', 1], ['snooze', 1], ['doze', 1], ['unwind', 1],
  ['kindle', 1], ['play', 1], ['hang', 1], ['believe', 1], ['doubt', 1],
]

const ADJECTIVES: Weighted = [
  ['furious', 1], ['sly', 1], ['careful', 1], ['blithe', 1], ['quick', 1], ['fluffy', 1], ['slow', 1],
  ['quiet', 1], ['ruthless', 1], ['thin', 1], ['close', 1], ['dogged', 1], ['daring', 1], ['brave', 1],
  ['stealthy', 1], ['permanent', 1], ['enticing', 1], ['idle', 1], ['busy', 1], ['regular', 50],
  ['final', 40], ['ironic', 40], ['even', 30], ['bold', 20], ['silent', 10], ['pending', 20],
  ['express', 20], ['special', 20], ['unusual', 10],
]

const ADVERBS: Weighted = [
  ['sometimes', 1], ['always', 1], ['never', 1], ['furiously', 50], ['slyly', 50], ['carefully', 50],
  ['blithely', 40], ['quickly', 30], ['fluffily', 20], ['slowly', 1], ['quietly', 1], ['ruthlessly', 1],
  ['thinly', 1], ['closely', 1], ['doggedly', 1], ['daringly', 1], ['bravely', 1], ['stealthily', 1],
  ['permanently', 1], ['enticingly', 1], ['idly', 1], ['busily', 1], ['regularly', 1], ['finally', 1],
  ['ironically', 1], ['evenly', 1], ['boldly', 1], ['silently', 1],
]

const PREPOSITIONS: Weighted = [
  ['about', 50], ['above', 50], ['according to', 50], ['across', 50], ['after', 50], ['against', 40],
  ['along', 40], ['alongside of', 30], ['among', 30], ['around', 20], ['at', 10], ['atop', 1],
  ['before', 1], ['behind', 1], ['beneath', 1], ['beside', 1], ['besides', 1], ['between', 1],
  ['beyond', 1], ['by', 1], ['despite', 1], ['during', 1], ['except', 1], ['for', 1], ['from', 1],
  ['in place of', 1], ['inside', 1], ['instead of', 1], ['into', 1], ['near', 1], ['of', 1], ['on', 1],
  ['outside', 1], ['over', 1], ['past', 1], ['since', 1], ['through', 1], ['throughout', 1], ['to', 1],
  ['toward', 1], ['under', 1], ['until', 1], ['up', 1], ['upon', 1], ['without', 1], ['with', 1],
  ['within', 1],
]

const AUXILIARIES: Weighted = [
  ['do', 1], ['may', 1], ['might', 1], ['shall', 1], ['will', 1], ['would', 1], ['can', 1], ['could', 1],
  ['should', 1], ['ought to', 1], ['must', 1], ['will have to', 1], ['shall have to', 1],
  ['could have to', 1], ['should have to', 1], ['must have to', 1], ['need to', 1], ['try to', 1],
]

const TERMINATORS: Weighted = [['.', 50], [';', 1], [':', 1], ['?', 1], ['!', 1], ['--', 1]]

/** Sentence shapes: N noun phrase, V verb phrase, P prepositional phrase, T terminator. */
const SENTENCES: Weighted = [['NVT', 3], ['NVPT', 3], ['NVNT', 3], ['NPVNT', 1], ['NPVPT', 1]]
/** Noun phrase shapes: N noun, J adjective, ',' a comma after the previous word, D adverb. */
const NOUN_PHRASES: Weighted = [['N', 10], ['JN', 20], ['J,JN', 10], ['DJN', 50]]
/** Verb phrase shapes: V verb, X auxiliary, D adverb. */
const VERB_PHRASES: Weighted = [['V', 30], ['XV', 1], ['VD', 40], ['XVD', 1]]

/** A weighted list expanded so that a uniform index picks an entry with its weight's probability. */
class Picker {
  private readonly table: string[] = []
  constructor(list: Weighted) {
    for (const [word, weight] of list) for (let k = 0; k < weight; k++) this.table.push(word)
  }
  pick(rng: Rng): string {
    return this.table[rng.int(0, this.table.length - 1)]!
  }
}

const nouns = new Picker(NOUNS)
const verbs = new Picker(VERBS)
const adjectives = new Picker(ADJECTIVES)
const adverbs = new Picker(ADVERBS)
const prepositions = new Picker(PREPOSITIONS)
const auxiliaries = new Picker(AUXILIARIES)
const terminators = new Picker(TERMINATORS)
const sentences = new Picker(SENTENCES)
const nounPhrases = new Picker(NOUN_PHRASES)
const verbPhrases = new Picker(VERB_PHRASES)

function nounPhrase(rng: Rng, out: string[]): void {
  for (const c of nounPhrases.pick(rng)) {
    if (c === 'N') out.push(nouns.pick(rng))
    else if (c === 'J') out.push(adjectives.pick(rng))
    else if (c === 'D') out.push(adverbs.pick(rng))
    else out[out.length - 1] += ','
  }
}

function verbPhrase(rng: Rng, out: string[]): void {
  for (const c of verbPhrases.pick(rng)) {
    if (c === 'V') out.push(verbs.pick(rng))
    else if (c === 'X') out.push(auxiliaries.pick(rng))
    else out.push(adverbs.pick(rng))
  }
}

/** One sentence of the grammar, with its terminator attached to the last word. */
export function sentence(rng: Rng): string {
  const words: string[] = []
  for (const c of sentences.pick(rng)) {
    if (c === 'N') nounPhrase(rng, words)
    else if (c === 'V') verbPhrase(rng, words)
    else if (c === 'P') {
      words.push(prepositions.pick(rng), 'the')
      nounPhrase(rng, words)
    } else words[words.length - 1] += terminators.pick(rng)
  }
  return words.join(' ')
}

/** Size of the text pool in bytes. */
export const TEXT_POOL_SIZE = 8 * 1024 * 1024

let pool: Uint8Array | undefined

/** The shared text pool: TEXT_POOL_SIZE bytes of sentences separated by spaces (built once). */
export function textPool(): Uint8Array {
  if (pool !== undefined) return pool
  const rng = Rng.named('text.pool')
  const bytes = new Uint8Array(TEXT_POOL_SIZE)
  let pos = 0
  while (pos < bytes.length) {
    const s = sentence(rng)
    for (let k = 0; k < s.length && pos < bytes.length; k++) bytes[pos++] = s.charCodeAt(k)
    if (pos < bytes.length) bytes[pos++] = 0x20
  }
  pool = bytes
  return bytes
}
