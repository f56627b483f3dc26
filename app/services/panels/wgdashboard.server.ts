// WGDashboard 4.3 adapter (panel-contracts.md §5, §7). Quirks handled here: business errors are
// HTTP 200 `status:false` (mapped by message); usage is GiB floats, lifetime = total + cumu;
// there is no single-peer read, so reads fetch the configuration; limits and expiry are
// schedule jobs (one-shot, run every 180 s, so the hub enforces too); restricted peers are
// invisible to delete, jobs and reset, so those run with the peer briefly allowed; peers are
// keyed by public key, which must be URL-encoded in query strings.
import { createHash } from 'node:crypto'
import { PanelError } from './errors'
import { createPanelHttp, type HttpMethod, type RequestOptions } from './http.server'
import type { AccountRef, AccountUpdate, NodeConnection, PanelAdapter, RemoteAccount } from './types'
import { buildWgQuickConfig, deriveWgKeyPair, parseTimedelta, WG_USERNAME_RE } from './wireguard'

interface Envelope<T> {
	status: boolean
	message: string | null
	data: T
}

interface WgdJob {
	JobID: string
	Field: string
	Operator: string
	Value: string
	Action: string
}

interface WgdPeer {
	id: string
	name: string
	private_key: string
	allowed_ip: string
	DNS: string
	endpoint_allowed_ip: string
	keepalive: number
	mtu: number
	preshared_key: string
	latest_handshake: string
	total_data: number
	cumu_data: number
	jobs?: WgdJob[]
}

interface WgdConfiguration {
	Name: string
	PublicKey: string
	Address: string
	ListenPort: string | number
	Protocol?: string
	TotalPeers?: number
}

interface WgdInfo {
	configurationInfo: WgdConfiguration
	configurationPeers: WgdPeer[]
	configurationRestrictedPeers: WgdPeer[]
}

type Located = { peer: WgdPeer; restricted: boolean; info: WgdInfo }

const GIB = 1024 ** 3
const WALK_TTL_MS = 10 * 60_000
const LIMIT_FIELD = 'total_data'
const EXPIRY_FIELD = 'date'

/** GiB float → bytes. Each value is a byte count / 2^30, so this is exact below 2^53 bytes. */
export function gibToBytes(gib: unknown): bigint {
	return typeof gib === 'number' && Number.isFinite(gib) && gib > 0 ? BigInt(Math.round(gib * GIB)) : 0n
}

/** The envelope's words → our codes; the messages are WGDashboard's own (src/dashboard.py). */
export function mapWgdMessage(message: string | null): PanelError {
	const m = message ?? ''
	if (/already exist|UNIQUE constraint/i.test(m)) return new PanelError('conflict', m)
	if (/^Configuration does not exist|provide configuration name/i.test(m)) return new PanelError('rejected', m)
	if (/does not exist/i.test(m)) return new PanelError('not_found', m)
	return new PanelError('rejected', m || 'the panel refused the request')
}

