// WGDashboard v4.3.0.1 simulator (Flask app, src/dashboard.py + src/modules/*). Faithful quirks:
// business errors are HTTP 200 `status:false`; usage is GiB floats with `total_*` (the live kernel
// counter) folded into `cumu_*` when the counter restarts; restricted peers live in their own
// table (`<config>_restrict_access`), are not polled, and are invisible to searchPeer — so
// deletePeers on one raises (500), savePeerScheduleJob says "Peer does not exist" and addPeers'
// duplicate check lets the same key in again (it then sits in both tables, live in the kernel);
// a fired schedule job is closed (gone from the peer's list, its JobID row kept, so saving that
// JobID again fails on the primary key) and only the job log remembers it; date jobs compare
// with the host's naive local time (`timeZone`).
import { randomBytes } from 'node:crypto'
import { Router, SimControl, startHttpSim, type SimRequest, type SimResponse } from './base'
import { isSimWgKey, simKeyPair, simPublicKey } from './wireguard-keys'
import { cidr, intToIp, ipToInt } from './wireguard-net'
import { pyLocalNow, pyNaive, pyTimedelta, wgdPeerFile } from './wireguard-text'

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

/** PeerJobLogger's JobLog row (src/modules/Log.py toJson). */
interface WgdJobLog {
	LogID: string
	JobID: string
	LogDate: string
	/** A Python bool stored in a String column: SQLite hands it back as '1' / '0'. */
	Status: string
	Message: string
}

