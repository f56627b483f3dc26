// WEB_CONCURRENCY=2 (server/web-processes.ts; issues 8 §3 and 16): `npm start` serves one port
// from two web processes, and a user signed in through one is signed in on the other — sessions
// live in Postgres and a toast is a cookie, so no request depends on which process answers it.
// Which process holds a connection is read from the kernel (`ss -tnp`: the owner of the server
// side of that TCP connection), so the test knows the two requests really met two processes.
import { spawn, spawnSync } from 'node:child_process'
import http from 'node:http'
import { expect, test } from '@playwright/test'
import { dropDatabase, ensureDatabase } from '../scripts/lib/embedded-postgres'

const SERVER = `postgres://postgres:postgres@127.0.0.1:${process.env.E2E_PG_PORT || 5441}/postgres`
const DB = 'guardino_web_processes'
const PORT = 3194
const ADMIN = { username: 'twoprocs_admin', password: 'two-processes-pass' }

/** One keep-alive connection: every request on it reaches the same server process. */
function connection() {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
	let localPort = 0
	const request = (method: 'GET' | 'POST', path: string, { cookie = '', body = '' } = {}) =>
		new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
			const req = http.request({ host: '127.0.0.1', port: PORT, method, path, agent, headers: { cookie, 'accept-language': 'en', ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
				localPort = res.socket.localPort ?? 0
				let text = ''
				res.setEncoding('utf8')
				res.on('data', (d) => (text += d))
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
			})
			req.on('error', reject)
			req.end(body)
		})
	return { request, localPort: () => localPort, close: () => agent.destroy() }
}

/** The pid of the process that owns the server side of the connection from our `clientPort`. */
function serverPidOf(clientPort: number) {
	const out = spawnSync('ss', ['-tnpH', 'state', 'established', `( sport = :${PORT} )`], { encoding: 'utf8' }).stdout
	// Columns: Recv-Q Send-Q Local(:PORT) Peer(:clientPort) Process — the peer is our side.
	const line = out.split('\n').find((l) => new RegExp(`:${PORT}\\s+\\S+:${clientPort}\\s`).test(l))
	return Number(/pid=(\d+)/.exec(line ?? '')?.[1] ?? 0)
}

test('two web processes share one port, sessions and toasts', async () => {
	test.setTimeout(120_000)
	await dropDatabase(SERVER, DB)
	await ensureDatabase(SERVER, DB)
	const url = SERVER.replace(/\/postgres$/, `/${DB}`)
	const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, PORT: String(PORT), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${PORT}`, SESSION_SECRET: 's'.repeat(40), MASTER_KEY: Buffer.alloc(32, 5).toString('base64') }
	const admin = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/create-admin.ts', '--username', ADMIN.username, '--password', ADMIN.password], { env, encoding: 'utf8' })
	expect(admin.status, admin.stderr).toBe(0)

	const app = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env: { ...env, WEB_CONCURRENCY: '2' }, stdio: ['ignore', 'pipe', 'pipe'] })
	let output = ''
	app.stdout.on('data', (d) => (output += d))
	app.stderr.on('data', (d) => (output += d))
	const exited = new Promise<number | null>((resolve) => app.on('exit', (code) => resolve(code)))
	try {
		await expect.poll(() => output, { timeout: 90_000 }).toContain('(2 web processes)')

		// Round-robin hands each new connection to the next process; open until two differ.
		const a = connection()
		await a.request('GET', '/login')
		const aPid = serverPidOf(a.localPort())
		expect(aPid).toBeGreaterThan(0)
		expect(aPid).not.toBe(app.pid) // a web process, not the primary
		let b = connection()
		for (let i = 0; i < 4; i++) {
			await b.request('GET', '/login')
			if (serverPidOf(b.localPort()) !== aPid) break
			b.close()
			b = connection()
		}
		const bPid = serverPidOf(b.localPort())
		expect(bPid).toBeGreaterThan(0)
		expect(bPid).not.toBe(aPid)

		// Sign in through A: the session and the welcome toast are cookies for the browser …
		const login = await a.request('POST', '/login', { body: new URLSearchParams(ADMIN).toString() })
		expect(login.status).toBe(302)
		const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ')
		expect(cookie).toContain('__session=')
		expect(cookie).toContain('toast=')
		// … and B, another process, knows the session and shows the toast A set.
		const page = await b.request('GET', login.headers.location!, { cookie })
		expect(serverPidOf(b.localPort())).toBe(bPid)
		expect(page.status).toBe(200)
		// The root loader read A's toast cookie here (its data travels in the page's loader data).
		expect(page.text).toContain('toast.welcome')
		expect(page.text).toContain(ADMIN.username)
		// Signed out on B: A no longer lets the session in either.
		const logout = await b.request('POST', '/logout', { cookie })
		expect(logout.status).toBe(302)
		const after = await a.request('GET', '/admin', { cookie })
		expect(after.status).toBe(302)
		expect(after.headers.location).toMatch(/^\/login/)
		a.close()
		b.close()
	} finally {
		app.kill('SIGTERM')
		expect(await exited).toBe(0)
	}
	expect(output).toContain('draining')
})
