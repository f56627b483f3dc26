// WGDashboard v4.3.0.1 simulator (Flask app, src/dashboard.py + src/modules/*). Faithful quirks:
// business errors are HTTP 200 `status:false`; usage is GiB floats with `total_*` (the live kernel
// counter) folded into `cumu_*` when the counter restarts; restricted peers live in their own
// table, are not polled, and are invisible to searchPeer — so deletePeers on one raises (500) and
// savePeerScheduleJob says "Peer does not exist"; a fired schedule job is closed but keeps its
// JobID row, so saving that JobID again fails on the primary key.
import { randomBytes } from 'node:crypto'
import {
	buildWgQuickConfig,
	formatTimedelta,
	generateWgKeyPair,
	intToIpv4,
	ipv4ToInt,
	isWgKey,
	parseCidr,
	publicKeyFromPrivate,
} from '../app/services/panels/wireguard'
import { Router, SimControl, startHttpSim, type SimRequest, type SimResponse } from './base'

const GIB = 1024 ** 3
const VERSION = 'v4.3.0.1'

interface WgdPeer {
	id: string
	private_key: string
	preshared_key: string
	name: string
	allowed_ip: string
	endpoint_allowed_ip: string
	DNS: string
	mtu: number
	keepalive: number
	/** Kernel counters in bytes (server view: rx = client upload). */
	rx: number
	tx: number
	cumuRx: number
	cumuTx: number
	handshakeAt: number | null
}

interface WgdJob {
	JobID: string
	Configuration: string
	Peer: string
	Field: string
	Operator: string
	Value: string
	CreationDate: string
	ExpireDate: string | null
	Action: string
}

const envelope = (status: boolean, message: string | null = null, data: unknown = null, code = 200): SimResponse => ({
	status: code,
	json: { status, message, data },
})
const flaskHtml = (code: 404 | 500): SimResponse => ({
	status: code,
	headers: { 'content-type': 'text/html; charset=utf-8' },
	text:
		code === 404
			? '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n'
			: '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n',
})

/** An uncaught Python exception (KeyError, AttributeError …): Flask answers 500 HTML. */
class Uncaught extends Error {}

const pyNow = (ms = Date.now()) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')

export class WgDashboardState {
	apiKeys = new Set<string>()
	name = 'wg0'
	address: string
	listenPort = 51820
	keys = generateWgKeyPair()
	remoteEndpoint = '203.0.113.10'
	peers = new Map<string, WgdPeer>()
	restricted = new Map<string, WgdPeer>()
	/** Every job row ever saved, closed ones included (ExpireDate set). */
	jobs = new Map<string, WgdJob>()
	/** Jobs by peer, so printing 100k peers does not scan every job per peer. */
	private jobsByPeer = new Map<string, WgdJob[]>()

	constructor(address: string) {
		this.address = address
	}

	configurationJson() {
		const all = [...this.peers.values()]
		const sum = (f: (p: WgdPeer) => number) => all.reduce((s, p) => s + f(p), 0) / GIB
		return {
			Status: true,
			Name: this.name,
			PrivateKey: this.keys.privateKey,
			PublicKey: this.keys.publicKey,
			Address: this.address,
			ListenPort: String(this.listenPort),
			PreUp: '', PreDown: '', PostUp: '', PostDown: '',
			SaveConfig: true,
			DataUsage: {
				Total: sum((p) => p.rx + p.tx + p.cumuRx + p.cumuTx),
				Sent: sum((p) => p.tx + p.cumuTx),
				Receive: sum((p) => p.rx + p.cumuRx),
			},
			ConnectedPeers: all.filter((p) => this.running(p)).length,
			TotalPeers: all.length,
			Protocol: 'wg',
			Table: '',
		}
	}

	private running(p: WgdPeer) {
		return p.handshakeAt !== null && Date.now() - p.handshakeAt < 180_000
	}

