// What the jobs console shows (MISSION §5: run statistics the admin can see, retry and inspect):
// per task its last run (task_runs), its schedule (worker/crontab) and its queued graphile jobs;
// per node the usage sync's health; failed graphile jobs (keyset pages); held usage jumps.
import { parseCrontab, type CronMatcher } from 'graphile-worker'
import { prisma } from '~/utils/db.server'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'
import crontabText from '../../worker/crontab?raw'
import { taskList } from '../../worker/tasks/index'

const MINUTE = 60_000

interface Schedule {
	task: string
	identifier: string
	pattern: string
	match: CronMatcher
}

/** One entry per crontab line (parsed by graphile-worker itself, so it reads it as the worker does). */
export function parseSchedules(text: string): Schedule[] {
	return text
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line && !line.startsWith('#'))
		.map((line) => {
			const [item] = parseCrontab(line)
			return { task: item!.task, identifier: item!.identifier, pattern: line.split(/\s+/).slice(0, 5).join(' '), match: item!.match }
		})
}
const schedules = parseSchedules(crontabText)

/** The first minute after `from` the pattern fires (UTC, as graphile-worker's cron), within `horizonDays`. */
export function nextCronRun(match: CronMatcher, from: Date, horizonDays = 32) {
	const ts = new Date(Math.floor(from.getTime() / MINUTE) * MINUTE + MINUTE)
	for (let i = 0; i < horizonDays * 24 * 60; i++, ts.setTime(ts.getTime() + MINUTE)) {
		if (match({ min: ts.getUTCMinutes(), hour: ts.getUTCHours(), date: ts.getUTCDate(), month: ts.getUTCMonth() + 1, dow: ts.getUTCDay() })) return new Date(ts)
	}
	return null
}

export const TASK_NAMES = Object.keys(taskList)

export async function taskSummaries(now = new Date()) {
	// One indexed lookup per task (task_runs grows by one row per node per minute).
	const [lastRuns, queued] = await Promise.all([
		Promise.all(TASK_NAMES.map((task) => prisma.taskRun.findFirst({ where: { task }, orderBy: { id: 'desc' } }))),
		prisma.$queryRaw<Array<{ task: string; queued: number; running: number; next_run_at: Date | null }>>`
			select task_identifier as task,
				count(*) filter (where locked_at is null and attempts < max_attempts)::int as queued,
				count(*) filter (where locked_at is not null)::int as running,
				min(run_at) filter (where locked_at is null and attempts < max_attempts) as next_run_at
			from graphile_worker.jobs group by task_identifier`,
	])
	return TASK_NAMES.map((task, i) => {
		const run = lastRuns[i]
		const q = queued.find((r) => r.task === task)
		const cron = schedules.filter((s) => s.task === task)
		const cronNext = cron.map((s) => nextCronRun(s.match, now)).filter((d): d is Date => d !== null)
		const next = [...cronNext, ...(q?.next_run_at ? [q.next_run_at] : [])].sort((a, b) => a.getTime() - b.getTime())[0] ?? null
		return {
			task,
			lastRun: run ? { startedAt: run.startedAt, finished: run.finishedAt !== null, durationMs: run.durationMs, items: run.items, failures: run.failures, error: run.error } : null,
			schedule: cron.map((s) => s.pattern),
			queued: q?.queued ?? 0,
			running: q?.running ?? 0,
			nextRunAt: next && next < now ? now : next,
		}
	})
}

export async function nodeSyncHealth(now = new Date()) {
	const [nodes, drift] = await Promise.all([
		prisma.node.findMany({
			where: { deletedAt: null },
			orderBy: { id: 'asc' },
			select: { id: true, name: true, kind: true, lastSyncAt: true, lastSyncMs: true, lastSyncError: true, lastSyncAccounts: true, lastSyncFetched: true, lastSyncMissing: true, usageStale: true },
		}),
		prisma.$queryRaw<Array<{ node_id: number; n: number }>>`select node_id, count(*)::int as n from sub_accounts where drift_error is not null group by node_id`,
	])
	return nodes.map((n) => ({
		...n,
		lagMs: n.lastSyncAt ? Math.max(0, now.getTime() - n.lastSyncAt.getTime()) : null,
		drift: drift.find((d) => d.node_id === n.id)?.n ?? 0,
		state: (n.lastSyncError ? 'failing' : n.usageStale ? 'stale' : n.lastSyncAt ? 'fresh' : 'never') as 'failing' | 'stale' | 'fresh' | 'never',
	}))
}

export interface FailedJob {
	id: string
	task: string
	queue: string | null
	attempts: number
	maxAttempts: number
	lastError: string
	runAt: Date
	key: string | null
	locked: boolean
	updatedAt: Date
	payload: string
}

/** Jobs whose last attempt threw, newest first; `q` narrows by task name. */
export async function failedJobs({ q, after }: { q: string; after?: number }) {
	// The public view has no payload column; the payload is read from graphile-worker's own table
	// for inspection only (pinned graphile-worker 0.17).
	const rows = await prisma.$queryRaw<Array<{ id: bigint; task: string; queue: string | null; attempts: number; max_attempts: number; last_error: string; run_at: Date; key: string | null; locked_at: Date | null; updated_at: Date; payload: unknown }>>`
		select j.id, j.task_identifier as task, j.queue_name as queue, j.attempts, j.max_attempts, j.last_error, j.run_at, j.key, j.locked_at, j.updated_at, p.payload
		from graphile_worker.jobs j join graphile_worker._private_jobs p on p.id = j.id
		where j.last_error is not null
			and (${after ?? null}::bigint is null or j.id < ${after ?? null}::bigint)
			and (${q} = '' or j.task_identifier ilike '%' || ${q} || '%')
		order by j.id desc
		limit ${PAGE_SIZE + 1}`
	const page = paginate(rows)
	return {
		nextCursor: page.nextCursor,
		rows: page.rows.map(
			(r): FailedJob => ({
				id: String(r.id),
				task: r.task,
				queue: r.queue,
				attempts: r.attempts,
				maxAttempts: r.max_attempts,
				lastError: r.last_error.slice(0, 2000),
				runAt: r.run_at,
				key: r.key,
				locked: r.locked_at !== null,
				updatedAt: r.updated_at,
				payload: JSON.stringify(r.payload ?? {}).slice(0, 2000),
			}),
		),
	}
}

const HOLDS_SHOWN = 50

/** Pending usage holds, oldest first, with the customer and his reseller. */
export async function pendingHolds() {
	const [holds, total] = await Promise.all([
		prisma.usageHold.findMany({ where: { status: 'pending' }, orderBy: { id: 'asc' }, take: HOLDS_SHOWN, include: { node: { select: { name: true } } } }),
		prisma.usageHold.count({ where: { status: 'pending' } }),
	])
	const customers = await prisma.customer.findMany({
		where: { id: { in: [...new Set(holds.map((h) => h.customerId))] } },
		select: { id: true, username: true, reseller: { select: { name: true } } },
	})
	const byId = new Map(customers.map((c) => [c.id, c]))
	return {
		total,
		rows: holds.map((h) => ({
			id: h.id,
			nodeName: h.node.name,
			customerId: h.customerId,
			customer: byId.get(h.customerId)?.username ?? `#${h.customerId}`,
			reseller: byId.get(h.customerId)?.reseller?.name ?? null,
			counterBefore: h.counterBefore,
			counterAfter: h.counterAfter,
			delta: h.delta,
			createdAt: h.createdAt,
		})),
	}
}
