// The worker's two lanes (worker/runner.ts, decision 028): a long job filling every bulk slot never
// holds up a short one. A worker process with ONE bulk slot starts a node's usage sync whose list
// request the simulator holds (so the sync cannot finish); a short job queued meanwhile must run and
// complete while the sync is still held. With one shared pool of one slot it could only run after
// the release, so the wait below would never end (its deadline is a guard, not a timing bar).
import { afterAll, beforeAll, expect, test } from 'vitest'
import { prisma } from '~/utils/db.server'
import { startMarzbanSim, type MarzbanSim } from '../../sim/marzban'
import { SIM_CREDENTIALS } from '../../sim/start-all'
import { createUser } from '../factories'
import { createSimNode } from '../usage/fixtures'
import { jobsOf, startWorkerProcess, until, type Child } from './processes'

let sim: MarzbanSim
let nodeId = 0
let worker: Child

beforeAll(async () => {
	sim = await startMarzbanSim({})
	nodeId = await createSimNode('lanes', { kind: 'marzban', baseUrl: sim.url, ...SIM_CREDENTIALS.xray })
	await sim.control.seed(10, 'lane')
	worker = startWorkerProcess('worker', { DATABASE_URL: process.env.DATABASE_URL!, NODE_ENV: 'test', WORKER_CONCURRENCY: '1', WORKER_FAST_CONCURRENCY: '1' })
	// A first sync (the one the node's creation may have queued, or ours) runs through unheld.
	await queueSync()
	await until('the first sync', async () => ((await finishedSyncs(new Date(0))) > 0 ? true : undefined), { children: [worker] })
}, 180_000)

const queueSync = () => prisma.$executeRawUnsafe(`select graphile_worker.add_job('sync_node_usage', json_build_object('nodeId', $1::int), queue_name := 'node:' || $1::int, job_key := 'sync:' || $1::int)`, nodeId)
const runsSince = (since: Date) => prisma.taskRun.findMany({ where: { task: 'sync_node_usage', nodeId, startedAt: { gte: since } } })
const finishedSyncs = async (since: Date) => (await runsSince(since)).filter((r) => r.finishedAt && !r.error).length

afterAll(async () => {
	await worker?.stop()
	await sim?.close()
})

test('a short job runs while a long one holds the only bulk slot', async () => {
	const since = new Date()
	const held = sim.control.hold({ method: 'GET', pathPrefix: '/api/users' })
	await queueSync()
	await held.arrived // the sync is running and waits on the panel

	const user = await createUser('reseller')
	const expired = await prisma.session.create({ data: { id: `lanes-${Date.now()}`, userId: user.id, expiresAt: new Date(Date.now() - 60_000) } })
	await prisma.$executeRawUnsafe(`select graphile_worker.add_job('cleanup_sessions', '{}'::json)`)
	await until('the short job ran beside the held sync', async () => ((await prisma.session.count({ where: { id: expired.id } })) === 0 ? true : undefined), { children: [worker] })

	// Still held: the short job did not wait for the long one.
	const runs = await runsSince(since)
	expect(runs).toHaveLength(1)
	expect(runs[0]!.finishedAt).toBeNull()

	held.release()
	await until('the sync finished after the release', async () => ((await finishedSyncs(since)) === 1 ? true : undefined), { children: [worker] })
	const log = jobsOf(worker.output())
	expect(log.completed.map((j) => j.task)).toEqual(expect.arrayContaining(['cleanup_sessions', 'sync_node_usage']))
	expect(log.failed).toEqual([])
}, 300_000) // a guard for a loaded machine: seconds when quiet
