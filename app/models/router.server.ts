// Read side of MikroTik accounting (issue 13): what the dashboard, router and peer pages show.
// Routers are the admin's own (no reseller owns one), so every query is scoped by router id and
// `deleted_at is null`; a peer is always looked up together with its router id.
// Each page reads rollup rows only (router_daily, router_hourly, the peer row's cycle_bytes), so
// its cost does not grow with the number of polls.
import { Prisma } from '~/generated/prisma/client'
import { prisma, sql } from '~/utils/db.server'

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

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null)
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null)

type DayRow = [day: string, bytes: string]

/**
 * Every live router as the dashboard shows it, in one statement: the counts are the routers row's
 * own (services/routers/stats.server.ts keeps them), the pending anomalies an index count, and the
 * cycle-to-date daily bars the router_daily rows from the cycle's first day (zeros filled in here,
 * up to `todayIn(router's zone)`).
 */
export async function routerCards(todayIn: (timezone: string) => string): Promise<Array<RouterSummary & { daily: Array<{ day: string; bytes: string }> }>> {
	const rows = await sql.$queryRaw<Array<{
		id: number; name: string; identity: string | null; version: string | null; transport: string; stale: boolean
		last_poll_at: Date | null; last_poll_ok_at: Date | null; last_poll_error: string | null; interfaces: string[]; cycle_start: Date | null
		stat_peers: number; stat_online: number; stat_disabled: number; stat_missing: number; cycle: string; quota: string | null
		pending: number; timezone: string; calendar: 'jalali' | 'gregorian'; daily: DayRow[]
	}>>`
		select r.id, r.name, r.identity, r.version, r.transport, r.stale, r.last_poll_at, r.last_poll_ok_at, r.last_poll_error, r.interfaces,
			r.cycle_start, r.stat_peers, r.stat_online, r.stat_disabled, r.stat_missing, r.stat_cycle_bytes::text as cycle, r.stat_quota_bytes::text as quota,
			r.timezone, r.calendar::text as calendar,
			(select count(*)::int from router_anomalies a where a.router_id = r.id and a.status = 'pending') as pending,
			(select coalesce(json_agg(json_build_array(d.day::text, (d.rx + d.tx)::text) order by d.day), '[]')
			 from router_daily d where d.router_id = r.id and d.day >= r.cycle_start) as daily
		from routers r where r.deleted_at is null order by r.id`
	return rows.map((r) => {
		const cycleStart = day(r.cycle_start)
		return {
			id: r.id, name: r.name, identity: r.identity, version: r.version, transport: r.transport, stale: r.stale,
			lastPollAt: iso(r.last_poll_at), lastPollOkAt: iso(r.last_poll_ok_at), lastPollError: r.last_poll_error,
			interfaces: r.interfaces, cycleStart,
			peers: r.stat_peers, online: r.stat_online, disabled: r.stat_disabled, missing: r.stat_missing,
			cycleBytes: r.cycle, quotaBytes: r.quota, pendingAnomalies: r.pending,
			timezone: r.timezone, calendar: r.calendar,
			daily: cycleStart ? fillDays(r.daily, cycleStart, todayIn(r.timezone)) : [],
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

export async function peerDaily(peerId: number, from: string, to: string) {
	const rows = await prisma.routerPeerDaily.findMany({ where: { peerId, day: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) } } })
	return fillDays(rows.map((r) => [r.day.toISOString().slice(0, 10), String(r.rx + r.tx)]), from, to)
}

/** One entry per day from `from` to `to` (local days), zeros where no row. */
function fillDays(rows: DayRow[], from: string, to: string) {
	const byDay = new Map(rows)
	const out: Array<{ day: string; bytes: string }> = []
	for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length < 400; t += DAY_MS) {
		const d = new Date(t).toISOString().slice(0, 10)
		out.push({ day: d, bytes: byDay.get(d) ?? '0' })
	}
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

export const PEER_PAGE = 60

type CardRow = Omit<PeerCard, 'lastSeenAt'> & { lastSeenAt: string | null }
type AnomalyRow = { id: string; peerId: number; name: string | null; at: string; bytes: string; limitBytes: string; elapsedSec: number }

/** A search term as a LIKE pattern that matches it literally (% and _ match themselves). */
const literal = (q: string) => q.replace(/[\\%_]/g, '\\$&')

/**
 * Everything the router page shows below its header, in one statement and one round trip: the
 * cycle-to-date daily bars (router_daily), the last 24 hours (router_hourly), a page of peer cards
 * (walked in the (router_id, interface, name, id) index; only a search counts its matches — the
 * unfiltered total is the routers row's), the top peers (their ids kept on the routers row by
 * services/routers/stats.server.ts) and the held anomalies. No raw samples, nothing per peer
 * beyond the page.
 */
export async function routerDashboard(
	router: { id: number; defaultQuotaBytes: bigint | null; enforcement: string; statPeers: number; statTopPeerIds: number[] },
	opts: { cycle: string; today: string; now: Date; q: string; page: number },
) {
	const id = router.id
	const cycle = opts.cycle
	const hourFrom = new Date((Math.floor(opts.now.getTime() / 3_600_000) - 23) * 3_600_000)
	const q = opts.q.trim()
	const page = Math.max(1, opts.page)
	// The card's columns; only this cycle's bytes count (a peer last polled in an earlier cycle shows 0).
	const card = Prisma.sql`p.id, p.interface, p.name, p.comment, p.public_key as "publicKey", p.allowed_address as "allowedAddress",
		p.current_endpoint as "currentEndpoint", p.online, p.last_seen_at as "lastSeenAt", p.disabled, p.disabled_by as "disabledBy",
		p.missing_at is not null as missing, (case when p.cycle_start = ${cycle}::date then p.cycle_bytes else 0 end)::text as "cycleBytes",
		coalesce(p.quota_bytes, ${router.defaultQuotaBytes}::bigint)::text as "quotaBytes",
		coalesce(p.enforcement::text, ${router.enforcement}) as enforcement, p.customer_id as "customerId"`
	// Name, comment or address (substring) or key (prefix); '' matches every peer.
	const match = Prisma.sql`(${q} = '' or p.name ilike ${`%${literal(q)}%`} or p.comment ilike ${`%${literal(q)}%`}
		or p.allowed_address like ${`%${literal(q)}%`} or p.public_key like ${`${literal(q)}%`})`
	const [row] = await sql.$queryRaw<Array<{ daily: DayRow[]; hours: Array<[string, string]>; total: number | null; page: CardRow[]; top: CardRow[]; anomalies: AnomalyRow[] }>>`
		select
			(select coalesce(json_agg(json_build_array(d.day::text, (d.rx + d.tx)::text) order by d.day), '[]')
			 from router_daily d where d.router_id = ${id} and d.day >= ${cycle}::date and d.day <= ${opts.today}::date) as daily,
			(select coalesce(json_agg(json_build_array(extract(epoch from h.hour)::bigint::text, (h.rx + h.tx)::text) order by h.hour), '[]')
			 from router_hourly h where h.router_id = ${id} and h.hour >= ${hourFrom.toISOString()}::timestamptz) as hours,
			(select count(*)::int from router_peers p where ${q} <> '' and p.router_id = ${id} and ${match}) as total,
			(select coalesce(json_agg(row_to_json(t)), '[]') from (
				select ${card} from router_peers p where p.router_id = ${id} and ${match}
				order by p.interface, p.name, p.id offset ${(page - 1) * PEER_PAGE} limit ${PEER_PAGE}) t) as page,
			(select coalesce(json_agg(row_to_json(t) order by t."cycleBytes"::bigint desc, t.id), '[]') from (
				select ${card} from router_peers p
				where p.router_id = ${id} and p.id = any(${router.statTopPeerIds}::int[]) and p.cycle_start = ${cycle}::date and p.cycle_bytes > 0) t) as top,
			(select coalesce(json_agg(row_to_json(t) order by t.id::bigint desc), '[]') from (
				select a.id::text, a.peer_id as "peerId", p.name, a.at, (a.rx + a.tx)::text as bytes, a.limit_bytes::text as "limitBytes", a.elapsed_sec as "elapsedSec"
				from router_anomalies a join router_peers p on p.id = a.peer_id and p.router_id = a.router_id
				where a.router_id = ${id} and a.status = 'pending' order by a.id desc limit 20) t) as anomalies`
	const cardOf = (c: CardRow): PeerCard => ({ ...c, lastSeenAt: iso(c.lastSeenAt) })
	const total = row!.total ?? router.statPeers
	const hours = new Map(row!.hours.map(([epoch, bytes]) => [Number(epoch) * 1000, bytes]))
	return {
		daily: fillDays(row!.daily, cycle, opts.today),
		hours: Array.from({ length: 24 }, (_, i) => {
			const t = hourFrom.getTime() + i * 3_600_000
			return { hour: new Date(t).toISOString(), bytes: hours.get(t) ?? '0' }
		}),
		peers: { total, page, pages: Math.max(1, Math.ceil(total / PEER_PAGE)), peers: row!.page.map(cardOf), top: row!.top.map(cardOf) },
		anomalies: row!.anomalies.map((a) => ({ ...a, at: iso(a.at)! })),
	}
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
