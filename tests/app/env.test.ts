import { describe, expect, test } from 'vitest'
import { parseEnv } from '~/utils/env.server'

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db' }

describe('env', () => {
	test('a missing DATABASE_URL stops the boot naming it', () => {
		expect(() => parseEnv({})).toThrow(/DATABASE_URL/)
	})
	test('a bad value is named with the reason', () => {
		expect(() => parseEnv({ ...base, PORT: 'eighty' })).toThrow(/PORT/)
		expect(() => parseEnv({ ...base, MASTER_KEY: 'short' })).toThrow(/MASTER_KEY: must be 32 bytes/)
		expect(() => parseEnv({ ...base, WORKER_IN_PROCESS: 'maybe' })).toThrow(/WORKER_IN_PROCESS/)
	})
	test('production requires its own secrets', () => {
		expect(() => parseEnv({ ...base, NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: is required in production[\s\S]*MASTER_KEY/)
		const ok = parseEnv({ ...base, NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), MASTER_KEY: Buffer.alloc(32, 1).toString('base64') })
		expect(ok.PORT).toBe(3000)
		expect(ok.WORKER_IN_PROCESS).toBe(true)
	})
	test('development gets defaults', () => {
		const e = parseEnv({ ...base, WORKER_IN_PROCESS: 'false' })
		expect(e.WORKER_IN_PROCESS).toBe(false)
		expect(e.SESSION_SECRET.length).toBeGreaterThanOrEqual(32)
	})
})
