// The wizard's router side (issue 13): test a connection (identity, version, uptime), list the
// WireGuard interfaces and their peers, and import a selection with a baseline — a new peer's
// stored counters are its counters right now, so its history starts at zero. Re-running the import
// adds new peers, refreshes names and marks peers that disappeared from the router.
import type { RosRow, RosTransport } from '~/services/panels/routeros-common'
import { isPanelError, PanelError } from '~/services/panels/errors'
import { parseRouterOsDuration } from '~/services/panels/wireguard'
import { audit } from '~/utils/audit.server'
import type { Prisma } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'
import { endpointOf, PEER_PROPS, peerKey } from './poll.server'
import { enqueueRouterPollNow } from './schedule.server'
import { lockRouter, refreshRouterStats } from './stats.server'

export interface RouterFacts {
	identity: string
	version: string
	uptime: string
	board: string
}

export type TestResult = ({ ok: true } & RouterFacts) | { ok: false; code: PanelError['code']; reason?: string }

export async function testRouter(ros: RosTransport): Promise<TestResult> {
	try {
		const [[identity], [resource]] = await Promise.all([ros.print('system/identity'), ros.print('system/resource')])
		if (!resource?.version) throw new PanelError('bad_response', 'no version in /system/resource')
		return { ok: true, identity: identity?.name ?? '', version: resource.version, uptime: resource.uptime ?? '', board: resource['board-name'] ?? '' }
	} catch (e) {
		if (isPanelError(e)) return { ok: false, code: e.code, reason: e.reason }
		return { ok: false, code: 'bad_response', reason: e instanceof Error ? e.message.slice(0, 200) : undefined }
	}
}

export interface RouterInterface {
	name: string
	listenPort: string
	disabled: boolean
	peers: number
}

export interface CandidatePeer {
	interface: string
	publicKey: string
	name: string
	comment: string
	allowedAddress: string
	endpoint: string
	currentEndpoint: string
	lastHandshakeSec: number | null
	rx: string
	tx: string
	disabled: boolean
	/** Has a configured endpoint: this router dials out (site-to-site); unchecked by default. */
	outbound: boolean
	importedId: number | null
}

export interface RouterListing {
	interfaces: RouterInterface[]
	peers: CandidatePeer[]
	/** Imported peers of the chosen interfaces the router no longer has. */
	gone: Array<{ id: number; interface: string; name: string | null; publicKey: string }>
}

/** The wizard's table: interfaces, and the peers of the chosen ones. */
export async function listRouter(routerId: number, ros: RosTransport, chosen: string[]): Promise<RouterListing> {
	const [ifaces, rows, imported] = await Promise.all([
		ros.print('interface/wireguard'),
		ros.print('interface/wireguard/peers', {}, PEER_PROPS),
		prisma.routerPeer.findMany({ where: { routerId }, select: { id: true, interface: true, publicKey: true, name: true } }),
	])
	const byKey = new Map(imported.map((p) => [peerKey(p.interface, p.publicKey), p]))
	const want = new Set(chosen)
	const peers = rows.filter((r) => want.has(r.interface)).map((r) => candidate(r, byKey.get(peerKey(r.interface, r['public-key']))?.id ?? null))
	const onRouter = new Set(rows.map((r) => peerKey(r.interface, r['public-key'])))
	return {
		interfaces: ifaces.map((i) => ({
			name: i.name,
			listenPort: i['listen-port'] ?? '',
			disabled: i.disabled === 'true',
			peers: rows.filter((r) => r.interface === i.name).length,
		})),
		peers,
		gone: imported.filter((p) => want.has(p.interface) && !onRouter.has(peerKey(p.interface, p.publicKey))),
	}
}

function candidate(r: RosRow, importedId: number | null): CandidatePeer {
	const age = parseRouterOsDuration(r['last-handshake'])
	const endpoint = r['endpoint-address'] ? `${r['endpoint-address']}${r['endpoint-port'] && r['endpoint-port'] !== '0' ? `:${r['endpoint-port']}` : ''}` : ''
	return {
		interface: r.interface,
		publicKey: r['public-key'],
		name: r.name ?? '',
		comment: r.comment ?? '',
		allowedAddress: r['allowed-address'] ?? '',
		endpoint,
		currentEndpoint: endpointOf(r) ?? '',
		lastHandshakeSec: age === null ? null : Math.floor(age / 1000),
		rx: r.rx ?? '0',
		tx: r.tx ?? '0',
		disabled: r.disabled === 'true',
		outbound: endpoint !== '',
		importedId,
	}
}

