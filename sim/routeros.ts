// RouterOS v7 WireGuard simulator: REST (HTTP Basic, every value a string) and the binary API
// over real TCP, both reading and writing one in-memory state, as on a real router.
// Faithful quirks: `.id`s like "*1A" that are renumbered by a reboot, rx/tx that restart at 0
// after a reboot or a disable/enable, `last-handshake` absent until the first handshake, and
// the `!empty` reply RouterOS ≥ 7.18 sends for a print with no rows (node-routeros chokes on it).
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { INVALID_JSON, json, Router, SimControl, startHttpSim, type SimRequest, type SimResponse } from './base'
import { encodeSentence, parseCommand, SentenceDecoder, type ParsedCommand } from './routeros-api-protocol'
import { isSimWgKey, simKeyPair } from './wireguard-keys'
import { cidr, intToIp } from './wireguard-net'
import { rosDuration } from './wireguard-text'

type Row = Record<string, string>

/** An error as RouterOS words it; REST turns it into 400/404, the API into `!trap`. */
export class RosError extends Error {
	constructor(
		readonly status: 400 | 404,
		message: string,
	) {
		super(message)
	}
}

interface RosPeer {
	id: number
	/** Config properties exactly as printed (strings), minus the runtime state below. */
	props: Row
	rx: number
	tx: number
	handshakeAt: number | null
	/** Where the peer's packets last came from ("203.0.113.5:51820"); RouterOS prints it as
	 * current-endpoint-address/-port once a handshake happened. */
	endpoint?: string | null
}

interface RosInterface {
	name: string
	address: string
	listenPort: number
	privateKey: string
	publicKey: string
}

const PEER_PARAMS = new Set([
	'interface', 'public-key', 'allowed-address', 'endpoint-address', 'endpoint-port', 'persistent-keepalive',
	'preshared-key', 'comment', 'disabled', 'name', 'client-address', 'client-dns', 'client-endpoint',
	'client-keepalive', 'client-listen-port', 'private-key', 'responder',
])
const BOOLEAN_PARAMS = new Set(['disabled', 'responder'])

const hexId = (n: number) => `*${n.toString(16).toUpperCase()}`
const wholeSeconds = (ms: number) => Math.floor(ms / 1000) * 1000

export class RouterOsState {
	version = '7.19.4 (stable)'
	/** /system/identity name. */
	identity = 'MikroTik'
	users = new Map<string, string>()
	interfaces: RosInterface[] = []
	bootedAt = Date.now()
	/** RouterOS ≥ 7.18 answers an empty API print with `!empty`; older ones with a bare `!done`. */
	emptyReply = true
	renumberOnReboot = true
	peers = new Map<number, RosPeer>()
	private byKey = new Map<string, RosPeer>()
	private nextId = 1
	/** Hooks the API server registers so a reboot or session expiry drops its sockets. */
	onDropSessions: Array<() => void> = []

	addInterface(name: string, address: string, listenPort = 13231) {
		const keys = simKeyPair()
		this.interfaces.push({ name, address, listenPort, ...keys })
	}

	/** RouterOS prints whole seconds ("1w2d3h4m5s"). */
	uptime() {
		return rosDuration(wholeSeconds(Date.now() - this.bootedAt))
	}

	checkLogin(user: string, password: string) {
		return this.users.has(user) && this.users.get(user) === password
	}

	interfaceRows(): Row[] {
		return this.interfaces.map((i, n) => ({
			'.id': hexId(n + 1),
			name: i.name,
			'listen-port': String(i.listenPort),
			mtu: '1420',
			'private-key': i.privateKey,
			'public-key': i.publicKey,
			running: 'true',
			disabled: 'false',
		}))
	}

	/** More /ip/address entries (a second address on a WireGuard interface, say). */
	extraAddresses: Array<{ address: string; interface: string }> = []

