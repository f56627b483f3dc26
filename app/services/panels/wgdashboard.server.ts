// WGDashboard 4.3 adapter (panel-contracts.md §5, §7). Quirks handled here: business errors are
// HTTP 200 `status:false` (mapped by message); usage is GiB floats, lifetime = total + cumu;
// there is no single-peer read, so reads fetch the configuration; limits and expiry are
// schedule jobs (one-shot, run every 180 s, so the hub enforces too); restricted peers are
// invisible to delete, jobs and reset, so those run with the peer briefly allowed; peers are
// keyed by public key, which must be URL-encoded in query strings. Also (issue 10):
// - addPeers' duplicate check sees only active peers, so a create whose peer is restricted would
//   put it back into the kernel: create checks both tables first and calls that a conflict;
// - a fired job vanishes from the peer (wgdashboard-jobs.ts): a restricted peer reports the limit
//   or expiry the panel enforced, so the hub does not rewrite (and briefly allow) it every run;
// - date jobs are in the panel host's local time (node option wgTimezone, default UTC);
// - the peer name carries our ownership marker (`<username> guardino:<customerId>`); peers
//   without it are ours only if their key is the one we derive for that name.
import { oneFullListingAtATime } from './full-listing'
import { createHash } from 'node:crypto'
import { PanelError } from './errors'
import { createPanelHttp, type HttpMethod, type RequestOptions } from './http.server'
import { ownerTagOf } from './owner-tag'
import type { AccountRef, AccountUpdate, NodeConnection, PanelAdapter, RemoteAccount } from './types'
import { firedJobsByPeer, formatPanelTime, parsePanelTime, type FiredJob, type WgdJobLog } from './wgdashboard-jobs'
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
type Fired = Map<string, FiredJob[]>

const GIB = 1024 ** 3
const WALK_TTL_MS = 10 * 60_000
const LIMIT_FIELD = 'total_data'
const EXPIRY_FIELD = 'date'
/** The operator of a limit/expiry job; anything else on those fields is our "cleared" record. */
const ENFORCE = 'lgt'
/** Never true (usage < 0, now < 1970): stands for "no limit" where a fired job would show through. */
const CLEARED: Record<string, string> = { [LIMIT_FIELD]: '0', [EXPIRY_FIELD]: '1970-01-01 00:00:00' }
const NO_FIRED: Fired = new Map()

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

/** The first word of a peer name is the username; the rest may hold our ownership marker. */
const userOf = (name: string) => (name ?? '').split(' ')[0]

