// /resources/healthcheck and /login against a bare node:http server doing the same DB ping
// (the health check's heartbeat query) through a pg Pool of the same size, in the same run.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { benchDatabase, ensureBuild } from '../env'
import { load } from '../load'
import { figure, type BenchCase } from '../types'

const HEARTBEAT_SQL = `select (extract(epoch from (now() - max(beat_at))) * 1000)::float8 as age_ms from worker_heartbeats`

export const httpBaseline: BenchCase = {
	name: 'http',
	description: 'healthcheck and login page vs a bare node:http + pg server',
	async run() {
		ensureBuild()
		const db = await benchDatabase()
		const pool = new pg.Pool({ connectionString: db.url, max: 10 })
		const bare = createServer(async (_req, res) => {
			const { rows } = await pool.query(HEARTBEAT_SQL)
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ db: 'ok', age: rows[0].age_ms }))
		})
		await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r))
		const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`

		const { startServer } = await import('../../server/index')
		const app = await startServer({ port: 0, host: '127.0.0.1', worker: true })
		const opts = { connections: 16, durationMs: 5000 }
		const base = await load(bareUrl, opts)
		const health = await load(`${app.url}/resources/healthcheck`, opts)
		const login = await load(`${app.url}/login`, opts)
		await app.stop()
		await new Promise((r) => bare.close(r))
		await pool.end()
		for (const [name, r] of [['bare', base], ['healthcheck', health], ['login', login]] as const) {
			if (r.errors) throw new Error(`${name}: ${r.errors} failed requests — the figure would measure errors`)
		}
		return [
			figure('http', 'healthcheck requests/s', health.rps, 'req/s', base.rps),
			figure('http', 'healthcheck p99', health.p99, 'ms', base.p99),
			figure('http', 'login page requests/s', login.rps, 'req/s', base.rps),
			figure('http', 'login page p99', login.p99, 'ms', base.p99),
		]
	},
}
