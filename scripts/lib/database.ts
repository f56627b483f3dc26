// Which database a script uses: DATABASE_URL when set, else the embedded PostgreSQL under .data/.
// Sets process.env.DATABASE_URL so everything imported afterwards (env.server.ts) sees it.
import { spawnSync } from 'node:child_process'
import { migrateWorkerSchema } from '../../worker/schema'
import { ensureDatabase, startEmbeddedPostgres } from './embedded-postgres'

export const EMBEDDED_PORT = Number(process.env.EMBEDDED_PG_PORT || 5439)

export async function useDatabase({ name = 'guardino', dir = '.data/pg', port = EMBEDDED_PORT, fast = false } = {}) {
	if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} }
	const db = await startEmbeddedPostgres({ dir, port, fast })
	await ensureDatabase(db.serverUrl, name)
	process.env.DATABASE_URL = db.url(name)
	return { url: db.url(name), embedded: true, stop: db.stop }
}

/** prisma migrate deploy (WebAssembly engine, nothing downloaded), then graphile-worker's schema. */
export async function migrate(url = process.env.DATABASE_URL!) {
	const r = spawnSync('node_modules/.bin/prisma', ['migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' })
	if (r.status !== 0) throw new Error(`prisma migrate deploy failed:\n${r.stdout}\n${r.stderr}`)
	await migrateWorkerSchema(url)
}
