// Peer logic shared by the two RouterOS transports (REST and the binary API). RouterOS keeps no
// user model: the hub generates the client key pair, picks the address, tags the peer with a
// `hub:<username>` comment and keeps the private key in ref.data to build the client .conf.
// RouterOS cannot enforce limits or expiry; the hub does, by disabling the peer. The comment also
// carries the hub's limit/expiry (`hub:<username> limit=<bytes> expire=<unix s>`) so that reads
// report them back like every other panel does — the router itself ignores them — and our
// ownership marker (`hub:<username> guardino:<customerId> limit=… expire=…`), read as ownerTag.
import { oneFullListingAtATime } from './full-listing'
import { PanelError } from './errors'
import { ownerTagOf } from './owner-tag'
import type { AccountRef, AccountSpec, NodeConnection, PanelAdapter, RemoteAccount } from './types'
import {
	allocateAddress,
	buildWgQuickConfig,
	generateWgKeyPair,
	ipv4ToInt,
	parseRouterOsDuration,
	SubnetFullError,
	usedIpv4Ranges,
	WG_USERNAME_RE,
} from './wireguard'

/** A RouterOS record: every value a string. */
export type RosRow = Record<string, string>

/** The handful of menu operations the adapter needs; each transport maps its errors to PanelError. */
export interface RosTransport {
	print(menu: RosMenu, filter?: RosRow, proplist?: string[]): Promise<RosRow[]>
	/** Returns the new `.id`. */
	add(menu: RosMenu, props: RosRow): Promise<string>
	set(menu: RosMenu, id: string, props: RosRow): Promise<void>
	remove(menu: RosMenu, id: string): Promise<void>
	close(): Promise<void>
}

export type RosMenu = 'interface/wireguard/peers' | 'interface/wireguard' | 'ip/address' | 'system/resource' | 'system/identity'

export const HUB_COMMENT_PREFIX = 'hub:'
const LIST_PROPS = ['.id', 'public-key', 'allowed-address', 'comment', 'disabled', 'rx', 'tx', 'last-handshake']
// A scan by comment reads every peer; asking only for what the adapter uses keeps 100k rows cheap.
const FIND_PROPS = [...LIST_PROPS, 'preshared-key']
const WALK_TTL_MS = 10 * 60_000
const MAX_WALKS = 4

export interface HubComment {
	username: string
	/** `guardino:<customerId>`, or null on peers tagged before the marker existed. */
	owner?: string | null
	dataLimit: bigint | null
	expireAt: Date | null
}

export function formatHubComment(c: HubComment) {
	let out = HUB_COMMENT_PREFIX + c.username
	if (c.owner) out += ` ${c.owner}`
	if (c.dataLimit !== null) out += ` limit=${c.dataLimit}`
	if (c.expireAt !== null) out += ` expire=${Math.floor(c.expireAt.getTime() / 1000)}`
	return out
}

/** null for peers the hub did not create. */
export function parseHubComment(comment: string | undefined): HubComment | null {
	if (!comment?.startsWith(HUB_COMMENT_PREFIX)) return null
	const [username, ...fields] = comment.slice(HUB_COMMENT_PREFIX.length).split(' ')
	const parsed: HubComment = { username, owner: null, dataLimit: null, expireAt: null }
	for (const field of fields) {
		if (ownerTagOf(field) === field) parsed.owner = field
		const [key, value = ''] = field.split('=')
		if (key === 'limit' && /^\d+$/.test(value)) parsed.dataLimit = BigInt(value)
		if (key === 'expire' && /^\d+$/.test(value)) parsed.expireAt = new Date(Number(value) * 1000)
	}
	return parsed
}

/** RouterOS words its conflicts in a few ways; all mean "that exists already". */
export function isDuplicateMessage(message: string) {
	return /already (exists|have)/i.test(message)
}