/** A UUID-shaped JobID that is the same for the same peer + field, so re-saving updates it. */
function jobId(...parts: string[]) {
	const h = createHash('sha256').update(parts.join('|')).digest('hex')
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** "YYYY-MM-DD HH:MM:SS" in UTC; the panel compares it with its local clock (set it to UTC). */
const pyDate = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ')
const parsePyDate = (v: string) => {
	const d = new Date(`${v.replace(' ', 'T')}Z`)
	return Number.isNaN(d.getTime()) ? null : d
}

export function createWgDashboardAdapter(conn: NodeConnection): PanelAdapter {
	const cfg = conn.options.wgInterface || 'wg0'
	const http = createPanelHttp(conn, { auth: { headers: { 'wg-dashboard-apikey': conn.apiKey ?? '' } } })
	const walks = new Map<string, { peers: Array<{ peer: WgdPeer; restricted: boolean }>; at: number }>()

	async function call<T>(method: HttpMethod, path: string, opts?: RequestOptions): Promise<T> {
		const reply = await http.request<Envelope<T>>(method, `/api/${path}`, opts)
		if (!reply || typeof reply !== 'object' || typeof reply.status !== 'boolean') {
			throw new PanelError('bad_response', 'reply without the {status,message,data} envelope')
		}
		if (!reply.status) throw mapWgdMessage(reply.message)
		return reply.data
	}
	const post = <T>(path: string, json: unknown) => call<T>('POST', path, { json })
	const peersBody = (pub: string) => ({ peers: [pub] })

	async function info(): Promise<WgdInfo> {
		const data = await call<WgdInfo>('GET', 'getWireguardConfigurationInfo', { query: { configurationName: cfg } })
		if (!Array.isArray(data?.configurationPeers) || !Array.isArray(data.configurationRestrictedPeers)) {
			throw new PanelError('bad_response', 'configuration info without peer lists')
		}
		return data
	}

	async function locate(ref: AccountRef): Promise<Located> {
		const i = await info()
		const match = (p: WgdPeer) => (ref.remoteId ? p.id === ref.remoteId : p.name === ref.username)
		const active = i.configurationPeers.find(match)
		if (active) return { peer: active, restricted: false, info: i }
		const restricted = i.configurationRestrictedPeers.find(match)
		if (restricted) return { peer: restricted, restricted: true, info: i }
		throw new PanelError('not_found', `no peer for ${ref.username} in ${cfg}`)
	}

	function toRemote(peer: WgdPeer, restricted: boolean): RemoteAccount {
		const jobs = (peer.jobs ?? []).filter((j) => j.Action === 'restrict')
		const limitJob = jobs.find((j) => j.Field === LIMIT_FIELD)
		const expiryJob = jobs.find((j) => j.Field === EXPIRY_FIELD)
		const dataLimit = limitJob && Number.isFinite(Number(limitJob.Value)) ? gibToBytes(Number(limitJob.Value)) : null
		const expireAt = expiryJob ? parsePyDate(expiryJob.Value) : null
		const usedBytes = gibToBytes(peer.total_data) + gibToBytes(peer.cumu_data)
		// The jobs fire only every 180 s; report what they are about to do.
		let status: RemoteAccount['status'] = 'active'
		if (restricted) status = 'disabled'
		else if (expireAt && expireAt.getTime() <= Date.now()) status = 'expired'
		else if (dataLimit !== null && usedBytes >= dataLimit) status = 'limited'
		const ago = parseTimedelta(peer.latest_handshake)
		return {
			ref: { username: peer.name, remoteId: peer.id },
			status,
			usedBytes,
			dataLimit: dataLimit === 0n ? null : dataLimit,
			expireAt,
			onlineAt: ago === null ? null : new Date(Date.now() - ago),
		}
	}

	/** Runs `fn` with a restricted peer allowed for the moment, then restricts it again. */
	async function whileAllowed<T>(pub: string, restricted: boolean, fn: () => Promise<T>): Promise<T> {
		if (!restricted) return fn()
		await post('allowAccessPeers/' + cfg, peersBody(pub))
		try {
			return await fn()
		} finally {
			await post('restrictPeers/' + cfg, peersBody(pub))
		}
	}

	async function saveJob(peer: WgdPeer, field: string, value: string, existing: WgdJob | undefined) {
		const job = (id: string) => ({
			Job: { JobID: id, Configuration: cfg, Peer: peer.id, Field: field, Operator: 'lgt', Value: value, CreationDate: '', ExpireDate: '', Action: 'restrict' },
		})
		if (existing) return void (await post('savePeerScheduleJob', job(existing.JobID)))
		try {
			await post('savePeerScheduleJob', job(jobId(peer.id, field)))
		} catch (e) {
			// A job that fired is closed but keeps its row, so its JobID cannot be saved again.
			if (!(e instanceof PanelError && e.code === 'conflict')) throw e
			await post('savePeerScheduleJob', job(jobId(peer.id, field, value, String(Date.now()))))
		}
	}

	async function applyLimits(peer: WgdPeer, update: AccountUpdate) {
		const jobs = (peer.jobs ?? []).filter((j) => j.Action === 'restrict')
		const wanted: Array<[string, string | null | undefined]> = [
			// 0 bytes means unlimited on every panel; as a job it would restrict on the first byte.
			[LIMIT_FIELD, update.dataLimit === undefined ? undefined : !update.dataLimit ? null : String(Number(update.dataLimit) / GIB)],
			[EXPIRY_FIELD, update.expireAt === undefined ? undefined : update.expireAt === null ? null : pyDate(update.expireAt)],
		]
		const kept = jobs.filter((j) => !wanted.some(([f, v]) => f === j.Field && v !== undefined))
		for (const [field, value] of wanted) {
			if (value === undefined) continue
			const [first, ...extra] = jobs.filter((j) => j.Field === field)
			for (const j of value === null ? jobs.filter((j) => j.Field === field) : extra) {
				await post('deletePeerScheduleJob', { Job: { ...j, Configuration: cfg, Peer: peer.id } })
			}
			if (value === null) continue
			await saveJob(peer, field, value, first)
			kept.push({ JobID: first?.JobID ?? '', Field: field, Operator: 'lgt', Value: value, Action: 'restrict' })
		}
		return { ...peer, jobs: kept }
	}

	return {
		kind: 'wgdashboard',

		async testConnection() {
			await call('GET', 'handshake')
			const started = performance.now()
			const version = await call<string>('GET', 'getDashboardVersion', { auth: false })
			const latencyMs = Math.round(performance.now() - started)
			const configs = await call<WgdConfiguration[]>('GET', 'getWireguardConfigurations')
			const mine = configs.find((c) => c.Name === cfg)
			if (!mine) throw new PanelError('rejected', `configuration ${cfg} does not exist`)
			return {
				version: String(version),
				latencyMs,
				details: { configuration: cfg, address: mine.Address, listenPort: String(mine.ListenPort), peers: String(mine.TotalPeers ?? '') },
			}
		},

		async listOptions() {
			const configs = await call<WgdConfiguration[]>('GET', 'getWireguardConfigurations')
			return configs.map((c) => ({
				id: c.Name,
				label: c.Name,
				type: 'wg_interface' as const,
				meta: { subnet: c.Address, listenPort: String(c.ListenPort), protocol: c.Protocol ?? 'wg', publicKey: c.PublicKey },
			}))
		},

		async createAccount(spec) {
			if (!WG_USERNAME_RE.test(spec.username)) {
				throw new PanelError('rejected', 'username may only hold letters, digits and _ . @ - (at most 64)')
			}
			// The key pair follows from the API key + name, so a retry whose first try did the work
			// is told "This peer already exist" instead of creating a second peer.
			const keys = deriveWgKeyPair(conn.apiKey ?? '', `${cfg}/${spec.username}`)
			const body: Record<string, unknown> = { name: spec.username, public_key: keys.publicKey, private_key: keys.privateKey, allowed_ips: [] }
			if (conn.options.wgDns) body.DNS = conn.options.wgDns
			if (conn.options.wgAllowedIps) body.endpoint_allowed_ip = conn.options.wgAllowedIps
			if (conn.options.wgKeepalive !== undefined) body.keepalive = conn.options.wgKeepalive
			const [peer] = await post<WgdPeer[]>('addPeers/' + cfg, body)
			if (!peer?.id) throw new PanelError('bad_response', 'addPeers returned no peer')
			return toRemote(await applyLimits(peer, { dataLimit: spec.dataLimit, expireAt: spec.expireAt }), false)
		},

		async getAccount(ref) {
			const { peer, restricted } = await locate(ref)
			return toRemote(peer, restricted)
		},

		async listAccounts(cursor, pageSize = 500) {
			const now = Date.now()
			for (const [key, walk] of walks) if (now - walk.at > WALK_TTL_MS) walks.delete(key)
			const m = cursor ? /^([a-z0-9]+):(\d+)$/.exec(cursor) : null
			if (cursor && !m) throw new PanelError('rejected', 'invalid list cursor')
			const walkId = m ? m[1] : now.toString(36) + Math.random().toString(36).slice(2, 6)
			const offset = m ? Number(m[2]) : 0
			let walk = walks.get(walkId)
			if (!walk) {
				// The panel cannot page: one fetch per walk, served page by page from memory.
				const i = await info()
				const peers = [
					...i.configurationPeers.map((peer) => ({ peer, restricted: false })),
					...i.configurationRestrictedPeers.map((peer) => ({ peer, restricted: true })),
				]
				walk = { peers, at: now }
				walks.set(walkId, walk)
				while (walks.size > 4) walks.delete(walks.keys().next().value as string)
			}
			const page = walk.peers.slice(offset, offset + Math.max(1, pageSize))
			const next = offset + page.length
			if (next >= walk.peers.length) walks.delete(walkId)
			return {
				accounts: page.map((p) => toRemote(p.peer, p.restricted)),
				nextCursor: next < walk.peers.length ? `${walkId}:${next}` : null,
			}
		},

		async updateAccount(ref, update) {
			const { peer, restricted } = await locate(ref)
			// savePeerScheduleJob only finds active peers.
			const updated = await whileAllowed(peer.id, restricted, () => applyLimits(peer, update))
			return toRemote(updated, restricted)
		},

		async enable(ref) {
			const { peer, restricted } = await locate(ref)
			if (restricted) await post('allowAccessPeers/' + cfg, peersBody(peer.id))
		},

		async disable(ref) {
			const { peer, restricted } = await locate(ref)
			if (!restricted) await post('restrictPeers/' + cfg, peersBody(peer.id))
		},

		async resetUsage(ref) {
			const { peer, restricted } = await locate(ref)
			await whileAllowed(peer.id, restricted, () => post('resetPeerData/' + cfg, { id: peer.id, type: 'total' }))
		},

		async deleteAccount(ref) {
			const { peer, restricted } = await locate(ref)
			// deletePeers only searches active peers and raises (500) on any other key.
			if (restricted) await post('allowAccessPeers/' + cfg, peersBody(peer.id))
			await post('deletePeers/' + cfg, peersBody(peer.id))
		},

		async getLinks(ref) {
			const { peer, restricted, info: i } = await locate(ref)
			const fileName = `${peer.name.replace(/[^A-Za-z0-9_=+.-]/g, '') || 'peer'}.conf`
			if (!restricted) {
				const file = await call<{ fileName: string; file: string }>('GET', 'downloadPeer/' + cfg, { query: { id: peer.id } })
				if (typeof file?.file !== 'string') throw new PanelError('bad_response', 'downloadPeer returned no file')
				return { kind: 'wireguard', fileName, config: file.file }
			}
			// downloadPeer cannot see restricted peers; build the same file from the stored peer.
			const c = i.configurationInfo
			return {
				kind: 'wireguard',
				fileName,
				config: buildWgQuickConfig({
					privateKey: peer.private_key,
					address: peer.allowed_ip,
					dns: peer.DNS || undefined,
					mtu: peer.mtu || undefined,
					serverPublicKey: c.PublicKey,
					presharedKey: peer.preshared_key || undefined,
					endpoint: conn.options.wgEndpoint || `${new URL(http.baseUrl).hostname}:${c.ListenPort}`,
					allowedIps: peer.endpoint_allowed_ip,
					keepalive: peer.keepalive || undefined,
				}),
			}
		},

		close: () => http.close(),
	}
}
