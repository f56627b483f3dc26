// Read side of MikroTik accounting (issue 13): what the dashboard, router and peer pages show.
// Routers are the admin's own (no reseller owns one), so every query is scoped by router id and
// `deleted_at is null`; a peer is always looked up together with its router id.
// Each page reads rollup rows only (router_daily, router_hourly, the peer row's cycle_bytes), so
// its cost does not grow with the number of polls.
import { prisma } from '~/utils/db.server'

const DAY_MS = 86_400_000

export interface RouterSummary {
	id: number
	name: string
	identity: string | null
	version: string | null
	transport: string
	stale: boolean
	lastPollAt: string | null
	lastPollOkAt: string | null
	lastPollError: string | null
	interfaces: string[]
	cycleStart: string | null
	peers: number
	online: number
	disabled: number
	missing: number
	cycleBytes: string
	quotaBytes: string | null
	pendingAnomalies: number
	timezone: string
	calendar: 'jalali' | 'gregorian'
}

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** Every live router with its counts, in one query per table (no per-router loop). */
export async function listRouterSummaries(only?: number): Promise<RouterSummary[]> {
	const routers = await prisma.router.findMany({ where: { deletedAt: null, ...(only ? { id: only } : {}) }, orderBy: { id: 'asc' } })
	if (!routers.length) return []
	const ids = routers.map((r) => r.id)
	const counts = await prisma.$queryRawUnsafe<Array<{ router_id: number; peers: number; online: number; disabled: number; missing: number; cycle: string; quota: string | null }>>(
		`select p.router_id, count(*)::int as peers, count(*) filter (where p.online)::int as online,
			count(*) filter (where p.disabled)::int as disabled, count(*) filter (where p.missing_at is not null)::int as missing,
			coalesce(sum(p.cycle_bytes) filter (where p.cycle_start = r.cycle_start), 0)::text as cycle,
			sum(coalesce(p.quota_bytes, r.default_quota_bytes))::text as quota
		 from router_peers p join routers r on r.id = p.router_id
		 where p.router_id = any(string_to_array($1, ',')::int[]) group by p.router_id`,
		ids.join(','),
	)
	const anomalies = await prisma.routerAnomaly.groupBy({ by: ['routerId'], where: { routerId: { in: ids }, status: 'pending' }, _count: true })
	const byId = new Map(counts.map((c) => [c.router_id, c]))
	const pending = new Map(anomalies.map((a) => [a.routerId, a._count]))
	return routers.map((r) => {
		const c = byId.get(r.id)
		return {
			id: r.id, name: r.name, identity: r.identity, version: r.version, transport: r.transport, stale: r.stale,
			lastPollAt: iso(r.lastPollAt), lastPollOkAt: iso(r.lastPollOkAt), lastPollError: r.lastPollError,
			interfaces: r.interfaces, cycleStart: r.cycleStart ? r.cycleStart.toISOString().slice(0, 10) : null,
			peers: c?.peers ?? 0, online: c?.online ?? 0, disabled: c?.disabled ?? 0, missing: c?.missing ?? 0,
			cycleBytes: c?.cycle ?? '0', quotaBytes: c?.quota ?? null, pendingAnomalies: pending.get(r.id) ?? 0,
			timezone: r.timezone, calendar: r.calendar,
		}
	})
}

export async function getRouter(routerId: number) {
	return prisma.router.findFirst({ where: { id: routerId, deletedAt: null } })
}

/** The router's public fields (never the sealed credentials). */
export function publicRouter(r: NonNullable<Awaited<ReturnType<typeof getRouter>>>) {
	const { secrets: _sealed, defaultQuotaBytes, lastUptimeSec, ...rest } = r
	return { ...rest, defaultQuotaBytes: defaultQuotaBytes?.toString() ?? null, lastUptimeSec: lastUptimeSec?.toString() ?? null }
}

/** Daily totals of a router from `from` (a local day) on, one entry per day, zeros filled in. */
export async function routerDaily(routerId: number, from: string, to: string) {
	const rows = await prisma.routerDaily.findMany({ where: { routerId, day: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) } } })
	return fillDays(rows, from, to)
}

export async function peerDaily(peerId: number, from: string, to: string) {
	const rows = await prisma.routerPeerDaily.findMany({ where: { peerId, day: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) } } })
	return fillDays(rows, from, to)
}

function fillDays(rows: Array<{ day: Date; rx: bigint; tx: bigint }>, from: string, to: string) {
	const byDay = new Map(rows.map((r) => [r.day.toISOString().slice(0, 10), r.rx + r.tx]))
	const out: Array<{ day: string; bytes: string }> = []
	for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length < 400; t += DAY_MS) {
		const day = new Date(t).toISOString().slice(0, 10)
		out.push({ day, bytes: String(byDay.get(day) ?? 0n) })
	}
	return out
}

/** The last 24 hours of a router, hour by hour (UTC hours; labels are localised by the page). */
export async function routerHours(routerId: number, now = new Date()) {
	const end = Math.floor(now.getTime() / 3_600_000) * 3_600_000
	const start = end - 23 * 3_600_000
	const rows = await prisma.routerHourly.findMany({ where: { routerId, hour: { gte: new Date(start) } } })
	const byHour = new Map(rows.map((r) => [r.hour.getTime(), r.rx + r.tx]))
	const out: Array<{ hour: string; bytes: string }> = []
	for (let t = start; t <= end; t += 3_600_000) out.push({ hour: new Date(t).toISOString(), bytes: String(byHour.get(t) ?? 0n) })
	return out
}

