// Quotas on imported peers (issue 13). Runs after each poll's commit and after a quota change,
// never inside a transaction (it talks to the router):
// - each cycle's usage against the peer's quota (its own, else the router's default) sends one
//   admin notification at 80, 95 and 100 %;
// - in auto-disable mode a peer at 100 % is disabled on the router, read back, and recorded;
// - at a cycle reset only peers the system disabled are re-enabled — an admin's (or anyone
//   else's) disable stays;
// - a stale router (its last poll failed) pauses all of it: its usage is not current, and a
//   router we cannot read is one we cannot verify a change on.
import type { Router } from '~/generated/prisma/client'
import type { RosTransport } from '~/services/panels/routeros-common'
import { isPanelError } from '~/services/panels/errors'
import { notify } from '~/services/notifications.server'
import { prisma } from '~/utils/db.server'
import { cycleStart, dateToDay, dayToDate } from './calendar'
import { routerTransport } from './connection.server'
import { lockRouter, refreshRouterStats } from './stats.server'

export const QUOTA_LEVELS = [80, 95, 100] as const

export function quotaLevel(used: bigint, quota: bigint | null): number {
	if (quota === null || quota <= 0n) return 0
	for (const level of [...QUOTA_LEVELS].reverse()) if (used * 100n >= quota * BigInt(level)) return level
	return 0
}

export interface EnforceResult {
	paused: boolean
	notified: number
	disabled: number
	reenabled: number
	failed: number
}

interface PeerRef {
	id: number
	routerId: number
	interface: string
	publicKey: string
	name: string | null
}

/** Sets `disabled` on the router by public key, reads it back, records the action. */
export async function changePeer(
	ros: RosTransport,
	peer: PeerRef,
	disable: boolean,
	why: { reason: 'quota' | 'cycle_reset' | 'admin'; actorId: number | null; cycle?: string },
): Promise<{ ok: boolean; result: string }> {
	let result = 'failed'
	let readBack: string | null = null
	let error: string | null = null
	try {
		// The .id is looked up now: RouterOS renumbers .ids at boot, the key is the identity.
		const filter = { interface: peer.interface, 'public-key': peer.publicKey }
		const [row] = await ros.print('interface/wireguard/peers', filter, ['.id', 'disabled'])
		if (!row) throw new Error('the peer is no longer on the router')
		await ros.set('interface/wireguard/peers', row['.id'], { disabled: disable ? 'yes' : 'no' })
		const [after] = await ros.print('interface/wireguard/peers', filter, ['.id', 'disabled'])
		readBack = after?.disabled ?? null
		result = readBack === String(disable) ? 'ok' : 'mismatch'
	} catch (e) {
		error = (isPanelError(e) ? `${e.code}${e.reason ? `: ${e.reason}` : ''}` : e instanceof Error ? e.message : String(e)).slice(0, 500)
	}
	await prisma.$transaction(async (tx) => {
		await lockRouter(tx, peer.routerId)
		await tx.routerAction.create({
			data: { routerId: peer.routerId, peerId: peer.id, action: disable ? 'disable' : 'enable', reason: why.reason, actorId: why.actorId, result, readBack, error },
		})
		if (result !== 'ok') return
		await tx.routerPeer.update({
			where: { id: peer.id },
			data: disable
				? { disabled: true, disabledBy: why.reason === 'admin' ? 'admin' : 'system', disabledCycle: why.cycle ? dayToDate(why.cycle) : null }
				: { disabled: false, disabledBy: null, disabledCycle: null },
		})
		await refreshRouterStats(tx, peer.routerId)
	})
	return { ok: result === 'ok', result }
}

type Candidate = PeerRef & { cycleStart: Date | null; cycleBytes: bigint; notifiedPct: number; quota: bigint | null; mode: string; disabled: boolean; disabledBy: string | null; disabledCycle: Date | null }

