// Several web processes on one port (WEB_CONCURRENCY; issue 8 §3's burst, issue 16): node:cluster's
// primary owns the listening socket and hands each new connection to its web processes in turn
// (round-robin), each a whole server with its own database pool. That is safe because nothing a
// request relies on lives in one process's memory: sessions and login throttles (decision 008) and
// the remote rate limiter (decision 010) are rows in Postgres, a toast is a cookie, a CSP nonce is
// made per request. What stays process-local is only a cache or a courtesy — a panel's login token
// (each process logs in once), the /sub miss counter (sub-guard.server.ts: per process, so an
// address gets N × the allowance before it is told to wait), the i18n and number-format caches.
// Only web process 0 runs the graphile worker (WORKER_IN_PROCESS), so the job concurrency stays
// WORKER_CONCURRENCY however many web processes there are; graphile-worker itself would be safe
// with several (it takes jobs with SKIP LOCKED).
import cluster, { type Worker } from 'node:cluster'
import type { RunningServer } from './index'

type Ready = { type: 'web-ready'; url: string }
const INDEX_VAR = 'WEB_PROCESS_INDEX'
/** A web process that dies after it was serving is started again, after this pause. */
const RESTART_DELAY_MS = 1_000

export const isWebProcess = () => cluster.isWorker

/** Which web process this is (0 … WEB_CONCURRENCY−1); 0 in a single-process server. */
export const webProcessIndex = () => Number(process.env[INDEX_VAR] ?? 0)

export interface WebProcesses {
	url: string
	/** SIGTERM to every web process (each drains like a single server), resolved when all exited. */
	stop(): Promise<void>
}

/**
 * In the primary: fork `count` web processes (they run the same entry script) and resolve with the
 * URL once every one listens. One that exits before it is ready fails the start (a boot error
 * would otherwise loop); one that dies later is replaced under the same index.
 */
export function forkWebProcesses(count: number): Promise<WebProcesses> {
	const live = new Map<number, Worker>()
	let stopping = false
	let url = ''
	const fork = (index: number, onReady: (url: string) => void, onEarlyExit: (code: number | null) => void) => {
		const worker = cluster.fork({ [INDEX_VAR]: String(index) })
		live.set(index, worker)
		let ready = false
		worker.on('message', (m: Ready) => {
			if (m?.type !== 'web-ready') return
			ready = true
			onReady(m.url)
		})
		worker.on('exit', (code, signal) => {
			if (live.get(index) === worker) live.delete(index)
			if (stopping) return
			if (!ready) return onEarlyExit(code)
			console.error(`web process ${index} exited (${signal ?? code}); starting it again`)
			setTimeout(() => !stopping && fork(index, () => {}, (c) => console.error(`web process ${index} failed to start again (${c})`)), RESTART_DELAY_MS)
		})
	}
	return new Promise((resolve, reject) => {
		let waiting = count
		for (let i = 0; i < count; i++) {
			fork(
				i,
				(u) => {
					url = u
					if (--waiting === 0) resolve({ url, stop })
				},
				(code) => {
					void stop().then(() => reject(new Error(`web process ${i} exited (${code}) before it was ready`)))
				},
			)
		}
	})

	async function stop() {
		stopping = true
		await Promise.all(
			[...live.values()].map(
				(w) =>
					new Promise<void>((resolve) => {
						if (w.isDead()) return resolve()
						w.once('exit', () => resolve())
						w.process.kill('SIGTERM')
					}),
			),
		)
	}
}

/**
 * In a forked web process: start the server, tell the primary, and on SIGTERM/SIGINT (the primary's,
 * or a terminal's Ctrl-C reaching the whole process group) drain it and exit 0.
 */
export async function serveAsWebProcess(start: (index: number) => Promise<RunningServer>, onStopped: () => Promise<void> = async () => {}) {
	const running = await start(webProcessIndex())
	let stopping = false
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.on(signal, async () => {
			if (stopping) return
			stopping = true
			await running.stop()
			await onStopped()
			process.exit(0)
		})
	}
	process.send?.({ type: 'web-ready', url: running.url } satisfies Ready)
	return running
}