export interface ImportResult {
	added: number
	updated: number
	gone: number
}

/**
 * Imports the chosen peers of the chosen interfaces from a fresh read of the router, so the
 * baseline is the counter as it is now. Bumps poll_seq: a poll that read the router before this
 * import cannot then apply its older reading.
 */
export async function importPeers(routerId: number, ros: RosTransport, chosen: { interfaces: string[]; keys: string[] }, actorId: number, now = new Date()): Promise<ImportResult> {
	const [rows, [resource]] = await Promise.all([ros.print('interface/wireguard/peers', {}, PEER_PROPS), ros.print('system/resource', {}, ['uptime'])])
	const want = new Set(chosen.interfaces)
	const keys = new Set(chosen.keys)
	const uptimeMs = parseRouterOsDuration(resource?.uptime)
	const result = await prisma.$transaction(async (tx) => {
		// The router row first, as the poll takes it: a poll and an import then queue, not deadlock.
		await lockRouter(tx, routerId)
		const router = await tx.router.findFirstOrThrow({ where: { id: routerId, deletedAt: null } })
		const existing = await tx.routerPeer.findMany({ where: { routerId }, select: { id: true, interface: true, publicKey: true, name: true, comment: true, allowedAddress: true, endpointAddress: true, disabled: true, missingAt: true } })
		const byKey = new Map(existing.map((p) => [peerKey(p.interface, p.publicKey), p]))
		const creates: Prisma.RouterPeerCreateManyInput[] = []
		let updated = 0
		const onRouter = new Set<string>()
		for (const r of rows) {
			if (!want.has(r.interface)) continue
			const key = peerKey(r.interface, r['public-key'])
			onRouter.add(key)
			const meta = {
				name: r.name || null,
				comment: r.comment || null,
				allowedAddress: r['allowed-address'] || null,
				endpointAddress: r['endpoint-address'] || null,
				disabled: r.disabled === 'true',
			}
			const known = byKey.get(key)
			if (known !== undefined) {
				// Counters stay: the peer's history goes on from its last poll. Only a changed row is
				// written: a re-run over 2,000 peers must not be 2,000 updates in one transaction.
				const same = known.missingAt === null && (Object.keys(meta) as Array<keyof typeof meta>).every((k) => known[k] === meta[k])
				if (!same) await tx.routerPeer.update({ where: { id: known.id }, data: { ...meta, missingAt: null } })
				updated++
			} else if (keys.has(key)) {
				const rx = /^\d+$/.test(r.rx ?? '') ? BigInt(r.rx) : 0n
				const txb = /^\d+$/.test(r.tx ?? '') ? BigInt(r.tx) : 0n
				creates.push({ routerId, interface: r.interface, publicKey: r['public-key'], ...meta, lastRx: rx, lastTx: txb, currentEndpoint: endpointOf(r), importedAt: now })
			}
		}
		// One insert per 1,000 peers, not one per peer: 2,000 single inserts outran the transaction's
		// 20 s on a loaded machine (npm run bench -- routers).
		for (let i = 0; i < creates.length; i += 1000) await tx.routerPeer.createMany({ data: creates.slice(i, i + 1000) })
		const added = creates.length
		const goneIds = existing.filter((p) => want.has(p.interface) && !onRouter.has(peerKey(p.interface, p.publicKey))).map((p) => p.id)
		if (goneIds.length) await tx.routerPeer.updateMany({ where: { id: { in: goneIds }, routerId, missingAt: null }, data: { missingAt: now, online: false } })
		await tx.router.update({
			where: { id: routerId },
			data: {
				interfaces: [...new Set([...router.interfaces, ...chosen.interfaces])],
				pollSeq: { increment: 1 },
				// Only the first import sets the uptime baseline: overwriting it later could hide a reboot
				// since the last poll from the reboot rule (the imported peers' counters would then be
				// read as if they had not restarted).
				lastUptimeSec: router.lastUptimeSec ?? (uptimeMs === null ? null : BigInt(Math.floor(uptimeMs / 1000))),
				lastPollOkAt: router.lastPollOkAt ?? now,
			},
		})
		await refreshRouterStats(tx, routerId)
		await audit({ actorId, action: 'router.import', entityType: 'router', entityId: String(routerId), after: { added, updated, gone: goneIds.length } }, tx)
		return { added, updated, gone: goneIds.length }
	})
	// The first poll right away: online status and endpoints show without waiting a minute.
	await enqueueRouterPollNow(routerId)
	return result
}