	peerJson(p: WgdPeer, restricted = false) {
		return {
			// Peer.__dict__ carries the configuration object; a compact copy keeps 100k-peer replies sane.
			configuration: { Name: this.name, Address: this.address, PublicKey: this.keys.publicKey, ListenPort: String(this.listenPort), Protocol: 'wg' },
			id: p.id,
			private_key: p.private_key,
			DNS: p.DNS,
			endpoint_allowed_ip: p.endpoint_allowed_ip,
			name: p.name,
			total_receive: p.rx / GIB,
			total_sent: p.tx / GIB,
			total_data: (p.rx + p.tx) / GIB,
			endpoint: p.handshakeAt === null ? 'N/A' : '198.51.100.7:51413',
			status: !restricted && this.running(p) ? 'running' : 'stopped',
			latest_handshake: p.handshakeAt === null ? 'No Handshake' : formatTimedelta(Date.now() - p.handshakeAt),
			allowed_ip: p.allowed_ip,
			cumu_receive: p.cumuRx / GIB,
			cumu_sent: p.cumuTx / GIB,
			cumu_data: (p.cumuRx + p.cumuTx) / GIB,
			mtu: p.mtu,
			keepalive: p.keepalive,
			remote_endpoint: this.remoteEndpoint,
			preshared_key: p.preshared_key,
			jobs: this.activeJobs(p.id),
			ShareLink: [],
		}
	}

	activeJobs(peer: string) {
		return (this.jobsByPeer.get(peer) ?? []).filter((j) => j.ExpireDate === null)
	}

	addJob(job: WgdJob) {
		this.jobs.set(job.JobID, job)
		const list = this.jobsByPeer.get(job.Peer)
		if (list) list.push(job)
		else this.jobsByPeer.set(job.Peer, [job])
	}

	usedIps() {
		const used = new Set<number>([parseCidr(this.address).address])
		for (const p of [...this.peers.values(), ...this.restricted.values()]) {
			for (const part of p.allowed_ip.split(',')) {
				const [ip, prefix] = part.trim().split('/')
				if (prefix !== undefined && /^\d+\.\d+\.\d+\.\d+$/.test(ip)) used.add(ipv4ToInt(ip))
			}
		}
		return used
	}

	/** network.hosts() minus used, as "a.b.c.d/32" strings; `limit` like getAvailableIP(threshold). */
	availableIps(limit: number) {
		const subnet = parseCidr(this.address)
		const used = this.usedIps()
		const out: string[] = []
		for (let ip = subnet.network + 1; ip < subnet.broadcast && out.length < limit; ip++) {
			if (!used.has(ip)) out.push(`${intToIpv4(ip)}/32`)
		}
		return out
	}

	/** The kernel counter restarted (reboot, restrict/allow): the old total moves into cumu. */
	private fold(p: WgdPeer) {
		p.cumuRx += p.rx
		p.cumuTx += p.tx
		p.rx = 0
		p.tx = 0
	}

	restrict(id: string) {
		const p = this.peers.get(id)
		if (!p) return false
		this.peers.delete(id)
		this.restricted.set(id, p)
		return true
	}

	allow(id: string) {
		const p = this.restricted.get(id)
		if (!p) return false
		this.restricted.delete(id)
		this.fold(p)
		this.peers.set(id, p)
		return true
	}

	reboot() {
		for (const p of this.peers.values()) this.fold(p)
	}

	/** Restricted peers are out of the kernel: they get no traffic. */
	addTraffic(bytes: number | Record<string, number>) {
		const give = (p: WgdPeer | undefined, n: number) => {
			if (!p) return
			const half = Math.floor(n / 2)
			p.tx += half
			p.rx += n - half
			p.handshakeAt = Date.now()
		}
		if (typeof bytes === 'number') for (const p of this.peers.values()) give(p, bytes)
		else {
			const byName = new Map([...this.peers.values()].map((p) => [p.name, p]))
			for (const [key, n] of Object.entries(bytes)) give(this.peers.get(key) ?? byName.get(key), n)
		}
	}