	addressRows(): Row[] {
		return [...this.interfaces, ...this.extraAddresses.map((a) => ({ name: a.interface, address: a.address }))].map((i, n) => {
			const subnet = cidr(i.address)
			return {
				'.id': hexId(n + 1),
				address: i.address,
				network: intToIp(subnet.network),
				interface: i.name,
				'actual-interface': i.name,
				invalid: 'false',
				dynamic: 'false',
				disabled: 'false',
			}
		})
	}

	resourceRow(): Row {
		return {
			uptime: this.uptime(),
			version: this.version,
			'build-time': '2025-06-10 09:00:00',
			'free-memory': '912261120',
			'total-memory': '1073741824',
			cpu: 'QEMU',
			'cpu-count': '2',
			'cpu-load': '1',
			'architecture-name': 'x86_64',
			'board-name': 'CHR',
			platform: 'MikroTik',
		}
	}

	peerRow(p: RosPeer): Row {
		const row: Row = {
			'.id': hexId(p.id),
			'current-endpoint-address': '',
			'current-endpoint-port': '0',
			dynamic: 'false',
			'endpoint-address': '',
			'endpoint-port': '0',
			'persistent-keepalive': '0s',
			responder: 'false',
			...p.props,
			rx: String(p.rx),
			tx: String(p.tx),
		}
		if (p.handshakeAt !== null) {
			row['last-handshake'] = rosDuration(wholeSeconds(Date.now() - p.handshakeAt))
			if (p.endpoint) {
				const colon = p.endpoint.lastIndexOf(':')
				row['current-endpoint-address'] = p.endpoint.slice(0, colon)
				row['current-endpoint-port'] = p.endpoint.slice(colon + 1)
			}
		}
		return row
	}

	findPeer(idOrName: string) {
		if (/^\*[0-9A-Fa-f]+$/.test(idOrName)) {
			const peer = this.peers.get(parseInt(idOrName.slice(1), 16))
			if (peer) return peer
		}
		for (const p of this.peers.values()) if (p.props.name === idOrName) return p
		throw new RosError(404, 'no such item')
	}

	/** Equality filters on printed values; a public-key filter uses the index (100k peers). */
	printPeers(filter: Row = {}, has: string[] = [], hasNot: string[] = []): Row[] {
		const key = filter['public-key']
		const candidates = key !== undefined ? [this.byKey.get(key)].filter((p): p is RosPeer => !!p) : this.peers.values()
		const rows: Row[] = []
		for (const p of candidates) {
			const row = this.peerRow(p)
			if (Object.entries(filter).every(([k, v]) => row[k] === v) && has.every((k) => k in row) && hasNot.every((k) => !(k in row))) {
				rows.push(row)
			}
		}
		return rows
	}

	private normalise(attrs: Record<string, unknown>): Row {
		const out: Row = {}
		for (const [k, raw] of Object.entries(attrs)) {
			if (k === '.id' || k === 'numbers') continue
			if (!PEER_PARAMS.has(k)) throw new RosError(400, `unknown parameter ${k}`)
			const v = String(raw)
			if (BOOLEAN_PARAMS.has(k)) {
				if (!['yes', 'no', 'true', 'false'].includes(v)) throw new RosError(400, `value of ${k} must be yes or no`)
				out[k] = v === 'yes' || v === 'true' ? 'true' : 'false'
			} else out[k] = v
		}
		if (out['public-key'] !== undefined && !isSimWgKey(out['public-key'])) throw new RosError(400, 'invalid value for argument public-key')
		if (out.interface !== undefined && !this.interfaces.some((i) => i.name === out.interface)) {
			throw new RosError(400, 'input does not match any value of interface')
		}
		for (const item of (out['allowed-address'] ?? '').split(',').filter(Boolean)) {
			try {
				if (!item.includes(':')) cidr(item)
			} catch {
				throw new RosError(400, `invalid value for argument allowed-address`)
			}
		}
		return out
	}