export interface PeerCard {
	id: number
	interface: string
	name: string | null
	comment: string | null
	publicKey: string
	allowedAddress: string | null
	currentEndpoint: string | null
	online: boolean
	lastSeenAt: string | null
	disabled: boolean
	disabledBy: string | null
	missing: boolean
	cycleBytes: string
	quotaBytes: string | null
	enforcement: string
	customerId: number | null
}

const PAGE = 60

/** A page of a router's peers (search by name, comment, address or key), and the top five by cycle usage. */
export async function routerPeers(routerId: number, opts: { q?: string; page?: number; cycleStart: Date | null; defaultQuota: bigint | null; mode: string }) {
	const q = opts.q?.trim()
	const where = {
		routerId,
		...(q ? { OR: [{ name: { contains: q, mode: 'insensitive' as const } }, { comment: { contains: q, mode: 'insensitive' as const } }, { allowedAddress: { contains: q } }, { publicKey: { startsWith: q } }] } : {}),
	}
	const page = Math.max(1, opts.page ?? 1)
	const [total, rows, top] = await Promise.all([
		prisma.routerPeer.count({ where }),
		prisma.routerPeer.findMany({ where, orderBy: [{ interface: 'asc' }, { name: 'asc' }, { id: 'asc' }], skip: (page - 1) * PAGE, take: PAGE }),
		opts.cycleStart
			? prisma.routerPeer.findMany({ where: { routerId, cycleStart: opts.cycleStart, cycleBytes: { gt: 0 } }, orderBy: { cycleBytes: 'desc' }, take: 5 })
			: Promise.resolve([]),
	])
	const card = (p: (typeof rows)[number]): PeerCard => ({
		id: p.id, interface: p.interface, name: p.name, comment: p.comment, publicKey: p.publicKey, allowedAddress: p.allowedAddress,
		currentEndpoint: p.currentEndpoint, online: p.online, lastSeenAt: iso(p.lastSeenAt), disabled: p.disabled, disabledBy: p.disabledBy,
		missing: p.missingAt !== null,
		cycleBytes: opts.cycleStart && p.cycleStart?.getTime() === opts.cycleStart.getTime() ? String(p.cycleBytes) : '0',
		quotaBytes: (p.quotaBytes ?? opts.defaultQuota)?.toString() ?? null,
		enforcement: p.enforcement ?? opts.mode,
		customerId: p.customerId,
	})
	return { total, page, pages: Math.max(1, Math.ceil(total / PAGE)), peers: rows.map(card), top: top.map(card) }
}

export async function pendingAnomalies(routerId: number) {
	const rows = await prisma.$queryRawUnsafe<Array<{ id: bigint; peer_id: number; name: string | null; at: Date; bytes: string; limit_bytes: string; elapsed_sec: number }>>(
		`select a.id, a.peer_id, p.name, a.at, (a.rx + a.tx)::text as bytes, a.limit_bytes::text, a.elapsed_sec
		 from router_anomalies a join router_peers p on p.id = a.peer_id
		 where a.router_id = $1 and a.status = 'pending' order by a.id desc limit 20`,
		routerId,
	)
	return rows.map((r) => ({ id: String(r.id), peerId: r.peer_id, name: r.name, at: r.at.toISOString(), bytes: r.bytes, limitBytes: r.limit_bytes, elapsedSec: r.elapsed_sec }))
}

export async function getPeer(routerId: number, peerId: number) {
	return prisma.routerPeer.findFirst({ where: { id: peerId, routerId, router: { deletedAt: null } }, include: { customer: { select: { id: true, username: true, resellerId: true } } } })
}

export async function peerHistory(peerId: number) {
	const [cycles, actions] = await Promise.all([
		prisma.routerPeerCycle.findMany({ where: { peerId }, orderBy: { cycleStart: 'desc' }, take: 12 }),
		prisma.routerAction.findMany({ where: { peerId }, orderBy: { id: 'desc' }, take: 50 }),
	])
	return {
		cycles: cycles.map((c) => ({ cycleStart: c.cycleStart.toISOString().slice(0, 10), bytes: String(c.rx + c.tx), rx: String(c.rx), tx: String(c.tx) })),
		actions: actions.map((a) => ({ id: String(a.id), action: a.action, reason: a.reason, actorId: a.actorId, result: a.result, readBack: a.readBack, error: a.error, at: a.createdAt.toISOString() })),
	}
}

/**
 * "At this rate the quota is reached on …": the cycle's average rate so far, projected. null when
 * there is no quota, no usage yet, or the quota is not reached before the cycle ends.
 */
export function projectQuotaDate(used: bigint, quota: bigint | null, cycleStartAt: Date, nextCycleAt: Date, now: Date): Date | null {
	if (quota === null || quota <= 0n || used <= 0n) return null
	if (used >= quota) return now
	const elapsed = now.getTime() - cycleStartAt.getTime()
	if (elapsed <= 0) return null
	const at = cycleStartAt.getTime() + Number((BigInt(Math.round(elapsed)) * quota) / used)
	return at < nextCycleAt.getTime() ? new Date(at) : null
}
