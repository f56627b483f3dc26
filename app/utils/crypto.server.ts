// Secrets at rest (panel credentials): AES-256-GCM under MASTER_KEY. The stored form names the
// key by a short fingerprint, so a rotation (MASTER_KEY_PREVIOUS → MASTER_KEY) knows what to redo.
//   v1.<key fingerprint>.<iv b64url>.<tag b64url>.<ciphertext b64url>
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { env } from './env.server'

const keyFrom = (b64: string) => Buffer.from(b64, 'base64')
export const fingerprint = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8)

export function encryptWith(key: Buffer, plaintext: string) {
	const iv = randomBytes(12)
	const cipher = createCipheriv('aes-256-gcm', key, iv)
	const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
	return ['v1', fingerprint(key), iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.')
}

export function decryptWith(key: Buffer, sealed: string) {
	const [version, , iv, tag, ct] = sealed.split('.')
	if (version !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a sealed secret')
	const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
	decipher.setAuthTag(Buffer.from(tag, 'base64url'))
	return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8')
}

// Derived once per key value (the /sub hot path opens several secrets per request).
let cache: { source: string; current: Buffer; currentFp: string; previous: Buffer | null; previousFp: string | null } | undefined
function keys() {
	const source = `${env().MASTER_KEY}|${env().MASTER_KEY_PREVIOUS ?? ''}`
	if (cache?.source !== source) {
		const current = keyFrom(env().MASTER_KEY)
		const previous = env().MASTER_KEY_PREVIOUS ? keyFrom(env().MASTER_KEY_PREVIOUS!) : null
		cache = { source, current, currentFp: fingerprint(current), previous, previousFp: previous ? fingerprint(previous) : null }
	}
	return cache
}

export function seal(plaintext: string) {
	return encryptWith(keys().current, plaintext)
}

/** Opens with the current key, or the previous one during a rotation. */
export function open(sealed: string) {
	const { current, currentFp, previous, previousFp } = keys()
	const fp = sealed.split('.')[1]
	if (fp === currentFp) return decryptWith(current, sealed)
	if (previous && fp === previousFp) return decryptWith(previous, sealed)
	throw new Error('secret sealed with an unknown key: set MASTER_KEY_PREVIOUS to the old key and run npm run rotate-key')
}

export function needsRotation(sealed: string) {
	return sealed.split('.')[1] !== keys().currentFp
}
