// Shared setup for benchmark cases: a dedicated embedded database, the production build.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { dropDatabase, ensureDatabase, scratchServer, withDatabase } from '../scripts/lib/embedded-postgres'
import { migrate } from '../scripts/lib/database'

let started: Promise<{ url: string; stop(): Promise<void> }> | undefined

/** One fresh, migrated database for the whole bench run (DATABASE_URL's server if set). */
export function benchDatabase() {
	started ??= (async () => {
		process.env.NODE_ENV = 'production'
		process.env.SESSION_SECRET ??= 'bench-session-secret-bench-session-secret-01'
		process.env.MASTER_KEY ??= Buffer.alloc(32, 3).toString('base64')
		process.env.LOG_LEVEL = 'warn'
		process.env.PUBLIC_URL ??= 'https://hub.bench.example'
		const { serverUrl, stop } = await scratchServer({ dir: process.env.BENCH_PG_DIR || '.data/pg-bench', port: Number(process.env.BENCH_PG_PORT || 5442) })
		await dropDatabase(serverUrl, 'guardino_bench')
		await ensureDatabase(serverUrl, 'guardino_bench')
		const url = new URL(withDatabase(serverUrl, 'guardino_bench'))
		process.env.DATABASE_URL = url.toString()
		await migrate()
		return { url: url.toString(), stop }
	})()
	return started
}

export function ensureBuild() {
	if (existsSync('build/server/index.js') && existsSync('build/worker/index.js')) return
	const r = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' })
	if (r.status !== 0) throw new Error('build failed')
}
