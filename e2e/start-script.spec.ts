// The production start script, outside Docker: migrate → worker schema → server + worker,
// healthy, and a clean stop on SIGTERM. A missing secret stops the boot naming it.
import { spawn } from 'node:child_process'
import { expect, test } from '@playwright/test'
import { dropDatabase, ensureDatabase } from '../scripts/lib/embedded-postgres'

const SERVER = `postgres://postgres:postgres@127.0.0.1:${process.env.E2E_PG_PORT || 5441}/postgres`
const DB = 'guardino_start_script'

function start(env: Record<string, string>) {
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
	let output = ''
	child.stdout.on('data', (d) => (output += d))
	child.stderr.on('data', (d) => (output += d))
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
	return { child, exited, output: () => output }
}

test('npm start migrates, serves a healthy app and drains on SIGTERM', async () => {
	test.setTimeout(90_000)
	await dropDatabase(SERVER, DB)
	await ensureDatabase(SERVER, DB)
	const url = SERVER.replace(/\/postgres$/, `/${DB}`)
	const app = start({ NODE_ENV: 'production', DATABASE_URL: url, PORT: '3197', HOST: '127.0.0.1', PUBLIC_URL: 'http://127.0.0.1:3197', SESSION_SECRET: 's'.repeat(40), MASTER_KEY: Buffer.alloc(32, 5).toString('base64') })
	await expect
		.poll(async () => (await fetch('http://127.0.0.1:3197/resources/healthcheck').catch(() => null))?.status ?? 0, { timeout: 60_000 })
		.toBe(200)
	app.child.kill('SIGTERM')
	expect(await app.exited).toBe(0)
	expect(app.output()).toContain('draining')
})

test('a missing secret stops the boot with its name', async () => {
	const app = start({ NODE_ENV: 'production', DATABASE_URL: SERVER, PORT: '3198', SESSION_SECRET: '', MASTER_KEY: '' })
	expect(await app.exited).not.toBe(0)
	expect(app.output()).toMatch(/SESSION_SECRET/)
})

test('production without PUBLIC_URL stops the boot with its name', async () => {
	const app = start({ NODE_ENV: 'production', DATABASE_URL: SERVER, PORT: '3199', PUBLIC_URL: '', SESSION_SECRET: 's'.repeat(40), MASTER_KEY: Buffer.alloc(32, 5).toString('base64') })
	expect(await app.exited).not.toBe(0)
	expect(app.output()).toMatch(/PUBLIC_URL: is required in production/)
})