export function createWgDashboardAdapter(conn: NodeConnection): PanelAdapter {
	const cfg = conn.options.wgInterface || 'wg0'
	const tz = conn.options.wgTimezone || 'UTC'
	const http = createPanelHttp(conn, { auth: { headers: { 'wg-dashboard-apikey': conn.apiKey ?? '' } } })
	const walks = new Map<string, { accounts: RemoteAccount[]; at: number }>()
	const derived = new Map<string, string>()

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

	async function firedJobs(): Promise<Fired> {
		const logs = await call<WgdJobLog[]>('GET', 'getPeerScheduleJobLogs/' + cfg)
		return Array.isArray(logs) ? firedJobsByPeer(logs) : NO_FIRED
	}

	/** The key pair a create derives for `username` (so a retry meets its own first try). */
	function keysFor(username: string) {
		return deriveWgKeyPair(conn.apiKey ?? '', `${cfg}/${username}`)
	}
	function derivedPublicKey(username: string) {
		let key = derived.get(username)
		if (key === undefined) {
			key = WG_USERNAME_RE.test(username) ? keysFor(username).publicKey : ''
			derived.set(username, key)
		}
		return key
	}

	/** Ours: it carries our marker, or it was made by us before markers (its key is ours). */
	function isOurs(peer: WgdPeer) {
		return ownerTagOf(peer.name) !== null || (peer.id !== '' && peer.id === derivedPublicKey(userOf(peer.name)))
	}

	async function locate(ref: AccountRef): Promise<Located> {
		const i = await info()
		// By key when we have it; by name only among our peers, never a look-alike made by hand.
		const match = (p: WgdPeer) => (ref.remoteId ? p.id === ref.remoteId : userOf(p.name) === ref.username && isOurs(p))
		const active = i.configurationPeers.find(match)
		if (active) return { peer: active, restricted: false, info: i }
		const restricted = i.configurationRestrictedPeers.find(match)
		if (restricted) return { peer: restricted, restricted: true, info: i }
		throw new PanelError('not_found', `no peer for ${ref.username} in ${cfg}`)
	}

	/** Only a restricted peer lacking an open job for a field can have a fired one showing through. */
	const needsLog = (peer: WgdPeer, restricted: boolean) =>
		restricted && [LIMIT_FIELD, EXPIRY_FIELD].some((f) => !(peer.jobs ?? []).some((j) => j.Action === 'restrict' && j.Field === f))

	/**
	 * What the panel holds for `field`: an open job decides (lgt = a value, our never-firing record
	 * = none); with no open job a restricted peer keeps the value of the job that restricted it.
	 */
	function effective(peer: WgdPeer, restricted: boolean, fired: Fired, field: string) {
		const open = (peer.jobs ?? []).filter((j) => j.Action === 'restrict' && j.Field === field)
		if (open.length) return { open, value: open.find((j) => j.Operator === ENFORCE)?.Value ?? null, fromFired: false }
		const last = restricted ? (fired.get(peer.id) ?? []).filter((j) => j.field === field && j.action === 'restrict' && j.operator === ENFORCE).at(-1) : undefined
		return { open, value: last?.value ?? null, fromFired: last !== undefined }
	}

	const limitOf = (value: string | null) => {
		const bytes = value !== null && Number.isFinite(Number(value)) ? gibToBytes(Number(value)) : 0n
		return bytes === 0n ? null : bytes
	}
	const expiryOf = (value: string | null) => (value === null ? null : parsePanelTime(value, tz))

	function toRemote(peer: WgdPeer, restricted: boolean, fired: Fired = NO_FIRED): RemoteAccount {
		const dataLimit = limitOf(effective(peer, restricted, fired, LIMIT_FIELD).value)
		const expireAt = expiryOf(effective(peer, restricted, fired, EXPIRY_FIELD).value)
		const usedBytes = gibToBytes(peer.total_data) + gibToBytes(peer.cumu_data)
		// The jobs fire only every 180 s; report what they are about to do. They fire on
		// `value > limit` and `now > expiry` (PeerJobs.runJob, operator lgt), never on equality.
		let status: RemoteAccount['status'] = 'active'
		if (restricted) status = 'disabled'
		else if (expireAt && expireAt.getTime() < Date.now()) status = 'expired'
		else if (dataLimit !== null && usedBytes > dataLimit) status = 'limited'
		const ago = parseTimedelta(peer.latest_handshake)
		const ours = isOurs(peer)
		return {
			ref: { username: ours ? userOf(peer.name) : peer.name, remoteId: peer.id },
			status,
			usedBytes,
			dataLimit,
			expireAt,
			onlineAt: ago === null ? null : new Date(Date.now() - ago),
			ownerTag: ownerTagOf(peer.name),
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

	async function saveJob(peer: WgdPeer, field: string, operator: string, value: string, existing: WgdJob | undefined) {
		const job = (id: string) => ({
			Job: { JobID: id, Configuration: cfg, Peer: peer.id, Field: field, Operator: operator, Value: value, CreationDate: '', ExpireDate: '', Action: 'restrict' },
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

	type Step = { field: string; remove: WgdJob[]; save: { operator: string; value: string; reuse?: WgdJob } | null }

	/**
	 * The writes that bring the jobs to `update`, none for a field that already reads back as
	 * wanted: the hub's record is the truth, and a limit the panel enforced (fired) is left alone.
	 */
	function planLimits(peer: WgdPeer, restricted: boolean, fired: Fired, update: AccountUpdate): Step[] {
		const wanted: Array<[string, string | null | undefined]> = [
			// 0 bytes means unlimited on every panel; as a job it would restrict on the first byte.
			[LIMIT_FIELD, update.dataLimit === undefined ? undefined : !update.dataLimit ? null : String(Number(update.dataLimit) / GIB)],
			[EXPIRY_FIELD, update.expireAt === undefined ? undefined : update.expireAt === null ? null : formatPanelTime(update.expireAt, tz)],
		]
		const steps: Step[] = []
		for (const [field, value] of wanted) {
			if (value === undefined) continue
			const now = effective(peer, restricted, fired, field)
			const same = field === LIMIT_FIELD ? limitOf(now.value) === limitOf(value) : expiryOf(now.value)?.getTime() === expiryOf(value)?.getTime()
			if (same && now.open.length <= 1) continue
			const [reuse, ...extra] = now.open
			if (value !== null) steps.push({ field, remove: extra, save: { operator: ENFORCE, value, reuse } })
			// Deleting the open job would let the fired one show through again: record "none" instead.
			else if (now.fromFired || (restricted && fired.get(peer.id)?.some((j) => j.field === field))) steps.push({ field, remove: extra, save: { operator: 'lst', value: CLEARED[field], reuse } })
			else steps.push({ field, remove: now.open, save: null })
		}
		return steps
	}

	async function applyLimits(peer: WgdPeer, steps: Step[]) {
		let jobs = peer.jobs ?? []
		for (const step of steps) {
			for (const j of step.remove) await post('deletePeerScheduleJob', { Job: { ...j, Configuration: cfg, Peer: peer.id } })
			jobs = jobs.filter((j) => !step.remove.includes(j) && j !== step.save?.reuse)
			if (!step.save) continue
			await saveJob(peer, step.field, step.save.operator, step.save.value, step.save.reuse)
			jobs = [...jobs, { JobID: step.save.reuse?.JobID ?? '', Field: step.field, Operator: step.save.operator, Value: step.save.value, Action: 'restrict' }]
		}
		return { ...peer, jobs }
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
			// meets its own peer instead of creating a second one.
			const keys = keysFor(spec.username)
			// addPeers' own check (searchPeer) sees active peers only: a restricted one would be put
			// back into the kernel, bringing a disabled customer back to life. Both tables, then.
			const i = await info()
			if (i.configurationRestrictedPeers.some((p) => p.id === keys.publicKey)) {
				throw new PanelError('conflict', `the peer of ${spec.username} exists in ${cfg} and is restricted`)
			}
			if (i.configurationPeers.some((p) => p.id === keys.publicKey)) throw new PanelError('conflict', 'This peer already exist')
			const tag = ownerTagOf(spec.note)
			const body: Record<string, unknown> = {
				name: tag ? `${spec.username} ${tag}` : spec.username,
				public_key: keys.publicKey,
				private_key: keys.privateKey,
				allowed_ips: [],
			}
			if (conn.options.wgDns) body.DNS = conn.options.wgDns
			if (conn.options.wgAllowedIps) body.endpoint_allowed_ip = conn.options.wgAllowedIps
			if (conn.options.wgKeepalive !== undefined) body.keepalive = conn.options.wgKeepalive
			const [peer] = await post<WgdPeer[]>('addPeers/' + cfg, body)
			if (!peer?.id) throw new PanelError('bad_response', 'addPeers returned no peer')
			const steps = planLimits(peer, false, NO_FIRED, { dataLimit: spec.dataLimit, expireAt: spec.expireAt })
			return toRemote(await applyLimits(peer, steps), false)
		},

		async getAccount(ref) {
			const { peer, restricted } = await locate(ref)
			return toRemote(peer, restricted, needsLog(peer, restricted) ? await firedJobs() : NO_FIRED)
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
				// The panel cannot page: one fetch per walk, kept as compact accounts and served page by
				// page from memory (full-listing.ts: one such fetch at a time per process).
				const accounts = await oneFullListingAtATime(async () => {
					const i = await info()
					const peers = [
						...i.configurationPeers.map((peer) => ({ peer, restricted: false })),
						...i.configurationRestrictedPeers.map((peer) => ({ peer, restricted: true })),
					].filter((p) => isOurs(p.peer))
					const fired = peers.some((p) => needsLog(p.peer, p.restricted)) ? await firedJobs() : NO_FIRED
					return peers.map((p) => toRemote(p.peer, p.restricted, fired))
				})
				walk = { accounts, at: now }
				walks.set(walkId, walk)
				while (walks.size > 4) walks.delete(walks.keys().next().value as string)
			}
			const page = walk.accounts.slice(offset, offset + Math.max(1, pageSize))
			const next = offset + page.length
			if (next >= walk.accounts.length) walks.delete(walkId)
			return {
				accounts: page,
				nextCursor: next < walk.accounts.length ? `${walkId}:${next}` : null,
			}
		},

		async updateAccount(ref, update) {
			const { peer, restricted } = await locate(ref)
			const fired = needsLog(peer, restricted) ? await firedJobs() : NO_FIRED
			const steps = planLimits(peer, restricted, fired, update)
			if (steps.length === 0) return toRemote(peer, restricted, fired)
			// savePeerScheduleJob only finds active peers.
			const updated = await whileAllowed(peer.id, restricted, () => applyLimits(peer, steps))
			return toRemote(updated, restricted, fired)
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
			const fileName = `${userOf(peer.name).replace(/[^A-Za-z0-9_=+.-]/g, '') || 'peer'}.conf`
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