export function createRouterOsAdapter(conn: NodeConnection, ros: RosTransport): PanelAdapter {
	const iface = conn.options.wgInterface || 'wg0'
	// One create at a time per adapter: two concurrent creates would read the same free address.
	// Across processes the hub's per-node job queue gives the same guarantee.
	let createChain: Promise<unknown> = Promise.resolve()
	// listAccounts walks one print result page by page: RouterOS cannot page by itself.
	const walks = new Map<string, { accounts: RemoteAccount[]; at: number }>()

	async function findPeer(ref: AccountRef): Promise<RosRow> {
		// .ids are renumbered by a reboot, so the public key (or the comment tag) is the identity.
		const rows = ref.remoteId
			? await ros.print('interface/wireguard/peers', { interface: iface, 'public-key': ref.remoteId })
			: (await ros.print('interface/wireguard/peers', { interface: iface }, FIND_PROPS)).filter(
					(r) => parseHubComment(r.comment)?.username === ref.username,
				)
		if (rows.length === 0) throw new PanelError('not_found', `no peer for ${ref.username} on ${iface}`)
		return rows[0]
	}

	function toRemote(row: RosRow, ref?: AccountRef): RemoteAccount {
		const hub = parseHubComment(row.comment)
		const handshakeAgo = parseRouterOsDuration(row['last-handshake'])
		return {
			ref: {
				username: ref?.username ?? hub?.username ?? row.comment ?? '',
				remoteId: row['public-key'],
				data: { ...ref?.data, id: row['.id'], address: ref?.data?.address ?? row['allowed-address'] ?? '', interface: iface },
			},
			status: row.disabled === 'true' ? 'disabled' : 'active',
			// Raw kernel counter: it restarts after a reboot or disable/enable; the usage sync rebases.
			usedBytes: toBigInt(row.rx) + toBigInt(row.tx),
			dataLimit: hub?.dataLimit ?? null,
			expireAt: hub?.expireAt ?? null,
			onlineAt: handshakeAgo === null ? null : new Date(Date.now() - handshakeAgo),
			// Only inside our own `hub:` comment: a marker typed into someone else's comment is no claim.
			ownerTag: hub?.owner ?? null,
		}
	}

	async function interfaceRow() {
		const rows = await ros.print('interface/wireguard', { name: iface })
		if (rows.length === 0) throw new PanelError('rejected', `WireGuard interface ${iface} does not exist`)
		return rows[0]
	}

	/** The subnet to allocate from (first enabled IPv4 on the interface) and every interface address. */
	async function interfaceAddresses() {
		const rows = await ros.print('ip/address', { interface: iface })
		const v4 = rows.filter((r) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(r.address ?? ''))
		const first = v4.find((r) => r.disabled !== 'true')
		if (!first) throw new PanelError('rejected', `interface ${iface} has no IPv4 address to allocate from`)
		return { cidr: first.address, own: v4.map((r) => ipv4ToInt(r.address.split('/')[0])) }
	}

	async function create(spec: AccountSpec): Promise<RemoteAccount> {
		if (!WG_USERNAME_RE.test(spec.username)) {
			throw new PanelError('rejected', 'username may only hold letters, digits and _ . @ - (at most 64)')
		}
		const [{ cidr, own }, peers] = await Promise.all([
			interfaceAddresses(),
			ros.print('interface/wireguard/peers', { interface: iface }, ['.id', 'allowed-address', 'comment']),
		])
		// Also what a retried create meets when its first try did the work but the reply was lost.
		if (peers.some((p) => parseHubComment(p.comment)?.username === spec.username)) {
			throw new PanelError('conflict', `a peer for ${spec.username} already exists on ${iface}`)
		}
		let address: string
		try {
			// Every address of every peer's ranges (site-to-site peers route whole subnets).
			address = `${allocateAddress(cidr, usedIpv4Ranges(peers.map((p) => p['allowed-address'])), own)}/32`
		} catch (e) {
			if (e instanceof SubnetFullError) throw new PanelError('rejected', e.message)
			throw e
		}
		const keys = generateWgKeyPair()
		const limits = { dataLimit: spec.dataLimit, expireAt: spec.expireAt }
		const owner = ownerTagOf(spec.note)
		const id = await ros.add('interface/wireguard/peers', {
			interface: iface,
			'public-key': keys.publicKey,
			'allowed-address': address,
			comment: formatHubComment({ username: spec.username, owner, ...limits }),
		})
		return {
			ref: {
				username: spec.username,
				remoteId: keys.publicKey,
				data: { privateKey: keys.privateKey, address, id, interface: iface },
			},
			status: 'active',
			usedBytes: 0n,
			...limits,
			onlineAt: null,
			ownerTag: owner,
		}
	}

	return {
		kind: 'routeros',

		async testConnection() {
			const started = performance.now()
			const [resource] = await ros.print('system/resource')
			const latencyMs = Math.round(performance.now() - started)
			if (!resource?.version) throw new PanelError('bad_response', 'no version in /system/resource')
			const wg = await interfaceRow()
			return {
				version: resource.version,
				latencyMs,
				details: {
					uptime: resource.uptime ?? '',
					board: resource['board-name'] ?? '',
					interface: iface,
					listenPort: wg['listen-port'] ?? '',
					publicKey: wg['public-key'] ?? '',
				},
			}
		},

		async listOptions() {
			const [ifaces, addresses] = await Promise.all([ros.print('interface/wireguard'), ros.print('ip/address')])
			return ifaces.map((i) => ({
				id: i.name,
				label: i.name,
				type: 'wg_interface' as const,
				meta: {
					listenPort: i['listen-port'] ?? '',
					publicKey: i['public-key'] ?? '',
					subnet: addresses.find((a) => a.interface === i.name)?.address ?? '',
				},
			}))
		},

		createAccount(spec) {
			const run = createChain.then(() => create(spec))
			createChain = run.catch(() => undefined)
			return run
		},

		async getAccount(ref) {
			return toRemote(await findPeer(ref), ref)
		},

		async listAccounts(cursor, pageSize = 500) {
			const now = Date.now()
			for (const [key, walk] of walks) if (now - walk.at > WALK_TTL_MS) walks.delete(key)
			let walkId: string
			let offset = 0
			if (cursor) {
				const m = /^([a-z0-9]+):(\d+)$/.exec(cursor)
				if (!m) throw new PanelError('rejected', 'invalid list cursor')
				walkId = m[1]
				offset = Number(m[2])
			} else {
				walkId = now.toString(36) + Math.random().toString(36).slice(2, 6)
			}
			let walk = walks.get(walkId)
			if (!walk) {
				// One print per walk; an expired walk is re-read, which may shift rows by a few.
				// Kept as compact accounts; one such print at a time per process (full-listing.ts).
				const accounts = await oneFullListingAtATime(async () =>
					(await ros.print('interface/wireguard/peers', { interface: iface }, LIST_PROPS)).filter((r) => parseHubComment(r.comment) !== null).map((r) => toRemote(r)),
				)
				walk = { accounts, at: now }
				walks.set(walkId, walk)
				while (walks.size > MAX_WALKS) walks.delete(walks.keys().next().value as string)
			}
			const size = Math.max(1, pageSize)
			const page = walk.accounts.slice(offset, offset + size)
			const next = offset + page.length
			if (next >= walk.accounts.length) walks.delete(walkId)
			return {
				accounts: page,
				nextCursor: next < walk.accounts.length ? `${walkId}:${next}` : null,
			}
		},

		async updateAccount(ref, update) {
			const peer = await findPeer(ref)
			const current = parseHubComment(peer.comment) ?? { username: ref.username, owner: null, dataLimit: null, expireAt: null }
			const next = {
				username: current.username,
				owner: current.owner,
				dataLimit: update.dataLimit === undefined ? current.dataLimit : update.dataLimit,
				expireAt: update.expireAt === undefined ? current.expireAt : update.expireAt,
			}
			const comment = formatHubComment(next)
			if (comment !== peer.comment) await ros.set('interface/wireguard/peers', peer['.id'], { comment })
			return toRemote({ ...peer, comment }, ref)
		},

		async enable(ref) {
			const peer = await findPeer(ref)
			if (peer.disabled !== 'false') await ros.set('interface/wireguard/peers', peer['.id'], { disabled: 'false' })
		},

		async disable(ref) {
			const peer = await findPeer(ref)
			if (peer.disabled !== 'true') await ros.set('interface/wireguard/peers', peer['.id'], { disabled: 'true' })
		},

		async resetUsage(ref) {
			// RouterOS has no counter reset; toggling the peer off and on would restart its counters
			// but cut the client off meanwhile. Nothing needs the router's counter at zero: the hub
			// enforces RouterOS limits itself and counts deltas (usage/accounting.ts), so its own
			// record is what gets reset. The peer is left alone; only its existence is checked.
			await findPeer(ref)
		},

		async deleteAccount(ref) {
			const peer = await findPeer(ref)
			await ros.remove('interface/wireguard/peers', peer['.id'])
		},

		async getLinks(ref) {
			const privateKey = ref.data?.privateKey
			const address = ref.data?.address
			if (!privateKey || !address) throw new PanelError('rejected', 'the client private key of this peer is not stored in the hub')
			const [peer, wg] = await Promise.all([findPeer(ref), interfaceRow()])
			const host = conn.host ?? (conn.baseUrl ? new URL(conn.baseUrl).hostname : 'router')
			return {
				kind: 'wireguard',
				fileName: `${ref.username.replace(/[^A-Za-z0-9_=+.-]/g, '') || 'peer'}.conf`,
				config: buildWgQuickConfig({
					privateKey,
					address,
					dns: conn.options.wgDns || '1.1.1.1',
					serverPublicKey: wg['public-key'],
					presharedKey: peer['preshared-key'] || undefined,
					endpoint: conn.options.wgEndpoint || `${host}:${wg['listen-port']}`,
					allowedIps: conn.options.wgAllowedIps || '0.0.0.0/0, ::/0',
					keepalive: conn.options.wgKeepalive ?? 25,
				}),
			}
		},

		close: () => ros.close(),
	}
}

function toBigInt(v: string | undefined) {
	return v && /^\d+$/.test(v) ? BigInt(v) : 0n
}

function ignoreNotFound(e: unknown) {
	if (e instanceof PanelError && e.code === 'not_found') return
	throw e
}