const uuid4 = () => {
	const h = randomBytes(16).toString('hex')
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export class WgDashboardState {
	/** The host clock's zone: datetime.now() is naive local time there. */
	timeZone = 'UTC'
	/** Every JobLog row, oldest first. */
	jobLogs: WgdJobLog[] = []
	apiKeys = new Set<string>()
	name = 'wg0'
	address: string
	listenPort = 51820
	keys = simKeyPair()
	remoteEndpoint = '203.0.113.10'
	/** The `<config>` table: peers in the kernel. */
	peers = new Map<string, WgdPeer>()
	/** The `<config>_restrict_access` table: its own primary key, so a key may be in both. */
	restricted = new Map<string, WgdPeer>()
	/** Every job row ever saved, closed ones included (ExpireDate set). */
	jobs = new Map<string, WgdJob>()
	/** Jobs by peer, so printing 100k peers does not scan every job per peer. */
	private jobsByPeer = new Map<string, WgdJob[]>()

	constructor(address: string) {
		this.address = address
	}

	/** datetime.now().strftime('%Y-%m-%d %H:%M:%S') on the panel's host. */
	localNow(ms = Date.now()) {
		return pyLocalNow(ms, this.timeZone)
	}

	/**
	 * PeerJobLogger.log. LogDate is the column's server_default, SQLite's CURRENT_TIMESTAMP, which is
	 * UTC whatever the host's zone (unlike the jobs' own dates, which are datetime.now()).
	 */
	log(JobID: string, Status: boolean, Message: string) {
		this.jobLogs.push({ LogID: uuid4(), JobID, LogDate: pyLocalNow(Date.now(), 'UTC'), Status: Status ? '1' : '0', Message })
	}

	/** PeerJobs.deleteJob: closes the row; the job leaves every list but keeps its JobID. */
	closeJob(job: WgdJob) {
		job.ExpireDate = this.localNow()
		this.log(job.JobID, true, 'Job is removed due to being deleted or finshed.')
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
			latest_handshake: p.handshakeAt === null ? 'No Handshake' : pyTimedelta(Date.now() - p.handshakeAt),
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
		// getAvailableIP: every peer of both tables, by the address part of each allowed_ip entry.
		const used = new Set<number>([cidr(this.address).address])
		for (const p of [...this.peers.values(), ...this.restricted.values()]) {
			for (const part of p.allowed_ip.split(',')) {
				const [ip, prefix] = part.trim().split('/')
				if (prefix !== undefined && /^\d+\.\d+\.\d+\.\d+$/.test(ip)) used.add(ipToInt(ip))
			}
		}
		return used
	}

	/** network.hosts() minus used, as "a.b.c.d/32" strings; `limit` like getAvailableIP(threshold). */
	availableIps(limit: number) {
		const subnet = cidr(this.address)
		const used = this.usedIps()
		const out: string[] = []
		for (let ip = subnet.network + 1; ip < subnet.broadcast && out.length < limit; ip++) {
			if (!used.has(ip)) out.push(`${intToIp(ip)}/32`)
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

	/** WireguardConfiguration.restrictPeers: a key already in the restricted table fails its INSERT. */
	restrict(id: string) {
		const p = this.peers.get(id)
		if (!p || this.restricted.has(id)) return false
		this.peers.delete(id)
		this.restricted.set(id, p)
		return true
	}

	/** allowAccessPeers: INSERT … FROM SELECT outside any try, so a key in both tables raises. */
	allow(id: string) {
		const p = this.restricted.get(id)
		if (!p) return false
		if (this.peers.has(id)) throw new Uncaught('UNIQUE constraint failed')
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
		if (typeof bytes === 'number') for (const p of this.live()) give(p, bytes)
		else {
			// Keyed by peer id, full name, or the name's first word (the username before a marker such
			// as `guardino:7`), so tests and benches can address peers the way they created them.
			const byName = new Map([...this.peers.values()].flatMap((p) => [[p.name, p] as const, [p.name.split(' ')[0]!, p] as const]))
			for (const [key, n] of Object.entries(bytes)) give(this.peers.get(key) ?? byName.get(key), n)
		}
	}

	/**
	 * PeerJobs.runJob: one pass, as the background thread does every 180 s (`jobIntervalMs`, or call
	 * it from a test). Usage jobs fire on `total + cumu > Value` (operator lgt), date jobs on
	 * datetime.now() > strptime(Value), both naive local time. A fired job is logged, then closed.
	 * A restricted peer is not found by searchPeer: its jobs only log a failure, every pass.
	 */
	runJobs(now = Date.now()) {
		const fired: WgdJob[] = []
		for (const job of this.jobs.values()) {
			if (job.ExpireDate !== null) continue
			const p = this.peers.get(job.Peer)
			if (!p) {
				this.log(job.JobID, false, `Somehow can't find this peer ${job.Peer} from ${this.name} failed ${job.Action}ed.`)
				continue
			}
			const fire = this.jobHolds(job, p, now)
			// strptime raises on a malformed Value and the thread's try swallows the whole pass.
			if (fire === null) return
			if (!fire) continue
			let ok = false
			if (job.Action === 'restrict') ok = this.restrict(p.id)
			else if (job.Action === 'reset_total_data_usage') {
				p.rx = p.tx = p.cumuRx = p.cumuTx = 0
				ok = true
			}
			// 'delete' raises in the real runner (deletePeers called with one argument): never fires.
			if (ok) {
				this.log(job.JobID, true, `Peer ${p.id} from ${this.name} is successfully ${job.Action}ed.`)
				fired.push(job)
			} else this.log(job.JobID, false, `Peer ${p.id} from ${this.name} failed ${job.Action}ed.`)
		}
		for (const job of fired) this.closeJob(job)
	}

	/** runJob's test for one job on an active peer; null where strptime would raise. */
	jobHolds(job: WgdJob, p: WgdPeer, now = Date.now()): boolean | null {
		let x: number
		let y: number
		if (['total_receive', 'total_sent', 'total_data'].includes(job.Field)) {
			const s = job.Field.split('_')[1]
			x = (s === 'receive' ? p.rx + p.cumuRx : s === 'sent' ? p.tx + p.cumuTx : p.rx + p.tx + p.cumuRx + p.cumuTx) / GIB
			y = Number(job.Value)
		} else {
			x = pyNaive(this.localNow(now))
			y = pyNaive(job.Value)
			if (Number.isNaN(y)) return null
		}
		return { eq: x === y, neq: x !== y, lgt: x > y, lst: x < y }[job.Operator] ?? false
	}

	/**
	 * Peers the traffic generator feeds: those in the kernel (the active table), minus those a due
	 * restrict job is about to cut off (limited / expired), so the demo does not show usage climbing
	 * past a limit during the panel's 180 s job interval.
	 */
	private live() {
		return [...this.peers.values()].filter((p) => !this.activeJobs(p.id).some((j) => j.Action === 'restrict' && this.jobHolds(j, p) === true))
	}

	/** n peers as the hub names them: `<prefix>-<i>` plus an ownership marker. */
	seed(n: number, prefix = 'seed') {
		const ips = this.availableIps(n)
		if (ips.length < n) throw new Error(`seed: ${this.address} has room for ${ips.length} peers`)
		for (let i = 0; i < n; i++) {
			const id = randomBytes(32).toString('base64')
			this.peers.set(id, {
				id, private_key: '', preshared_key: '', name: `${prefix}-${i} guardino:${i + 1}`, allowed_ip: ips[i],
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
			// searchPeer looks at the active list only: a restricted key passes this check, its INSERT
			// into `<config>` succeeds (the restricted table has its own primary key), and `wg set`
			// puts the peer back into the kernel (dashboard.py API_addPeers).
			if (state.peers.has(publicKey)) return envelope(false, 'This peer already exist')
			if (!publicKey) {
				if (!privateKey) privateKey = simKeyPair().privateKey
				publicKey = simPublicKey(privateKey)
			} else if (privateKey && simPublicKey(privateKey) !== publicKey) {
				return envelope(false, 'Provided Public Key does not match provided Private Key')
			}
			if (!isSimWgKey(publicKey)) return envelope(false, 'Add peers failed. Reason: invalid public key')
			let allowed = Array.isArray(b.allowed_ips) ? b.allowed_ips.map(String) : []
			if (allowed.length === 0) {
				const first = state.availableIps(1)
				if (first.length === 0) return envelope(false, 'No more available IP can assign')
				allowed = first
			}
			if (b.allowed_ips_validation !== false) {
				const subnet = cidr(state.address)
				for (const ip of allowed) {
					const inside = /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(ip) && (() => {
						const c = cidr(ip)
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
					if (pk && simPublicKey(pk) !== id) return envelope(false, 'Private key does not match with the public key')
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
				for (const job of state.activeJobs(id)) state.closeJob(job)
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
			const file = wgdPeerFile({
				privateKey: peer.private_key, address: peer.allowed_ip, mtu: peer.mtu, dns: peer.DNS,
				serverPublicKey: state.keys.publicKey, allowedIps: peer.endpoint_allowed_ip,
				endpoint: `${state.remoteEndpoint}:${state.listenPort}`, keepalive: peer.keepalive, presharedKey: peer.preshared_key,
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
			// PeerJobs.saveJob logs both ways; these messages are how a closed job is remembered.
			if (existing) {
				state.log(JobID, true, `Job is updated from if ${existing.Field} ${existing.Operator} ${existing.Value} then ${existing.Action}; to if ${Field} ${Operator} ${Value} then ${Action}`)
				Object.assign(existing, { Field, Operator, Value, Action })
			} else {
				state.addJob({
					JobID, Configuration: String(job.Configuration), Peer: String(job.Peer), Field, Operator, Value,
					CreationDate: state.localNow(), ExpireDate: null, Action,
				})
				state.log(JobID, true, `Job is created if ${Field} ${Operator} ${Value} then ${Action}`)
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
			state.closeJob(existing)
			return envelope(true)
		}))
		.add('GET', api('getPeerScheduleJobLogs/:cfg'), handle((req) => {
			if (!known(req.params.cfg)) return envelope(false, 'Configuration does not exist')
			// PeerJobLogger.getLogs: the logs of every job of this configuration, closed ones too.
			const mine = new Set([...state.jobs.values()].filter((j) => j.Configuration === req.params.cfg).map((j) => j.JobID))
			return envelope(true, null, state.jobLogs.filter((l) => mine.has(l.JobID)))
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
	/** The host's clock zone (IANA), which date jobs are compared in. Default UTC. */
	timeZone?: string
}

export async function startWgDashboardSim(opts: WgDashboardSimOptions = {}) {
	const state = new WgDashboardState(opts.address ?? '10.0.0.1/15')
	if (opts.timeZone) state.timeZone = opts.timeZone
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
