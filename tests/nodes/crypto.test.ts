import { describe, expect, test } from 'vitest'
import { openSecrets, sealSecrets } from '~/models/node.server'
import { rotateSecrets } from '~/services/key-rotation.server'
import { decryptWith, encryptWith, fingerprint } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'

describe('secrets at rest', () => {
	test('AES-256-GCM round trip; tampering is detected; a wrong key fails', () => {
		const key = Buffer.alloc(32, 1)
		const sealed = encryptWith(key, 'p@ss')
		expect(sealed).not.toContain('p@ss')
		expect(decryptWith(key, sealed)).toBe('p@ss')
		const parts = sealed.split('.')
		parts[4] = Buffer.from('tampered').toString('base64url')
		expect(() => decryptWith(key, parts.join('.'))).toThrow()
		expect(() => decryptWith(Buffer.alloc(32, 2), sealed)).toThrow()
		expect(sealed.split('.')[1]).toBe(fingerprint(key))
	})

	test('rotation re-seals old secrets under the new key and they still open', async () => {
		const oldKey = Buffer.alloc(32, 42)
		const old = encryptWith(oldKey, JSON.stringify({ username: 'u', password: 'secret-pw' }))
		const node = await prisma.node.create({ data: { name: 'r', kind: 'marzban', baseUrl: 'http://x', secrets: old } })
		const fresh = await prisma.node.create({ data: { name: 'f', kind: 'marzban', baseUrl: 'http://x', secrets: sealSecrets({ password: 'new' }) } })
		env().MASTER_KEY_PREVIOUS = oldKey.toString('base64')
		try {
			const result = await rotateSecrets()
			expect(result.rotated).toBe(1)
			const row = await prisma.node.findUniqueOrThrow({ where: { id: node.id } })
			expect(row.secrets).not.toBe(old)
			expect(row.secrets.split('.')[1]).toBe(fingerprint(Buffer.from(env().MASTER_KEY, 'base64')))
			expect(openSecrets(row.secrets)).toEqual({ username: 'u', password: 'secret-pw' })
			expect((await prisma.node.findUniqueOrThrow({ where: { id: fresh.id } })).secrets).toBe(fresh.secrets) // already current: untouched
			expect((await rotateSecrets()).rotated).toBe(0) // idempotent
		} finally {
			env().MASTER_KEY_PREVIOUS = undefined
		}
	})
})
