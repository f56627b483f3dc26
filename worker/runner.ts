// Starts graphile-worker (in the app process or alone) plus a heartbeat the health check reads.
// The heartbeat is keyed by graphile-worker's pool id, and each beat also frees the jobs of pools
// that stopped beating (a killed process): see liveness.ts and decision 020.
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { run, type Runner, type WorkerEvents } from 'graphile-worker'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { beat, beatEveryMs, sweepDeadWorkers } from './liveness'
import { quietLogger } from './schema'
import { taskList } from './tasks/index'

const here = path.dirname(fileURLToPath(import.meta.url))

export function readCrontab() {
	return readFileSync(path.join(here, 'crontab'), 'utf8')
}


export interface WorkerHandle {
	runner: Runner
	stop(): Promise<void>
}

export async function startWorker(): Promise<WorkerHandle> {
	// The pool id is what graphile-worker writes into locked_by; it is known once the pool exists.
	const events: WorkerEvents = new EventEmitter()
	let workerId = ''
	events.once('pool:create', ({ workerPool }) => void (workerId = workerPool.id))
	const runner = await run({
		events,
		connectionString: env().DATABASE_URL,
		concurrency: env().WORKER_CONCURRENCY,
		taskList,
		crontab: readCrontab(),
		noHandleSignals: true, // our server shuts the worker down together with HTTP
		pollInterval: 1000,
		logger: quietLogger(env().LOG_LEVEL === 'debug'),
	})
	if (!workerId) throw new Error('graphile-worker did not announce its pool id')
	const deadAfterSec = env().WORKER_DEAD_AFTER_SEC
	const beatAndSweep = async () => {
		try {
			await beat(workerId, process.pid, hostname())
			const freed = await sweepDeadWorkers(deadAfterSec)
			if (freed.length) console.warn(`worker ${workerId}: unlocked the jobs of silent worker(s) ${freed.join(', ')}`)
		} catch (e) {
			console.error('worker heartbeat failed', e)
		}
	}
	await beatAndSweep()
	const timer = setInterval(beatAndSweep, beatEveryMs(deadAfterSec))
	timer.unref()
	return {
		runner,
		async stop() {
			clearInterval(timer)
			await runner.stop() // waits for running jobs to finish
			await prisma.workerHeartbeat.deleteMany({ where: { workerId } }).catch(() => {})
		},
	}
}