	addPeer(attrs: Record<string, unknown>): string {
		const props = this.normalise(attrs)
		if (!props.interface) throw new RosError(400, 'missing value(s) of argument(s) interface')
		if (!props['public-key']) throw new RosError(400, 'missing value(s) of argument(s) public-key')
		if (this.byKey.has(props['public-key'])) throw new RosError(400, 'entry already exists')
		props.disabled ??= 'false'
		const peer: RosPeer = { id: this.nextId++, props, rx: 0, tx: 0, handshakeAt: null }
		props.name ??= `peer${peer.id}`
		this.peers.set(peer.id, peer)
		this.byKey.set(props['public-key'], peer)
		return hexId(peer.id)
	}

	setPeer(id: string, attrs: Record<string, unknown>) {
		const peer = this.findPeer(id)
		const props = this.normalise(attrs)
		const newKey = props['public-key']
		if (newKey && newKey !== peer.props['public-key'] && this.byKey.has(newKey)) throw new RosError(400, 'entry already exists')
		// Re-enabling puts the peer back into the kernel with fresh counters.
		if (props.disabled && props.disabled !== peer.props.disabled) this.zero(peer)
		if (newKey) {
			this.byKey.delete(peer.props['public-key'])
			this.byKey.set(newKey, peer)
		}
		Object.assign(peer.props, props)
		return this.peerRow(peer)
	}

	removePeer(id: string) {
		const peer = this.findPeer(id)
		this.peers.delete(peer.id)
		this.byKey.delete(peer.props['public-key'])
	}

	private zero(peer: RosPeer) {
		peer.rx = 0
		peer.tx = 0
		peer.handshakeAt = null
	}

	/** A peer by public key (the accounting tests drive peers by key). */
	peerByKey(key: string) {
		return this.byKey.get(key)
	}

	/** Sets a peer's last handshake to `ageMs` ago (and where it came from), as if it just talked. */
	setHandshake(key: string, ageMs: number, endpoint?: string) {
		const peer = this.byKey.get(key)
		if (!peer) throw new Error(`no peer ${key}`)
		peer.handshakeAt = Date.now() - ageMs
		if (endpoint !== undefined) peer.endpoint = endpoint
	}

	reboot() {
		this.bootedAt = Date.now()
		for (const peer of this.peers.values()) this.zero(peer)
		if (this.renumberOnReboot) {
			// .ids are only stable while the router runs; after a boot they are handed out afresh.
			const all = [...this.peers.values()]
			this.peers.clear()
			this.nextId = 1
			for (const peer of all) {
				peer.id = this.nextId++
				this.peers.set(peer.id, peer)
			}
		}
		this.dropSessions()
	}

	dropSessions() {
		for (const drop of this.onDropSessions) drop()
	}

	/** A number: every enabled peer gets that many bytes (split rx/tx). A record: keyed by
	 * public key, `.id` or hub username (comment `hub:<name>`). */
	addTraffic(bytes: number | Record<string, number>) {
		const give = (peer: RosPeer, n: number) => {
			if (peer.props.disabled === 'true') return
			const half = Math.floor(n / 2)
			peer.tx += half
			peer.rx += n - half
			peer.handshakeAt = Date.now()
		}
		if (typeof bytes === 'number') {
			for (const peer of this.peers.values()) give(peer, bytes)
			return
		}
		let byName: Map<string, RosPeer> | null = null
		for (const [key, n] of Object.entries(bytes)) {
			byName ??= this.byKey.has(key) ? null : this.nameIndex()
			const peer = this.byKey.get(key) ?? byName?.get(key)
			if (peer) give(peer, n)
		}
	}

	private nameIndex() {
		const index = new Map<string, RosPeer>()
		for (const p of this.peers.values()) {
			index.set(hexId(p.id), p)
			// `hub:<username>` optionally followed by the hub's ` limit=… expire=…` notes.
			if (p.props.comment?.startsWith('hub:')) index.set(p.props.comment.slice(4).split(' ')[0], p)
		}
		return index
	}

