/**
 * Password authentication as PostgreSQL does it: cleartext, md5 (salted double MD5) and
 * SCRAM-SHA-256 (RFC 5802 / RFC 7677, no channel binding), with node's crypto.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'
import { EngineError, ProtocolError } from '../../common/errors.js'

/** Authentication methods the server offers (one for all users, like a single pg_hba line). */
export type AuthMethod = 'trust' | 'password' | 'md5' | 'scram-sha-256'

/** How clients authenticate; `users` maps user names to passwords. */
export interface AuthConfig {
  readonly method: AuthMethod
  readonly users?: Readonly<Record<string, string>>
}

/** A failed login (28P01 invalid_password, 28000 invalid_authorization_specification). */
export class AuthError extends EngineError {
  readonly kind = 'ProtocolError'
}

/** 28P01 password authentication failed for user "…". */
export const passwordFailed = (user: string): AuthError => new AuthError('28P01', `password authentication failed for user "${user}"`)

/** The md5 response a client sends: 'md5' + md5(md5(password + user) + salt). */
export function md5Response(user: string, password: string, salt: Uint8Array): string {
  const inner = createHash('md5').update(password + user).digest('hex')
  return 'md5' + createHash('md5').update(Buffer.concat([Buffer.from(inner), salt])).digest('hex')
}

/** Compares two strings in constant time (for equal lengths). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** A user's SCRAM verifier, as pg_authid stores it. */
export interface ScramSecret {
  readonly salt: Buffer
  readonly iterations: number
  readonly storedKey: Buffer
  readonly serverKey: Buffer
}

const hmac = (key: Buffer, data: string | Buffer): Buffer => createHmac('sha256', key).update(data).digest()
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest()

/** Derives the SCRAM-SHA-256 verifier of a password. */
export function scramSecret(password: string, salt: Buffer = randomBytes(16), iterations = 4096): ScramSecret {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256')
  return { salt, iterations, storedKey: sha256(hmac(salted, 'Client Key')), serverKey: hmac(salted, 'Server Key') }
}

function malformed(detail: string): ProtocolError {
  const e = new ProtocolError('malformed SCRAM message')
  e.detail = detail
  return e
}

/** Splits 'a=1,b=2' SCRAM attributes; values may contain '='. */
function attributes(s: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of s.split(',')) {
    const eq = part.indexOf('=')
    if (eq !== 1) throw malformed(`Attribute expected, but found invalid character "${part.slice(0, 1)}".`)
    out.set(part[0]!, part.slice(2))
  }
  return out
}

/**
 * The server side of one SCRAM-SHA-256 exchange. With a null secret (unknown user) it runs the
 * exchange to the end and fails there, as PostgreSQL's mock authentication does.
 */
export class ScramExchange {
  private gs2Header = ''
  private clientFirstBare = ''
  private serverFirst = ''
  private nonce = ''
  private readonly secret: ScramSecret
  private readonly known: boolean

  constructor(
    private readonly user: string,
    secret: ScramSecret | null,
  ) {
    this.secret = secret ?? { salt: randomBytes(16), iterations: 4096, storedKey: randomBytes(32), serverKey: randomBytes(32) }
    this.known = secret !== null
  }

  /** Handles client-first-message; returns server-first-message. */
  start(mechanism: string, clientFirst: string): string {
    if (mechanism !== 'SCRAM-SHA-256') throw new ProtocolError('client selected an invalid SASL authentication mechanism')
    // gs2-header: flag ('n' or 'y'; 'p=…' asks for channel binding, which is not offered), authzid
    const c1 = clientFirst.indexOf(',')
    const c2 = c1 < 0 ? -1 : clientFirst.indexOf(',', c1 + 1)
    if (c2 < 0) throw malformed('Comma expected, but found end of string.')
    const flag = clientFirst.slice(0, c1)
    if (flag.startsWith('p=')) throw malformed('The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data.')
    if (flag !== 'n' && flag !== 'y') throw malformed(`Unexpected channel-binding flag "${flag}".`)
    if (c2 !== c1 + 1) throw new ProtocolError('client uses authorization identity, but it is not supported')
    this.gs2Header = clientFirst.slice(0, c2 + 1)
    this.clientFirstBare = clientFirst.slice(c2 + 1)
    const attrs = attributes(this.clientFirstBare)
    const cnonce = attrs.get('r')
    if (cnonce === undefined || cnonce === '' || !attrs.has('n')) throw malformed('Could not parse the client nonce.')
    this.nonce = cnonce + randomBytes(18).toString('base64')
    this.serverFirst = `r=${this.nonce},s=${this.secret.salt.toString('base64')},i=${this.secret.iterations}`
    return this.serverFirst
  }

  /** Handles client-final-message; returns server-final-message or throws 28P01. */
  finish(clientFinal: string): string {
    const proofAt = clientFinal.lastIndexOf(',p=')
    if (proofAt < 0) throw malformed('Could not find proof in client-final-message.')
    const withoutProof = clientFinal.slice(0, proofAt)
    const attrs = attributes(clientFinal)
    const binding = attrs.get('c')
    if (binding !== Buffer.from(this.gs2Header).toString('base64')) throw malformed('SCRAM channel binding check failed.')
    if (attrs.get('r') !== this.nonce) throw malformed('Nonce does not match.')
    const proof = Buffer.from(attrs.get('p') ?? '', 'base64')
    if (proof.length !== 32) throw malformed('Malformed proof in client-final-message.')
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`
    const clientSignature = hmac(this.secret.storedKey, authMessage)
    const clientKey = Buffer.alloc(32)
    for (let k = 0; k < 32; k++) clientKey[k] = proof[k]! ^ clientSignature[k]!
    if (!this.known || !timingSafeEqual(sha256(clientKey), this.secret.storedKey)) throw passwordFailed(this.user)
    return `v=${hmac(this.secret.serverKey, authMessage).toString('base64')}`
  }
}
