// `npm run worker`: a worker-only process for scale-out (the app runs one in-process too, unless
// WORKER_IN_PROCESS=false). Stops gracefully on SIGTERM/SIGINT, finishing running jobs.
import { prisma } from '~/utils/db.server'
import { migrateWorkerSchema, startWorker } from './runner'

await migrateWorkerSchema()
const worker = await startWorker()
console.log('worker started')

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.on(signal, async () => {
		if (stopping) return
		stopping = true
		console.log(`worker: ${signal}, draining…`)
		await worker.stop()
		await prisma.$disconnect()
		process.exit(0)
	})
}
