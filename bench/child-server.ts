// A server for the load generator to hit from another process, so server and load each get a
// core (the bars are "on 2 cores"). MODE=hub: the production server (WEB_CONCURRENCY > 1: that many
// web processes on one port, as `npm start` runs them); MODE=bare-sub: node:http + pg running the
// /sub lookup query. Prints "READY <url>" once listening.
import cluster from 'node:cluster'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'

const mode = process.env.MODE
// A clean exit on SIGTERM, so a --cpu-prof profile gets written (bench/child.ts).
process.on('SIGTERM', () => process.exit(0))
if (mode === 'hub') {
	const { startServer } = await import('../server/index')
	const { forkWebProcesses, serveAsWebProcess } = await import('../server/web-processes')
	const web = Number(process.env.WEB_CONCURRENCY || 1)
	const serve = () => startServer({ port: 0, host: '127.0.0.1', worker: false }) // port 0: the web processes share the one the primary picks
	if (cluster.isWorker) await serveAsWebProcess(serve)
	else if (web > 1) {
		const app = await forkWebProcesses(web)
		process.removeAllListeners('SIGTERM')
		process.on('SIGTERM', () => void app.stop().then(() => process.exit(0))) // each web process writes its own profile
		console.log(`READY ${app.url}`)
	} else console.log(`READY ${(await serve()).url}`)
} else if (mode === 'bare-sub') {
	const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 6 })
	const sql = `select c.used_bytes, c.data_limit_bytes, c.expire_at, s.links from customers c left join sub_accounts s on s.customer_id = c.id and s.state = 'active' where c.sub_token = $1`
	const server = createServer(async (req, res) => {
		const { rows } = await pool.query(sql, [req.url!.slice(5)])
		res.writeHead(200, { 'content-type': 'text/plain', 'subscription-userinfo': `download=${rows[0].used_bytes}` }).end(Buffer.from(rows.map((r) => r.links).join('\n')).toString('base64'))
	})
	server.listen(0, '127.0.0.1', () => console.log(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}`))
} else {
	throw new Error(`MODE must be hub or bare-sub, got ${mode}`)
}
