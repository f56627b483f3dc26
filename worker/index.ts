// `npm run worker`: a worker-only process for scale-out (the app runs one in-process too, unless
// WORKER_IN_PROCESS=false). Stops gracefully on SIGTERM/SIGINT, finishing running jobs.
// Production runs it prebuilt (scripts/worker.mjs); heap-growth.ts comes first (decision 033).
import './heap-growth'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { startWorker } from './runner'
import { migrateWorkerSchema } from './schema'

await migrateWorkerSchema(env().DATABASE_URL)
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
