// Starts graphile-worker (in the app process or alone) plus a heartbeat the health check reads.
// The heartbeat is keyed by graphile-worker's pool id, and each beat also frees the jobs of pools
// that stopped beating (a killed process): see liveness.ts and decision 020.
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { run, type Runner, type TaskList, type WorkerEvents } from 'graphile-worker'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { beat, beatEveryMs, sweepDeadWorkers } from './liveness'
import { quietLogger } from './schema'
import { taskList } from './tasks/index'

const here = path.dirname(fileURLToPath(import.meta.url))

export function readCrontab() {
	return readFileSync(path.join(here, 'crontab'), 'utf8')
}


/**
 * Two lanes, each its own graphile-worker pool (graphile-worker only hands a pool jobs of the
 * tasks in its list: getJob's `task_id = any(…)`). The bulk lane runs the long jobs — a node's
 * usage sync, a router's poll, an export, a backup — which at a million accounts take tens of
 * seconds each and would otherwise fill every slot, so a reconcile that disables a customer who
 * just crossed his quota waited for one of them to finish (25.7 s in the 1M bench). The fast lane
 * runs everything else and the crontab; a task not listed here is fast. Decision 028.
 */
export const BULK_TASKS = new Set(['sync_node_usage', 'router_poll', 'report_export', 'backup_database'])

export function laneTaskLists(tasks: TaskList = taskList) {
	const bulk: TaskList = {}
	const fast: TaskList = {}
	for (const [name, fn] of Object.entries(tasks)) (BULK_TASKS.has(name) ? bulk : fast)[name] = fn
	return { bulk, fast }
}

export interface WorkerHandle {
	runners: Runner[]
	stop(): Promise<void>
}

async function startPool(tasks: TaskList, concurrency: number, crontab: string | undefined) {
	// The pool id is what graphile-worker writes into locked_by; it is known once the pool exists.
	const events: WorkerEvents = new EventEmitter()
	let workerId = ''
	events.once('pool:create', ({ workerPool }) => void (workerId = workerPool.id))
	const runner = await run({
		events,
		connectionString: env().DATABASE_URL,
		concurrency,
		taskList: tasks,
		...(crontab ? { crontab } : {}),
		noHandleSignals: true, // our server shuts the worker down together with HTTP
		pollInterval: 1000,
		logger: quietLogger(env().LOG_LEVEL === 'debug'),
	})
	if (!workerId) throw new Error('graphile-worker did not announce its pool id')
	return { runner, workerId }
}

export async function startWorker(): Promise<WorkerHandle> {
	const { bulk, fast } = laneTaskLists()
	const pools = [
		await startPool(bulk, env().WORKER_CONCURRENCY, undefined),
		await startPool(fast, env().WORKER_FAST_CONCURRENCY, env().WORKER_CRON ? readCrontab() : undefined),
	]
	const deadAfterSec = env().WORKER_DEAD_AFTER_SEC
	const beatAndSweep = async () => {
		try {
			for (const p of pools) await beat(p.workerId, process.pid, hostname())
			const freed = await sweepDeadWorkers(deadAfterSec)
			if (freed.length) console.warn(`worker ${pools.map((p) => p.workerId).join('+')}: unlocked the jobs of silent worker(s) ${freed.join(', ')}`)
		} catch (e) {
			console.error('worker heartbeat failed', e)
		}
	}
	await beatAndSweep()
	const timer = setInterval(beatAndSweep, beatEveryMs(deadAfterSec))
	timer.unref()
	return {
		runners: pools.map((p) => p.runner),
		async stop() {
			clearInterval(timer)
			await Promise.all(pools.map((p) => p.runner.stop())) // each waits for its running jobs
			await prisma.workerHeartbeat.deleteMany({ where: { workerId: { in: pools.map((p) => p.workerId) } } }).catch(() => {})
		},
	}
}