	/** PeerJobs.runJob: one pass, as the 180 s background thread does. */
	runJobs(now = Date.now()) {
		for (const job of this.jobs.values()) {
			if (job.ExpireDate !== null) continue
			const p = this.peers.get(job.Peer)
			if (!p) continue
			let x: number
			let y: number
			if (job.Field === 'date') {
				x = now
				y = Date.parse(`${job.Value.replace(' ', 'T')}Z`)
			} else {
				const s = job.Field.split('_')[1]
				x = (s === 'receive' ? p.rx + p.cumuRx : s === 'sent' ? p.tx + p.cumuTx : p.rx + p.tx + p.cumuRx + p.cumuTx) / GIB
				y = Number(job.Value)
			}
			const fire = { eq: x === y, neq: x !== y, lgt: x > y, lst: x < y }[job.Operator] ?? false
			if (!fire) continue
			let ok = false
			if (job.Action === 'restrict') ok = this.restrict(p.id)
			else if (job.Action === 'reset_total_data_usage') {
				p.rx = p.tx = p.cumuRx = p.cumuTx = 0
				ok = true
			}
			// 'delete' raises in the real runner (deletePeers called with one argument): never fires.
			if (ok) job.ExpireDate = pyNow(now)
		}
	}

	seed(n: number, prefix = 'seed') {
		const ips = this.availableIps(n)
		if (ips.length < n) throw new Error(`seed: ${this.address} has room for ${ips.length} peers`)
		for (let i = 0; i < n; i++) {
			const id = randomBytes(32).toString('base64')
			this.peers.set(id, {
				id, private_key: '', preshared_key: '', name: `${prefix}-${i}`, allowed_ip: ips[i],
				endpoint_allowed_ip: '0.0.0.0/0', DNS: '1.1.1.1', mtu: 1420, keepalive: 21,
				rx: 0, tx: 0, cumuRx: 0, cumuTx: 0, handshakeAt: null,
			})
		}
	}
}

