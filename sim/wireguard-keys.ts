// WireGuard keys for the simulators, written from wg(8) and RFC 7748 rather than shared with the
// hub's adapters: a simulator that reuses the adapter's helpers can only agree with them.
// `wg genkey` = 32 random bytes clamped as X25519 wants; `wg pubkey` = X25519(priv, 9); both are
// printed as standard base64 with padding (44 characters).
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto'

export interface SimKeyPair {
	privateKey: string
	publicKey: string
}

// ASN.1 header of a PKCS#8 X25519 private key (RFC 8410 §7), followed by the 32 raw bytes.
const X25519_PKCS8_HEADER = Buffer.from('302e020100300506032b656e04220420', 'hex')

/** `wg pubkey`: throws on text that is not 32 bytes of standard base64, as wg does. */
export function simPublicKey(privateKey: string): string {
	const raw = Buffer.from(privateKey, 'base64')
	if (raw.length !== 32 || raw.toString('base64') !== privateKey) throw new Error('Key is not the correct length or format')
	const key = createPrivateKey({ key: Buffer.concat([X25519_PKCS8_HEADER, raw]), format: 'der', type: 'pkcs8' })
	// The SPKI DER of an X25519 public key ends with the 32 raw bytes.
	const spki = createPublicKey(key).export({ format: 'der', type: 'spki' })
	return spki.subarray(spki.length - 32).toString('base64')
}

/** `wg genkey | tee priv | wg pubkey`. */
export function simKeyPair(): SimKeyPair {
	const raw = randomBytes(32)
	raw[0] &= 248
	raw[31] = (raw[31] & 127) | 64
	const privateKey = raw.toString('base64')
	return { privateKey, publicKey: simPublicKey(privateKey) }
}

/** 32 bytes in base64: 43 characters, the last one carrying 4 bits, then one '='. */
export function isSimWgKey(value: string) {
	return /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(value)
}
