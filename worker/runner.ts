// Starts graphile-worker (in the app process or alone) plus a heartbeat the health check reads.
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { run, type Runner } from 'graphile-worker'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { quietLogger } from './schema'
import { taskList } from './tasks/index'

const HEARTBEAT_MS = 10_000
const here = path.dirname(fileURLToPath(import.meta.url))

export function readCrontab() {
	return readFileSync(path.join(here, 'crontab'), 'utf8')
}


export interface WorkerHandle {
	runner: Runner
	stop(): Promise<void>
}

export async function startWorker(): Promise<WorkerHandle> {
	const workerId = `${hostname()}:${process.pid}`
	const runner = await run({
		connectionString: env().DATABASE_URL,
		concurrency: env().WORKER_CONCURRENCY,
		taskList,
		crontab: readCrontab(),
		noHandleSignals: true, // our server shuts the worker down together with HTTP
		pollInterval: 1000,
		logger: quietLogger(env().LOG_LEVEL === 'debug'),
	})
	const beat = async () => {
		await prisma.workerHeartbeat
			.upsert({ where: { workerId }, create: { workerId, beatAt: new Date(), pid: process.pid, hostname: hostname() }, update: { beatAt: new Date() } })
			.catch((e) => console.error('worker heartbeat failed', e))
	}
	await beat()
	const timer = setInterval(beat, HEARTBEAT_MS)
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