function routes(state: WgDashboardState, prefix: string) {
	const router = new Router()
	const authed = (req: SimRequest): SimResponse | null => {
		const key = req.headers['wg-dashboard-apikey']
		if (typeof key === 'string' && key.length > 0) {
			return state.apiKeys.has(key) ? null : envelope(false, 'API Key does not exist', null, 401)
		}
		return envelope(false, 'Unauthorized access.', null, 401)
	}
	const handle = (fn: (req: SimRequest, body: Record<string, unknown>) => SimResponse, open = false) => (req: SimRequest) => {
		const denied = open ? null : authed(req)
		if (denied) return denied
		try {
			const body = req.json && typeof req.json === 'object' ? (req.json as Record<string, unknown>) : {}
			return fn(req, body)
		} catch (e) {
			if (e instanceof Uncaught) return flaskHtml(500)
			throw e
		}
	}
	// data['key'] on a dict: a missing key is a KeyError, i.e. a 500.
	const need = <T = unknown>(body: Record<string, unknown>, key: string): T => {
		if (!(key in body)) throw new Uncaught(key)
		return body[key] as T
	}
	const known = (cfg: string) => cfg === state.name
	const api = (path: string) => `${prefix}/api/${path}`

	router
		.add('GET', api('handshake'), handle(() => envelope(true)))
		.add('GET', api('getDashboardVersion'), handle(() => envelope(true, null, VERSION), true))
		.add('GET', api('getWireguardConfigurations'), handle(() => envelope(true, null, [state.configurationJson()])))
		.add('GET', api('getWireguardConfigurationInfo'), handle((req) => {
			if (!known(req.query.get('configurationName') ?? '')) return envelope(false, 'Please provide configuration name')
			return envelope(true, null, {
				configurationInfo: state.configurationJson(),
				configurationPeers: [...state.peers.values()].map((p) => state.peerJson(p)),
				configurationRestrictedPeers: [...state.restricted.values()].map((p) => state.peerJson(p, true)),
			})
		}))
		.add('POST', api('addPeers/:cfg'), handle((req, b) => {
			if (!known(req.params.cfg)) return envelope(false, 'Configuration does not exist')
			let publicKey = String(b.public_key ?? '')
			let privateKey = String(b.private_key ?? '')
			if (state.peers.has(publicKey)) return envelope(false, 'This peer already exist')
			if (!publicKey) {
				if (!privateKey) privateKey = generateWgKeyPair().privateKey
				publicKey = publicKeyFromPrivate(privateKey)
			} else if (privateKey && publicKeyFromPrivate(privateKey) !== publicKey) {
				return envelope(false, 'Provided Public Key does not match provided Private Key')
			}
			if (!isWgKey(publicKey)) return envelope(false, 'Add peers failed. Reason: invalid public key')
			// The restricted table shares the primary key; the real INSERT fails here.
			if (state.restricted.has(publicKey)) return envelope(false, 'Add peers failed. Reason: UNIQUE constraint failed: wg0.id')
			let allowed = Array.isArray(b.allowed_ips) ? b.allowed_ips.map(String) : []
			if (allowed.length === 0) {
				const first = state.availableIps(1)
				if (first.length === 0) return envelope(false, 'No more available IP can assign')
				allowed = first
			}
			if (b.allowed_ips_validation !== false) {
				const subnet = parseCidr(state.address)
				for (const ip of allowed) {
					const inside = /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(ip) && (() => {
						const c = parseCidr(ip)
						return c.network >= subnet.network && c.broadcast <= subnet.broadcast
					})()
					if (!inside) return envelope(false, `This IP is not available: ${ip}`)
				}
			}
			const mtu = typeof b.mtu === 'number' && b.mtu >= 0 && b.mtu <= 1460 ? b.mtu : 1420
			const keepalive = typeof b.keepalive === 'number' && b.keepalive >= 0 ? b.keepalive : 21
			const peer: WgdPeer = {
				id: publicKey, private_key: privateKey, preshared_key: String(b.preshared_key ?? ''),
				name: String(b.name ?? ''), allowed_ip: allowed.join(','),
				endpoint_allowed_ip: String(b.endpoint_allowed_ip ?? '0.0.0.0/0'), DNS: String(b.DNS ?? '1.1.1.1'),
				mtu, keepalive, rx: 0, tx: 0, cumuRx: 0, cumuTx: 0, handshakeAt: null,
			}
			state.peers.set(publicKey, peer)
			return envelope(true, '', [state.peerJson(peer)])
		}))
		.add('POST', api('updatePeerSettings/:cfg'), handle((req, b) => {
			const id = String(need(b, 'id'))
			if (id.length > 0 && known(req.params.cfg)) {
				const fields = ['name', 'private_key', 'DNS', 'allowed_ip', 'endpoint_allowed_ip', 'preshared_key', 'mtu', 'keepalive']
				const values = Object.fromEntries(fields.map((f) => [f, need(b, f)]))
				const peer = state.peers.get(id)
				if (peer) {
					const taken = [...state.peers.values()].some((p) => p.id !== id && p.allowed_ip.split(',').map((s) => s.trim()).includes(String(values.allowed_ip)))
					if (taken) return envelope(false, 'Allowed IP already taken by another peer')
					const pk = String(values.private_key)
					if (pk && publicKeyFromPrivate(pk) !== id) return envelope(false, 'Private key does not match with the public key')
					Object.assign(peer, {
						name: String(values.name), private_key: pk, DNS: String(values.DNS), allowed_ip: String(values.allowed_ip),
						endpoint_allowed_ip: String(values.endpoint_allowed_ip), preshared_key: String(values.preshared_key),
						mtu: typeof values.mtu === 'number' ? values.mtu : 0, keepalive: typeof values.keepalive === 'number' ? values.keepalive : 0,
					})
					return envelope(true, null)
				}
			}
			return envelope(false, 'Peer does not exist')
		}))
		.add('POST', api('deletePeers/:cfg'), handle((req, b) => {
			const list = need<string[]>(b, 'peers')
			if (!known(req.params.cfg)) return envelope(false, 'Configuration does not exist', null, 404)
			if (list.length === 0) return envelope(false, 'Please specify one or more peers', null, 400)
			// searchPeer misses → `pf.jobs` on None → AttributeError → 500.
			if (list.some((id) => !state.peers.has(id))) throw new Uncaught('NoneType has no attribute jobs')
			for (const id of list) {
				for (const job of state.activeJobs(id)) job.ExpireDate = pyNow()
				state.peers.delete(id)
			}
			return envelope(true, `Deleted ${list.length} peer(s)`)
		}))
		.add('POST', api('restrictPeers/:cfg'), handle((req, b) => {
			const list = need<string[]>(b, 'peers')
			if (!known(req.params.cfg)) return envelope(false, 'Configuration does not exist', null, 404)
			if (list.length === 0) return envelope(false, 'Please specify one or more peers')
			const done = list.filter((id) => state.restrict(id)).length
			if (done === list.length) return envelope(true, `Restricted ${done} peer(s)`)
			return envelope(false, `Restricted ${done} peer(s) successfully. Failed to restrict 0 peer(s)`)
		}))
		.add('POST', api('allowAccessPeers/:cfg'), handle((req, b) => {
			const list = need<string[]>(b, 'peers')
			if (!known(req.params.cfg)) return envelope(false, 'Configuration does not exist')
			if (list.length === 0) return envelope(false, 'Please specify one or more peers')
			for (const id of list) if (!state.allow(id)) return envelope(false, `Failed to allow access of peer ${id}`)
			return envelope(true, 'Allow access successfully')
		}))
		.add('POST', api('resetPeerData/:cfg'), handle((req, b) => {
			const id = String(need(b, 'id'))
			const type = need(b, 'type')
			const peer = state.peers.get(id)
			if (!id || !known(req.params.cfg) || !peer) return envelope(false, 'Configuration/Peer does not exist')
			if (type === 'total') peer.rx = peer.tx = peer.cumuRx = peer.cumuTx = 0
			else if (type === 'receive') peer.rx = peer.cumuRx = 0
			else if (type === 'sent') peer.tx = peer.cumuTx = 0
			else return envelope(false)
			// restrict + allow: the kernel counters restart too.
			state.restrict(id)
			state.allow(id)
			return envelope(true)
		}))
		.add('GET', api('downloadPeer/:cfg'), handle((req) => {
			if (!known(req.params.cfg)) return envelope(false, 'Configuration does not exist')
			const id = req.query.get('id')
			if (id === null) throw new Uncaught('id')
			const peer = state.peers.get(id)
			if (!id || !peer) return envelope(false, 'Peer does not exist')
			const file = buildWgQuickConfig({
				privateKey: peer.private_key, address: peer.allowed_ip, dns: peer.DNS, mtu: peer.mtu,
				serverPublicKey: state.keys.publicKey, endpoint: `${state.remoteEndpoint}:${state.listenPort}`,
				allowedIps: peer.endpoint_allowed_ip, keepalive: peer.keepalive, presharedKey: peer.preshared_key || undefined,
			})
			const fileName = [...(peer.name.replace(/[ .,/?<>\\:*|]/g, '') || 'UntitledPeer')].filter((c) => /[a-zA-Z0-9_=+.-]/.test(c)).join('')
			return envelope(true, null, { fileName, file })
		}))
		.add('GET', api('getAvailableIPs/:cfg'), handle((req) => {
			if (!known(req.params.cfg)) return envelope(false, 'Configuration does not exist')
			return envelope(true, null, { [state.address]: state.availableIps(255) })
		}))
		.add('POST', api('savePeerScheduleJob'), handle((_req, b) => {
			const job = need<Record<string, unknown>>(b, 'Job')
			if (!('Peer' in job) || !('Configuration' in job)) return envelope(false, 'Please specify peer and configuration')
			if (!known(String(job.Configuration))) return envelope(false, 'Configuration does not exist')
			if (!state.peers.has(String(job.Peer))) return envelope(false, 'Peer does not exist')
			const f = (k: string) => String(need(job, k))
			const [JobID, Field, Operator, Value, Action] = ['JobID', 'Field', 'Operator', 'Value', 'Action'].map(f)
			f('CreationDate')
			f('ExpireDate')
			const existing = state.jobs.get(JobID)
			if (existing && existing.ExpireDate !== null) {
				return envelope(false, '(sqlite3.IntegrityError) UNIQUE constraint failed: PeerJobs.JobID')
			}
			if (existing) Object.assign(existing, { Field, Operator, Value, Action })
			else {
				state.addJob({
					JobID, Configuration: String(job.Configuration), Peer: String(job.Peer), Field, Operator, Value,
					CreationDate: pyNow(), ExpireDate: null, Action,
				})
			}
			return envelope(true, null, [state.jobs.get(JobID)])
		}))
		.add('POST', api('deletePeerScheduleJob'), handle((_req, b) => {
			const job = need<Record<string, unknown>>(b, 'Job')
			if (!('Peer' in job) || !('Configuration' in job)) return envelope(false, 'Please specify peer and configuration')
			if (!known(String(job.Configuration))) return envelope(false, 'Configuration does not exist')
			// PeerJob(job['JobID'], …, job['Action']): every key is read, so a missing one is a 500.
			for (const k of ['JobID', 'Field', 'Operator', 'Value', 'CreationDate', 'ExpireDate', 'Action']) need(job, k)
			const existing = state.jobs.get(String(job.JobID))
			if (!existing || existing.ExpireDate !== null) return envelope(false, 'Job does not exist')
			existing.ExpireDate = pyNow()
			return envelope(true)
		}))
	return { router, authed }
}

