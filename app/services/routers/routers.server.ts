// Router and peer writes behind the admin screens (issue 13): connect (test first, then store with
// sealed credentials), settings, per-peer quota / mode / customer link, manual enable/disable.
import type { RouterCalendar, RouterEnforcement } from '~/generated/prisma/client'
import { audit } from '~/utils/audit.server'
import { prisma } from '~/utils/db.server'
import { cycleStart, localDay } from './calendar'
import { openTransport, routerConnection, routerTransport, sealRouterSecrets, type RouterAccess } from './connection.server'
import { changePeer } from './enforce.server'
import { lockRouter, refreshRouterStats } from './stats.server'
import { testRouter, type TestResult } from './import.server'
import { enqueueRouterEnforce, enqueueRouterPollNow } from './schedule.server'

export interface ConnectInput extends RouterAccess {
	name: string
	username: string
	password: string
}

/** Tests the connection; only a router that answered is stored. */
export async function connectRouter(input: ConnectInput, actorId: number): Promise<{ ok: true; routerId: number; facts: TestResult & { ok: true } } | (TestResult & { ok: false })> {
	const ros = openTransport(routerConnection(input, input))
	let facts: TestResult
	try {
		facts = await testRouter(ros)
	} finally {
		await ros.close().catch(() => {})
	}
	if (!facts.ok) return facts
	const router = await prisma.$transaction(async (tx) => {
		const r = await tx.router.create({
			data: {
				name: input.name,
				transport: input.transport,
				baseUrl: input.transport === 'rest' ? input.baseUrl : null,
				host: input.transport === 'api' ? input.host : null,
				port: input.transport === 'api' ? input.port : null,
				tls: input.tls,
				verifyTls: input.verifyTls,
				secrets: sealRouterSecrets(input.username, input.password),
				identity: facts.identity,
				version: facts.version,
				boardName: facts.board,
			},
		})
		await audit({ actorId, action: 'router.create', entityType: 'router', entityId: r.id, after: { name: r.name, transport: r.transport } }, tx)
		return r
	})
	return { ok: true, routerId: router.id, facts }
}

/** Re-tests a stored router (the wizard's first step on a re-run). */
export async function retestRouter(routerId: number): Promise<TestResult> {
	const router = await prisma.router.findFirstOrThrow({ where: { id: routerId, deletedAt: null } })
	const ros = routerTransport(router)
	try {
		const facts = await testRouter(ros)
		if (facts.ok) await prisma.router.update({ where: { id: routerId }, data: { identity: facts.identity, version: facts.version, boardName: facts.board } })
		return facts
	} finally {
		await ros.close().catch(() => {})
	}
}

export interface RouterSettingsInput {
	name: string
	pollIntervalSec: number
	onlineThresholdSec: number
	resetDay: number
	timezone: string
	calendar: RouterCalendar
	defaultQuotaBytes: bigint | null
	enforcement: RouterEnforcement
	linkRateMbps: number
	sampleRetentionDays: number
	verifyTls: boolean
}

export async function updateRouterSettings(routerId: number, input: RouterSettingsInput, actorId: number) {
	await prisma.$transaction(async (tx) => {
		await lockRouter(tx, routerId)
		const before = await tx.router.findFirstOrThrow({ where: { id: routerId, deletedAt: null } })
		await tx.router.update({ where: { id: routerId }, data: input })
		// The summed quotas count the default quota of every peer without its own.
		await refreshRouterStats(tx, routerId)
		await audit({ actorId, action: 'router.settings', entityType: 'router', entityId: routerId, before: settingsJson(before), after: settingsJson(input) }, tx)
	})
	// A lower quota or a switch to auto-disable acts now, on current usage: a poll (which enforces
	// after its commit) rather than enforcement on the last poll's numbers.
	await enqueueRouterPollNow(routerId)
}

const settingsJson = (s: Omit<RouterSettingsInput, 'name'> & { name: string }) => ({
	...s,
	defaultQuotaBytes: s.defaultQuotaBytes === null ? null : String(s.defaultQuotaBytes),
})

export async function deleteRouter(routerId: number, actorId: number) {
	await prisma.$transaction(async (tx) => {
		await tx.router.update({ where: { id: routerId }, data: { deletedAt: new Date() } })
		await audit({ actorId, action: 'router.delete', entityType: 'router', entityId: routerId }, tx)
	})
}

