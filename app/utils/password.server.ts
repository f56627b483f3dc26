import { hash, verify } from '@node-rs/argon2'

// argon2id (the library's default algorithm) with OWASP's minimum cost: 19 MiB, 2 passes.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string) {
	return hash(password, OPTIONS)
}

export async function verifyPassword(passwordHash: string, password: string) {
	try {
		return await verify(passwordHash, password)
	} catch {
		return false
	}
}

// Verifying against a fixed hash when the user does not exist keeps timing the same.
let dummy: Promise<string> | undefined
export function dummyHash() {
	dummy ??= hashPassword('guardino-timing-equaliser')
	return dummy
}