export interface WgDashboardSimOptions {
	port?: number
	apiKey?: string
	/** Interface address; /15 so that 100k seeded peers fit. */
	address?: string
	appPrefix?: string
	/** Run the schedule jobs every n ms (the real panel: 180 000). Off by default. */
	jobIntervalMs?: number
}

export async function startWgDashboardSim(opts: WgDashboardSimOptions = {}) {
	const state = new WgDashboardState(opts.address ?? '10.0.0.1/15')
	const apiKey = opts.apiKey ?? randomBytes(32).toString('base64url')
	state.apiKeys.add(apiKey)
	const control = new SimControl({
		// API keys do not expire by themselves; the panel restart that kills cookie sessions does
		// not touch them either. Nothing to do.
		expireTokens: () => undefined,
		reboot: () => state.reboot(),
		addTraffic: (bytes) => state.addTraffic(bytes),
		seed: (n, prefix) => state.seed(n, prefix),
	})
	const { router, authed } = routes(state, opts.appPrefix ?? '')
	// before_request authenticates every path first, unknown ones included.
	const http = await startHttpSim(router, control, { port: opts.port, notFound: (req) => authed(req) ?? flaskHtml(404) })
	const timer = opts.jobIntervalMs ? setInterval(() => state.runJobs(), opts.jobIntervalMs) : null
	timer?.unref()
	return {
		url: http.url,
		apiKey,
		control,
		state,
		async close() {
			if (timer) clearInterval(timer)
			await http.close()
		},
	}
}

export type WgDashboardSim = Awaited<ReturnType<typeof startWgDashboardSim>>