export async function enforceRouter(routerId: number, opts: { now?: Date; transport?: RosTransport } = {}): Promise<EnforceResult> {
	const out: EnforceResult = { paused: false, notified: 0, disabled: 0, reenabled: 0, failed: 0 }
	const router = await prisma.router.findFirst({ where: { id: routerId, deletedAt: null } })
	if (!router) return out
	if (router.stale) return { ...out, paused: true }
	const cycle = cycleStart(opts.now ?? new Date(), { timezone: router.timezone, resetDay: router.resetDay, calendar: router.calendar })
	const peers = await candidates(router, cycle)
	if (peers.length === 0) return out

	let ros: RosTransport | null = opts.transport ?? null
	const transport = () => (ros ??= routerTransport(router))
	try {
		for (const p of peers) {
			const used = p.cycleStart && dateToDay(p.cycleStart) === cycle ? p.cycleBytes : 0n
			const level = quotaLevel(used, p.quota)
			const systemDisabledEarlier = p.disabled && p.disabledBy === 'system' && (!p.disabledCycle || dateToDay(p.disabledCycle) < cycle)
			if (systemDisabledEarlier && level < 100) {
				const r = await changePeer(transport(), p, false, { reason: 'cycle_reset', actorId: null })
				r.ok ? out.reenabled++ : out.failed++
				continue
			}
			if (level > p.notifiedPct) {
				const created = await notify({
					audience: 'admin',
					kind: 'router_quota',
					data: { routerId: router.id, router: router.name, peerId: p.id, peer: p.name ?? p.publicKey.slice(0, 8), percent: level, used: String(used), quota: String(p.quota), mode: p.mode },
					dedupeKey: `router-quota:${p.id}:${cycle}:${level}`,
				})
				if (created) out.notified++
				await prisma.routerPeer.updateMany({ where: { id: p.id, notifiedPct: { lt: level } }, data: { notifiedPct: level } })
			}
			if (level === 100 && p.mode === 'auto_disable' && !p.disabled) {
				const r = await changePeer(transport(), p, true, { reason: 'quota', actorId: null, cycle })
				r.ok ? out.disabled++ : out.failed++
			}
		}
	} finally {
		if (ros && !opts.transport) await (ros as RosTransport).close().catch(() => {})
	}
	return out
}

/** Only the peers something may happen to: a quota level not yet notified or acted on, or a
 * system disable from an earlier cycle. One query, so a quiet router costs one index scan. */
async function candidates(router: Router, cycle: string): Promise<Candidate[]> {
	const rows = await prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(
		`select p.id, p.router_id, p.interface, p.public_key, p.name, p.cycle_start, p.cycle_bytes::text, p.notified_pct,
			coalesce(p.quota_bytes, $2::bigint)::text as quota, coalesce(p.enforcement::text, $3) as mode, p.disabled, p.disabled_by, p.disabled_cycle
		 from router_peers p
		 where p.router_id = $1 and p.missing_at is null and (
			(p.disabled and p.disabled_by = 'system' and (p.disabled_cycle is null or p.disabled_cycle < $4::date))
			or (coalesce(p.quota_bytes, $2::bigint) > 0 and p.cycle_start = $4::date
				and p.cycle_bytes * 100 >= coalesce(p.quota_bytes, $2::bigint) * 80
				and (p.notified_pct < 100 or (not p.disabled and coalesce(p.enforcement::text, $3) = 'auto_disable'))))
		 order by p.id`,
		router.id, router.defaultQuotaBytes, router.enforcement, cycle,
	)
	return rows.map((r) => ({
		id: r.id as number,
		routerId: r.router_id as number,
		interface: r.interface as string,
		publicKey: r.public_key as string,
		name: r.name as string | null,
		cycleStart: r.cycle_start as Date | null,
		cycleBytes: BigInt(r.cycle_bytes as string),
		notifiedPct: r.notified_pct as number,
		quota: r.quota === null ? null : BigInt(r.quota as string),
		mode: r.mode as string,
		disabled: r.disabled as boolean,
		disabledBy: r.disabled_by as string | null,
		disabledCycle: r.disabled_cycle as Date | null,
	}))
}
