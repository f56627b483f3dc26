// Polling schedule (issue 13), the usage pipeline's pattern (decision 007): cron every minute adds
// one `router_poll {routerId}` per live router on queue `router:<id>` with job key
// `router-poll:<id>` (preserve_run_at) — one pending poll per router, and graphile-worker never
// runs two jobs of one queue at once, across worker processes. Each run queues the router's next
// one after its own interval (min 30 s), so intervals under a minute work and the chain is also
// the retry; cron restarts a broken chain.
import { enqueue } from '~/services/jobs.server'
import { prisma } from '~/utils/db.server'
import { enforceRouter } from './enforce.server'
import { pollRouter, type PollResult } from './poll.server'

export const MIN_POLL_SEC = 30
export const pollJob = (routerId: number) => ({ queueName: `router:${routerId}`, jobKey: `router-poll:${routerId}`, maxAttempts: 3 })

export async function enqueueRouterPolls(now = new Date()): Promise<number> {
	const routers = await prisma.router.findMany({ where: { deletedAt: null }, select: { id: true, pollIntervalSec: true, lastPollAt: true } })
	// Cron fires every minute; a longer interval skips a router polled within it (half a minute of
	// slack, since lastPollAt is when a poll ran, and the minute ticks are not exact).
	const due = routers.filter((r) => !r.lastPollAt || now.getTime() - r.lastPollAt.getTime() >= (r.pollIntervalSec - 30) * 1000)
	if (!due.length) return 0
	await prisma.$transaction(async (tx) => {
		for (const r of due) await enqueue(tx, 'router_poll', { routerId: r.id }, { ...pollJob(r.id), jobKeyMode: 'preserve_run_at' })
	})
	return due.length
}

/** The poll job's body: poll, enforce after the commit, queue the next poll. */
export async function runRouterPoll(routerId: number): Promise<PollResult> {
	const result = await pollRouter(routerId)
	if (result.status === 'ok') await enforceRouter(routerId)
	const router = await prisma.router.findFirst({ where: { id: routerId, deletedAt: null }, select: { pollIntervalSec: true } })
	if (router && router.pollIntervalSec < 60) {
		const runAt = new Date(Date.now() + Math.max(MIN_POLL_SEC, router.pollIntervalSec) * 1000)
		await prisma.$transaction((tx) => enqueue(tx, 'router_poll', { routerId }, { ...pollJob(routerId), runAt }))
	}
	return result
}

/** A poll now (after an import or a settings change): replaces the pending poll's run time. */
export function enqueueRouterPollNow(routerId: number) {
	return prisma.$transaction((tx) => enqueue(tx, 'router_poll', { routerId }, { ...pollJob(routerId), runAt: new Date() }))
}

/** After a quota change: enforcement on the router's queue, after any running poll. */
export function enqueueRouterEnforce(routerId: number) {
	return prisma.$transaction((tx) => enqueue(tx, 'router_enforce', { routerId }, { queueName: `router:${routerId}`, jobKey: `router-enforce:${routerId}`, maxAttempts: 3 }))
}

/** Raw samples (and their polls) older than each router's retention. Rollups are kept. */
export async function pruneRouterSamples(now = new Date()): Promise<number> {
	return prisma.$executeRawUnsafe(
		`with old as (
			delete from router_samples s using router_peers p, routers r
			where s.peer_id = p.id and p.router_id = r.id and s.at < $1::timestamptz - make_interval(days => r.sample_retention_days)
			returning 1
		), polls as (
			delete from router_polls o using routers r
			where o.router_id = r.id and o.at < $1::timestamptz - make_interval(days => r.sample_retention_days)
		)
		select count(*) from old`,
		now,
	)
}