export interface PeerSettingsInput {
	quotaBytes: bigint | null
	enforcement: RouterEnforcement | null
	customerId: number | null
}

export async function updatePeerSettings(routerId: number, peerId: number, input: PeerSettingsInput, actorId: number) {
	await prisma.$transaction(async (tx) => {
		await lockRouter(tx, routerId)
		const before = await tx.routerPeer.findFirstOrThrow({ where: { id: peerId, routerId } })
		await tx.routerPeer.update({ where: { id: peerId }, data: input })
		await refreshRouterStats(tx, routerId)
		await audit({
			actorId, action: 'router.peer.settings', entityType: 'router_peer', entityId: peerId,
			before: { quotaBytes: before.quotaBytes?.toString() ?? null, enforcement: before.enforcement, customerId: before.customerId },
			after: { quotaBytes: input.quotaBytes?.toString() ?? null, enforcement: input.enforcement, customerId: input.customerId },
		}, tx)
	})
	await enqueueRouterEnforce(routerId)
}

/** Manual enable/disable from the peer page; an admin's disable is never undone by a cycle reset. */
export async function setPeerDisabled(routerId: number, peerId: number, disable: boolean, actorId: number) {
	const router = await prisma.router.findFirstOrThrow({ where: { id: routerId, deletedAt: null } })
	const peer = await prisma.routerPeer.findFirstOrThrow({ where: { id: peerId, routerId } })
	const ros = routerTransport(router)
	try {
		return await changePeer(ros, peer, disable, { reason: 'admin', actorId })
	} finally {
		await ros.close().catch(() => {})
	}
}

/**
 * An admin's decision on a held link-rate anomaly. Approving counts it once — on the day and in
 * the cycle of the poll that saw it — under a `status = 'pending'` guard; rejecting only records
 * the decision (the counter already moved past it).
 */
export async function decideAnomaly(routerId: number, anomalyId: bigint, approve: boolean, actorId: number) {
	return prisma.$transaction(async (tx) => {
		await lockRouter(tx, routerId)
		const router = await tx.router.findFirstOrThrow({ where: { id: routerId, deletedAt: null } })
		const claimed = await tx.routerAnomaly.updateMany({
			where: { id: anomalyId, routerId, status: 'pending' },
			data: { status: approve ? 'approved' : 'rejected', decidedBy: actorId, decidedAt: new Date() },
		})
		if (claimed.count === 0) return false
		await audit({ actorId, action: approve ? 'router.anomaly.approve' : 'router.anomaly.reject', entityType: 'router_anomaly', entityId: anomalyId }, tx)
		if (!approve) return true
		const a = await tx.routerAnomaly.findUniqueOrThrow({ where: { id: anomalyId } })
		const day = localDay(a.at, router.timezone)
		const cycle = cycleStart(a.at, { timezone: router.timezone, resetDay: router.resetDay, calendar: router.calendar })
		const bytes = a.rx + a.tx
		await tx.$executeRawUnsafe(
			`with d as (insert into router_peer_daily as d (peer_id, day, router_id, rx, tx) values ($1, $2::date, $3, $4, $5)
				on conflict (peer_id, day) do update set rx = d.rx + excluded.rx, tx = d.tx + excluded.tx),
			c as (insert into router_peer_cycles as c (peer_id, cycle_start, router_id, rx, tx) values ($1, $6::date, $3, $4, $5)
				on conflict (peer_id, cycle_start) do update set rx = c.rx + excluded.rx, tx = c.tx + excluded.tx),
			r as (insert into router_daily as r (router_id, day, rx, tx) values ($3, $2::date, $4, $5)
				on conflict (router_id, day) do update set rx = r.rx + excluded.rx, tx = r.tx + excluded.tx)
			update router_peers set total_bytes = total_bytes + $7,
				cycle_bytes = cycle_bytes + case when cycle_start = $6::date then $7 else 0 end
			where id = $1 and router_id = $3`,
			a.peerId, day, routerId, a.rx, a.tx, cycle, bytes,
		)
		await refreshRouterStats(tx, routerId)
		return true
	}).then(async (done) => {
		if (done && approve) await enqueueRouterEnforce(routerId)
		return done
	})
}