	/** Fast bulk load: random public keys (any 32 bytes are a valid X25519 public key). */
	seed(n: number, prefix = 'seed', iface = this.interfaces[0]) {
		const subnet = cidr(iface.address)
		let ip = subnet.network + 1
		const used = new Set(
			[...this.peers.values()].map((p) => (p.props['allowed-address'] ?? '').split('/')[0]),
		)
		for (let i = 0; i < n; i++) {
			while (ip === subnet.address || used.has(intToIp(ip))) ip++
			if (ip >= subnet.broadcast) throw new Error(`seed: ${iface.address} is full`)
			this.addPeer({
				interface: iface.name,
				'public-key': randomBytes(32).toString('base64'),
				'allowed-address': `${intToIp(ip++)}/32`,
				comment: `hub:${prefix}-${i}`,
			})
		}
	}
}

// ---------------------------------------------------------------------------------------------
// REST

const rosJson = (status: number, body: unknown): SimResponse => json(status, body)
const rosError = (e: RosError) =>
	e.status === 404
		? rosJson(404, { error: 404, message: 'Not Found' })
		: rosJson(400, { error: 400, message: 'Bad Request', detail: e.message })

function restRouter(state: RouterOsState) {
	const router = new Router()
	const guard = (handler: (req: SimRequest) => SimResponse) => (req: SimRequest) => {
		const auth = req.headers.authorization ?? ''
		const [user, ...rest] = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':') : []
		if (!user || !state.checkLogin(user, rest.join(':'))) return rosJson(401, { error: 401, message: 'Unauthorized' })
		if (req.json === INVALID_JSON) return rosJson(400, { error: 400, message: 'Bad Request', detail: 'JSON parse error' })
		try {
			return handler(req)
		} catch (e) {
			if (e instanceof RosError) return rosError(e)
			throw e
		}
	}
	const body = (req: SimRequest) => (req.json && typeof req.json === 'object' ? (req.json as Record<string, unknown>) : {})
	const project = (rows: Row[], proplist: string | string[] | null | undefined) => {
		if (!proplist) return rows
		const keys = Array.isArray(proplist) ? proplist : proplist.split(',')
		return rows.map((r) => Object.fromEntries(keys.filter((k) => k in r).map((k) => [k, r[k]])))
	}
	const queryFilter = (q: URLSearchParams) => {
		const filter: Row = {}
		for (const [k, v] of q) if (k !== '.proplist') filter[k] = v
		return filter
	}
	const base = '/rest/interface/wireguard/peers'

	router
		.add('GET', base, guard((req) => rosJson(200, project(state.printPeers(queryFilter(req.query)), req.query.get('.proplist')))))
		.add('POST', `${base}/print`, guard((req) => {
			const b = body(req)
			// `.query` words are "key=value"; the stack operators are not simulated.
			const filter: Row = {}
			for (const word of (b['.query'] as string[] | undefined) ?? []) {
				const eq = word.indexOf('=')
				if (eq < 1) throw new RosError(400, `unsupported query word ${word}`)
				filter[word.slice(0, eq)] = word.slice(eq + 1)
			}
			return rosJson(200, project(state.printPeers(filter), b['.proplist'] as string | string[] | undefined))
		}))
		.add('POST', `${base}/add`, guard((req) => rosJson(200, { ret: state.addPeer(body(req)) })))
		.add('POST', `${base}/set`, guard((req) => {
			const b = body(req)
			state.setPeer(String(b['.id'] ?? b.numbers ?? ''), b)
			return rosJson(200, [])
		}))
		.add('POST', `${base}/remove`, guard((req) => {
			const b = body(req)
			state.removePeer(String(b['.id'] ?? b.numbers ?? ''))
			return rosJson(200, [])
		}))
		.add('PUT', base, guard((req) => rosJson(201, state.peerRow(state.findPeer(state.addPeer(body(req)))))))
		.add('GET', `${base}/:id`, guard((req) => rosJson(200, state.peerRow(state.findPeer(req.params.id)))))
		.add('PATCH', `${base}/:id`, guard((req) => rosJson(200, state.setPeer(req.params.id, body(req)))))
		.add('DELETE', `${base}/:id`, guard((req) => {
			state.removePeer(req.params.id)
			return { status: 204 }
		}))
		.add('GET', '/rest/interface/wireguard', guard((req) => {
			const filter = queryFilter(req.query)
			return rosJson(200, state.interfaceRows().filter((r) => Object.entries(filter).every(([k, v]) => r[k] === v)))
		}))
		.add('GET', '/rest/ip/address', guard((req) => {
			const filter = queryFilter(req.query)
			return rosJson(200, state.addressRows().filter((r) => Object.entries(filter).every(([k, v]) => r[k] === v)))
		}))
		.add('GET', '/rest/system/resource', guard(() => rosJson(200, state.resourceRow())))
		.add('GET', '/rest/system/identity', guard(() => rosJson(200, { name: state.identity })))
	return router
}

