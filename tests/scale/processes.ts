// Real processes for the multi-process test (issue 16): worker processes are `npm run worker`'s
// entry (worker/index.ts), the web processes `npm start`'s (scripts/start.ts with
// WEB_CONCURRENCY=2). Each child's output is kept; with LOG_LEVEL=debug graphile-worker logs every
// job it takes ("Found task 12 (sync_node_usage)") and finishes ("Completed task 12 (…)"), which
// is how the test knows which process ran which job.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'

/** The test process's own key (env.server.ts's development key): the children must open the node secrets it sealed. */
const MASTER_KEY = Buffer.alloc(32, 7).toString('base64')

export interface Child {
	name: string
	proc: ChildProcess
	output(): string
	exited: Promise<number | null>
	/** Graceful stop (SIGTERM), or nothing if it already exited. */
	stop(): Promise<void>
}

function startChild(name: string, args: string[], env: Record<string, string>): Child {
	const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, MASTER_KEY, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
	let out = ''
	proc.stdout!.on('data', (d) => (out += d))
	proc.stderr!.on('data', (d) => (out += d))
	const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
	return {
		name,
		proc,
		output: () => out,
		exited,
		async stop() {
			if (proc.exitCode !== null || proc.signalCode !== null) return
			proc.kill('SIGTERM')
			await exited
		},
	}
}

export function startWorkerProcess(name: string, env: Record<string, string>) {
	return startChild(name, ['worker/index.ts'], { LOG_LEVEL: 'debug', ...env })
}

export function startWebProcesses(port: number, env: Record<string, string>) {
	return startChild('web', ['scripts/start.ts'], { WEB_CONCURRENCY: '2', WORKER_IN_PROCESS: 'false', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, ...env })
}

/** The production build the web processes serve; `npm test` builds it after vitest, so a fresh clone builds it here. */
export function ensureBuild() {
	if (existsSync('build/server/index.js')) return
	const r = spawnSync('node_modules/.bin/remix', ['vite:build'], { encoding: 'utf8' })
	if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`)
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer()
		s.once('error', reject)
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as net.AddressInfo
			s.close(() => resolve(port))
		})
	})
}

export type JobLog = { found: Array<{ id: string; task: string }>; completed: Array<{ id: string; task: string }>; failed: Array<{ id: string; task: string }> }

/** The jobs one worker process took, completed and failed, from its graphile-worker log. */
export function jobsOf(output: string): JobLog {
	const all = (re: RegExp) => [...output.matchAll(re)].map((m) => ({ id: m[1]!, task: m[2]! }))
	return { found: all(/Found task (\d+) \((\w+)\)/g), completed: all(/Completed task (\d+) \((\w+)/g), failed: all(/Failed task (\d+) \((\w+)/g) }
}

/** One keep-alive connection: every request on it reaches the same web process. */
export function connection(port: number) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
	let localPort = 0
	const request = (method: 'GET' | 'POST', path: string, { cookie = '', body = '' } = {}) =>
		new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
			const headers = { cookie, 'accept-language': 'en', ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } : {}) }
			const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
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

/** The pid owning the server side of the TCP connection from our `clientPort` (the kernel's view, `ss -tnp`). */
export function serverPidOf(port: number, clientPort: number) {
	const out = spawnSync('ss', ['-tnpH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' }).stdout
	// Columns: Recv-Q Send-Q Local(:port) Peer(:clientPort) Process — the peer is our side.
	const line = out.split('\n').find((l) => new RegExp(`:${port}\\s+\\S+:${clientPort}\\s`).test(l))
	return Number(/pid=(\d+)/.exec(line ?? '')?.[1] ?? 0)
}

/**
 * Polls `check` until it returns a value other than undefined/false. The deadline is only a
 * failure guard for a hung run (nothing is timed): it fails with `what` and the children's output.
 */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, opts: { deadlineMs?: number; children?: Child[]; state?: () => Promise<unknown> } = {}): Promise<T> {
	const deadline = Date.now() + (opts.deadlineMs ?? 120_000)
	for (;;) {
		const v = await check()
		if (v !== undefined && v !== false) return v
		if (Date.now() > deadline) {
			const logs = (opts.children ?? []).map((c) => `--- ${c.name} ---\n${c.output().slice(-4000)}`).join('\n')
			const state = opts.state ? `\nstate: ${JSON.stringify(await opts.state(), (_, v) => (typeof v === 'bigint' ? String(v) : v))}` : ''
			throw new Error(`gave up waiting: ${what}${state}\n${logs}`)
		}
		await new Promise((r) => setTimeout(r, 100))
	}
}
