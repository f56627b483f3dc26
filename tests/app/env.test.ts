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
		expect(() => parseEnv({ ...base, NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: is required in production[\s\S]*MASTER_KEY[\s\S]*PUBLIC_URL/)
		const ok = parseEnv({ ...base, NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), MASTER_KEY: Buffer.alloc(32, 1).toString('base64'), PUBLIC_URL: 'https://hub.example.com/' })
		expect(ok.PUBLIC_URL).toBe('https://hub.example.com')
		expect(ok.PORT).toBe(3000)
		expect(ok.WORKER_IN_PROCESS).toBe(true)
	})
	test('TRUST_PROXY is off unless set to a hop count or fly', () => {
		expect(parseEnv(base).TRUST_PROXY).toBe(false)
		expect(parseEnv({ ...base, TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2)
		expect(parseEnv({ ...base, TRUST_PROXY: 'fly' }).TRUST_PROXY).toBe('fly')
		expect(() => parseEnv({ ...base, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/)
		expect(() => parseEnv({ ...base, PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/PUBLIC_URL/)
	})
	test('development gets defaults', () => {
		const e = parseEnv({ ...base, WORKER_IN_PROCESS: 'false' })
		expect(e.WORKER_IN_PROCESS).toBe(false)
		expect(e.SESSION_SECRET.length).toBeGreaterThanOrEqual(32)
	})
})