// ---------------------------------------------------------------------------------------------
// Binary API

function apiReply(cmd: ParsedCommand, state: RouterOsState): string[][] {
	const done = (extra: string[] = []) => ['!done', ...extra]
	const rows = (list: Row[]) => {
		const proplist = cmd.attributes['.proplist']?.split(',')
		const sentences = list.map((r) => ['!re', ...Object.entries(r).filter(([k]) => !proplist || proplist.includes(k)).map(([k, v]) => `=${k}=${v}`)])
		if (sentences.length === 0 && state.emptyReply) sentences.push(['!empty'])
		return [...sentences, done()]
	}
	const filter: Row = {}
	const has: string[] = []
	const hasNot: string[] = []
	for (const q of cmd.queries) {
		const word = q.startsWith('=') ? q.slice(1) : q
		const eq = word.indexOf('=')
		if (/^[#]/.test(word)) throw new RosError(400, `sim: query operator ${q} not supported`)
		if (eq > 0) filter[word.slice(0, eq)] = word.slice(eq + 1)
		else if (word.startsWith('-')) hasNot.push(word.slice(1))
		else has.push(word)
	}
	const target = cmd.attributes['.id'] ?? cmd.attributes.numbers ?? ''
	switch (cmd.command) {
		case '/interface/wireguard/peers/print':
			return rows(state.printPeers(filter, has, hasNot))
		case '/interface/wireguard/peers/add':
			return [done([`=ret=${state.addPeer(cmd.attributes)}`])]
		case '/interface/wireguard/peers/set':
			state.setPeer(target, cmd.attributes)
			return [done()]
		case '/interface/wireguard/peers/enable':
		case '/interface/wireguard/peers/disable':
			state.setPeer(target, { disabled: cmd.command.endsWith('/disable') ? 'yes' : 'no' })
			return [done()]
		case '/interface/wireguard/peers/remove':
			state.removePeer(target)
			return [done()]
		case '/interface/wireguard/print':
			return rows(state.interfaceRows().filter((r) => Object.entries(filter).every(([k, v]) => r[k] === v)))
		case '/ip/address/print':
			return rows(state.addressRows().filter((r) => Object.entries(filter).every(([k, v]) => r[k] === v)))
		case '/system/resource/print':
			return rows([state.resourceRow()])
		case '/system/identity/print':
			return rows([{ name: state.identity }])
		default:
			return [['!trap', '=category=0', '=message=no such command prefix'], done()]
	}
}

async function startApiServer(state: RouterOsState, control: SimControl, port: number) {
	const sockets = new Set<net.Socket>()
	const timers = new Set<NodeJS.Timeout>()
	state.onDropSessions.push(() => {
		for (const s of sockets) s.destroy()
	})
	const server = net.createServer((socket) => {
		sockets.add(socket)
		socket.setNoDelay(true)
		socket.on('close', () => sockets.delete(socket))
		socket.on('error', () => socket.destroy())
		const decoder = new SentenceDecoder()
		let loggedIn = false
		// Commands are answered in arrival order, as one RouterOS session does.
		let queue = Promise.resolve()
		const send = (sentences: string[][], tag?: string) => {
			if (socket.destroyed) return
			// The tag is the last word of every reply sentence, as RouterOS sends it.
			socket.write(Buffer.concat(sentences.map((s) => encodeSentence(tag === undefined ? s : [...s, `.tag=${tag}`]))))
		}
		const handle = async (words: string[]) => {
			const cmd = parseCommand(words)
			if (cmd.command === '') return
			if (cmd.command === '/login') {
				control.count('API /login')
				if (state.checkLogin(cmd.attributes.name ?? '', cmd.attributes.password ?? '')) {
					loggedIn = true
					return send([['!done']], cmd.tag)
				}
				send([['!trap', '=message=invalid user name or password (6)'], ['!done']], cmd.tag)
				return void socket.end()
			}
			if (!loggedIn) return send([['!trap', '=message=not logged in'], ['!done']], cmd.tag)
			if (cmd.command === '/quit') {
				send([['!fatal', 'session terminated on request']])
				return void socket.end()
			}
			control.count(`API ${cmd.command}`)
			await control.delay()
			const fault = control.takeFault('API', cmd.command)
			if (fault === 'reset') return void socket.resetAndDestroy()
			if (fault === 'timeout') return hold(socket)
			if (fault === 'http500') {
				send([['!fatal', 'internal error (sim)']])
				return void socket.end()
			}
			let reply: string[][]
			try {
				reply = apiReply(cmd, state)
			} catch (e) {
				if (!(e instanceof RosError)) throw e
				reply = [['!trap', `=message=${e.message}`], ['!done']]
			}
			if (fault === 'work_then_timeout') return hold(socket)
			send(reply, cmd.tag)
		}
		const hold = (s: net.Socket) => {
			const t = setTimeout(() => {
				timers.delete(t)
				s.destroy()
			}, control.holdMs)
			timers.add(t)
		}
		socket.on('data', (chunk: Buffer) => {
			let sentences: string[][]
			try {
				sentences = decoder.push(chunk)
			} catch {
				return void socket.destroy()
			}
			for (const words of sentences) queue = queue.then(() => handle(words)).catch(() => void socket.destroy())
		})
	})
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject)
		server.listen(port, '127.0.0.1', () => resolve())
	})
	return {
		port: (server.address() as AddressInfo).port,
		async close() {
			for (const t of timers) clearTimeout(t)
			for (const s of sockets) s.destroy()
			await new Promise<void>((r) => server.close(() => r()))
		},
	}
}

// ---------------------------------------------------------------------------------------------

export interface RouterOsSimOptions {
	port?: number
	apiPort?: number
	username?: string
	password?: string
	/** wg0's address; /15 so that 100k seeded peers fit. */
	address?: string
	version?: string
}

export async function startRouterOsSim(opts: RouterOsSimOptions = {}) {
	const state = new RouterOsState()
	state.users.set(opts.username ?? 'admin', opts.password ?? 'sim-password')
	state.addInterface('wg0', opts.address ?? '10.66.0.1/15')
	if (opts.version) {
		state.version = opts.version
		const [major, minor] = opts.version.split('.').map(Number)
		state.emptyReply = major > 7 || (major === 7 && minor >= 18)
	}
	const control = new SimControl({
		// Basic auth has no token to expire; the closest thing is the API session, which dies.
		expireTokens: () => state.dropSessions(),
		reboot: () => state.reboot(),
		addTraffic: (bytes) => state.addTraffic(bytes),
		seed: (n, prefix) => state.seed(n, prefix),
	})
	const rest = await startHttpSim(restRouter(state), control, {
		port: opts.port,
		notFound: (req) => rosJson(400, { error: 400, message: 'Bad Request', detail: `no such command or directory (${req.path})` }),
	})
	const api = await startApiServer(state, control, opts.apiPort ?? 0)
	return {
		restUrl: rest.url,
		apiPort: api.port,
		control,
		state,
		async close() {
			await Promise.all([rest.close(), api.close()])
		},
	}
}

export type RouterOsSim = Awaited<ReturnType<typeof startRouterOsSim>>
