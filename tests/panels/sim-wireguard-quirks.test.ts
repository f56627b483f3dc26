// The WireGuard simulators' quirks, checked over raw HTTP / raw TCP (not through the adapters), so
// the adapters are tested against the panels' real behaviour and not against a friendly fake.
// The last blocks pin the node-routeros `!empty` defect and the adapter-level workarounds.
import { spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Receiver, Transmitter } from 'node-routeros'
import { isPanelError } from '~/services/panels/errors'
import { createRouterOsApiAdapter, hardenConnector } from '~/services/panels/routeros-api.server'
import { createRouterOsRestAdapter } from '~/services/panels/routeros-rest.server'
import { createWgDashboardAdapter } from '~/services/panels/wgdashboard.server'
import type { NodeConnection } from '~/services/panels/types'
import { generateWgKeyPair } from '~/services/panels/wireguard'
import {
	decodeLength,
	encodeLength,
	encodeSentence,
	SentenceDecoder,
} from '../../sim/routeros-api-protocol'
import { startRouterOsSim, type RouterOsSim } from '../../sim/routeros'
import { startWgDashboardSim, type WgDashboardSim } from '../../sim/wgdashboard'

const GiB = 1024 ** 3

async function errorOf(p: Promise<unknown>) {
	return p.then(
		() => null,
		(e: unknown) => e,
	)
}

describe('WGDashboard simulator', () => {
	let sim: WgDashboardSim
	const api = (path: string, init: { method?: string; body?: unknown; key?: string | null } = {}) =>
		fetch(`${sim.url}/api/${path}`, {
			method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
			headers: {
				'content-type': 'application/json',
				...(init.key === null ? {} : { 'wg-dashboard-apikey': init.key ?? sim.apiKey }),
			},
			body: init.body === undefined ? undefined : JSON.stringify(init.body),
		})
	const addPeer = async (name: string) => {
		const res = await api('addPeers/wg0', { body: { name } })
		const body = (await res.json()) as { status: boolean; data: Array<{ id: string; allowed_ip: string }> }
		expect(body.status).toBe(true)
		return body.data[0]
	}
	const peerOf = async (id: string) => {
		const body = (await (await api('getWireguardConfigurationInfo?configurationName=wg0')).json()) as {
			data: { configurationPeers: Array<Record<string, unknown>>; configurationRestrictedPeers: Array<Record<string, unknown>> }
		}
		return [...body.data.configurationPeers, ...body.data.configurationRestrictedPeers].find((p) => p.id === id)!
	}

	beforeAll(async () => {
		sim = await startWgDashboardSim()
	})
	afterAll(() => sim.close())

	test('401 bodies: no key vs unknown key; the version route needs none', async () => {
		const none = await api('handshake', { key: null })
		expect(none.status).toBe(401)
		expect(await none.json()).toEqual({ status: false, message: 'Unauthorized access.', data: null })
		const wrong = await api('handshake', { key: 'not-a-key' })
		expect(wrong.status).toBe(401)
		expect(await wrong.json()).toEqual({ status: false, message: 'API Key does not exist', data: null })
		const version = await api('getDashboardVersion', { key: null })
		expect(await version.json()).toEqual({ status: true, message: null, data: 'v4.3.0.1' })
	})

	test('business errors are HTTP 200 with status:false', async () => {
		const unknown = await api(`downloadPeer/wg0?id=${encodeURIComponent(generateWgKeyPair().publicKey)}`)
		expect(unknown.status).toBe(200)
		expect(await unknown.json()).toEqual({ status: false, message: 'Peer does not exist', data: null })
		const noConfig = await api('getWireguardConfigurationInfo?configurationName=wg9')
		expect(noConfig.status).toBe(200)
		expect(((await noConfig.json()) as { status: boolean }).status).toBe(false)
		const first = await addPeer('dup')
		const dup = await api('addPeers/wg0', { body: { public_key: first.id } })
		expect(dup.status).toBe(200)
		expect(await dup.json()).toMatchObject({ status: false, message: 'This peer already exist' })
		const outside = await api('addPeers/wg0', { body: { name: 'x', allowed_ips: ['192.168.99.2/32'] } })
		expect(await outside.json()).toMatchObject({ status: false, message: 'This IP is not available: 192.168.99.2/32' })
	})

	test('keys are generated server-side and the first free address is taken', async () => {
		const a = await addPeer('auto-a')
		const b = await addPeer('auto-b')
		expect(a.id).toMatch(/^[A-Za-z0-9+/]{43}=$/)
		expect(a.allowed_ip).not.toBe(b.allowed_ip)
		const free = (await (await api('getAvailableIPs/wg0')).json()) as { data: Record<string, string[]> }
		expect(free.data['10.0.0.1/15']).not.toContain(a.allowed_ip)
		expect(free.data['10.0.0.1/15']).not.toContain('10.0.0.1/32')
	})

	test('usage is GiB floats; a reboot folds total_* into cumu_*; restricted peers get no traffic', async () => {
		const p = await addPeer('usage')
		sim.control.addTraffic({ [p.id]: 1.5 * GiB })
		let got = await peerOf(p.id)
		expect(got.total_data).toBe(1.5)
		expect(got.total_receive).toBe(0.75)
		expect(got.cumu_data).toBe(0)
		await sim.control.reboot()
		got = await peerOf(p.id)
		expect(got.total_data).toBe(0)
		expect(got.cumu_data).toBe(1.5)
		await api('restrictPeers/wg0', { body: { peers: [p.id] } })
		sim.control.addTraffic(GiB)
		got = await peerOf(p.id)
		expect((got.total_data as number) + (got.cumu_data as number)).toBe(1.5)
	})

	test('updatePeerSettings without every key is an uncaught KeyError: 500 HTML', async () => {
		const p = await addPeer('upd')
		const res = await api('updatePeerSettings/wg0', { body: { id: p.id, name: 'renamed' } })
		expect(res.status).toBe(500)
		expect(res.headers.get('content-type')).toContain('text/html')
		expect(await res.text()).toContain('Internal Server Error')
	})

	test('deletePeers: empty list 400, unknown config 404, restricted peer 500', async () => {
		expect((await api('deletePeers/wg0', { body: { peers: [] } })).status).toBe(400)
		expect((await api('deletePeers/nope', { body: { peers: ['x'] } })).status).toBe(404)
		const p = await addPeer('restricted-delete')
		await api('restrictPeers/wg0', { body: { peers: [p.id] } })
		expect((await api('deletePeers/wg0', { body: { peers: [p.id] } })).status).toBe(500)
		await api('allowAccessPeers/wg0', { body: { peers: [p.id] } })
		expect(await (await api('deletePeers/wg0', { body: { peers: [p.id] } })).json()).toMatchObject({ status: true })
	})

	test('downloadPeer needs the public key URL-encoded (+ / =)', async () => {
		let p = await addPeer('enc')
		while (!p.id.includes('+')) p = await addPeer('enc')
		const raw = await (await api(`downloadPeer/wg0?id=${p.id}`)).json()
		expect(raw).toMatchObject({ status: false, message: 'Peer does not exist' })
		const encoded = (await (await api(`downloadPeer/wg0?id=${encodeURIComponent(p.id)}`)).json()) as { data: { file: string } }
		expect(encoded.data.file).toContain('[Interface]')
	})

	test('a fired schedule job is closed and its JobID cannot be saved again', async () => {
		const p = await addPeer('job')
		const job = { JobID: 'job-1', Configuration: 'wg0', Peer: p.id, Field: 'total_data', Operator: 'lgt', Value: '1', CreationDate: '', ExpireDate: '', Action: 'restrict' }
		expect(await (await api('savePeerScheduleJob', { body: { Job: job } })).json()).toMatchObject({ status: true })
		sim.control.addTraffic({ [p.id]: 2 * GiB })
		sim.state.runJobs()
		expect(sim.state.restricted.has(p.id)).toBe(true)
		await api('allowAccessPeers/wg0', { body: { peers: [p.id] } })
		const again = (await (await api('savePeerScheduleJob', { body: { Job: { ...job, Value: '5' } } })).json()) as { status: boolean; message: string }
		expect(again.status).toBe(false)
		expect(again.message).toContain('UNIQUE constraint failed')
	})
})

describe('WGDashboard adapter over the quirks', () => {
	let sim: WgDashboardSim
	const conn = (over: Partial<NodeConnection> = {}): NodeConnection => ({
		kind: 'wgdashboard', baseUrl: sim.url, tls: false, verifyTls: true, apiKey: sim.apiKey, timeoutMs: 2000, options: {}, ...over,
	})
	beforeAll(async () => {
		sim = await startWgDashboardSim()
	})
	afterAll(() => sim.close())

	test('a limit can be raised again after its job fired (new JobID)', async () => {
		const a = createWgDashboardAdapter(conn())
		const acc = await a.createAccount({ username: 'refill', dataLimit: BigInt(GiB), expireAt: null })
		sim.control.addTraffic({ [acc.ref.remoteId!]: 2 * GiB })
		sim.state.runJobs()
		expect((await a.getAccount(acc.ref)).status).toBe('disabled')
		const raised = await a.updateAccount(acc.ref, { dataLimit: 10n * BigInt(GiB) })
		expect(raised.dataLimit).toBe(10n * BigInt(GiB))
		await a.enable(acc.ref)
		const got = await a.getAccount(acc.ref)
		expect(got).toMatchObject({ status: 'active', dataLimit: 10n * BigInt(GiB), usedBytes: 2n * BigInt(GiB) })
		await a.close?.()
	})

	test('a disabled peer still yields its config, and deletes', async () => {
		const a = createWgDashboardAdapter(conn())
		const acc = await a.createAccount({ username: 'off', dataLimit: null, expireAt: null })
		const live = await a.getLinks(acc.ref)
		await a.disable(acc.ref)
		const off = await a.getLinks(acc.ref)
		expect(off.kind === 'wireguard' && off.config).toContain(live.kind === 'wireguard' ? live.config.split('\n')[1] : 'x')
		await a.deleteAccount(acc.ref)
		expect(isPanelError(await errorOf(a.getAccount(acc.ref)), 'not_found')).toBe(true)
		await a.close?.()
	})

	test('a deleted API key is auth_failed', async () => {
		const a = createWgDashboardAdapter(conn({ apiKey: 'revoked-key' }))
		expect(isPanelError(await errorOf(a.testConnection()), 'auth_failed')).toBe(true)
		await a.close?.()
	})
})

describe('RouterOS REST simulator', () => {
	let sim: RouterOsSim
	const auth = `Basic ${Buffer.from('admin:sim-password').toString('base64')}`
	const rest = async (method: string, path: string, body?: unknown, authorization = auth) => {
		const res = await fetch(`${sim.restUrl}/rest/${path}`, {
			method,
			headers: { authorization, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		})
		const text = await res.text()
		return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null }
	}
	const addPeer = async () => {
		const key = generateWgKeyPair().publicKey
		const res = await rest('PUT', 'interface/wireguard/peers', { interface: 'wg0', 'public-key': key, 'allowed-address': '10.66.9.9/32', comment: 'hub:raw' })
		return { key, row: res.body as Record<string, unknown> }
	}

	beforeAll(async () => {
		sim = await startRouterOsSim()
	})
	afterAll(() => sim.close())

	test('bad credentials: 401 with RouterOS body', async () => {
		const res = await rest('GET', 'system/resource', undefined, `Basic ${Buffer.from('admin:wrong').toString('base64')}`)
		expect(res).toEqual({ status: 401, body: { error: 401, message: 'Unauthorized' } })
	})

	test('every value is a string; last-handshake is absent before the first handshake', async () => {
		const { row } = await addPeer()
		expect(row['.id']).toMatch(/^\*[0-9A-F]+$/)
		for (const v of Object.values(row)) expect(typeof v).toBe('string')
		expect(row).toMatchObject({ rx: '0', tx: '0', disabled: 'false' })
		expect(row).not.toHaveProperty('last-handshake')
		const resource = (await rest('GET', 'system/resource')).body as Record<string, unknown>
		for (const v of Object.values(resource)) expect(typeof v).toBe('string')
	})

	test('filters, duplicate key, unknown parameter, delete twice', async () => {
		const { key, row } = await addPeer()
		const byKey = await fetch(`${sim.restUrl}/rest/interface/wireguard/peers?public-key=${encodeURIComponent(key)}`, { headers: { authorization: auth } })
		expect(((await byKey.json()) as unknown[]).length).toBe(1)
		const dup = await rest('PUT', 'interface/wireguard/peers', { interface: 'wg0', 'public-key': key })
		expect(dup).toMatchObject({ status: 400, body: { error: 400, detail: 'entry already exists' } })
		const unknown = await rest('PATCH', `interface/wireguard/peers/${row['.id']}`, { colour: 'red' })
		expect(unknown).toMatchObject({ status: 400, body: { detail: 'unknown parameter colour' } })
		expect((await rest('DELETE', `interface/wireguard/peers/${row['.id']}`)).status).toBe(204)
		expect(await rest('DELETE', `interface/wireguard/peers/${row['.id']}`)).toEqual({ status: 404, body: { error: 404, message: 'Not Found' } })
	})

	test('a reboot zeroes rx/tx, restarts uptime and renumbers .ids', async () => {
		const first = await addPeer()
		await rest('DELETE', `interface/wireguard/peers/${first.row['.id']}`)
		const { key, row } = await addPeer()
		sim.control.addTraffic({ [key]: 5000 })
		const before = (await rest('GET', `interface/wireguard/peers/${row['.id']}`)).body as Record<string, string>
		expect(BigInt(before.rx) + BigInt(before.tx)).toBe(5000n)
		expect(before['last-handshake']).toMatch(/^\d+s$/)
		await new Promise((r) => setTimeout(r, 1100))
		const upBefore = ((await rest('GET', 'system/resource')).body as Record<string, string>).uptime
		await sim.control.reboot()
		const upAfter = ((await rest('GET', 'system/resource')).body as Record<string, string>).uptime
		expect(upBefore).not.toBe('0s')
		expect(upAfter).toBe('0s')
		const [after] = (await fetch(`${sim.restUrl}/rest/interface/wireguard/peers?public-key=${encodeURIComponent(key)}`, { headers: { authorization: auth } }).then((r) => r.json())) as Array<Record<string, string>>
		expect(after).toMatchObject({ rx: '0', tx: '0' })
		expect(after).not.toHaveProperty('last-handshake')
		expect(after['.id']).not.toBe(row['.id'])
	})
})

describe('RouterOS binary API framing', () => {
	const cases: Array<[number, number[]]> = [
		[0, [0x00]],
		[0x7f, [0x7f]],
		[0x80, [0x80, 0x80]],
		[0x3fff, [0xbf, 0xff]],
		[0x4000, [0xc0, 0x40, 0x00]],
		[0x1fffff, [0xdf, 0xff, 0xff]],
		[0x200000, [0xe0, 0x20, 0x00, 0x00]],
		[0xfffffff, [0xef, 0xff, 0xff, 0xff]],
		[0x10000000, [0xf0, 0x10, 0x00, 0x00, 0x00]],
		[0xffffffff, [0xf0, 0xff, 0xff, 0xff, 0xff]],
	]

	test.each(cases)('length %i encodes as the spec says and decodes back', (length, bytes) => {
		expect([...encodeLength(length)]).toEqual(bytes)
		expect(decodeLength(Buffer.from(bytes))).toEqual({ length, size: bytes.length })
		expect(decodeLength(Buffer.from(bytes.slice(0, -1)))).toBeNull()
	})

	test('agrees with node-routeros (an independent implementation) up to 4-byte lengths', () => {
		const receiver = new Receiver(new net.Socket()) as unknown as { decodeLength(b: Buffer): [number, number] }
		const transmitter = new Transmitter(new net.Socket()) as unknown as { encodeString(s: string): Buffer }
		for (const length of [0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000]) {
			const ours = encodeLength(length)
			expect(transmitter.encodeString('a'.repeat(length)).subarray(0, ours.length)).toEqual(ours)
			expect(receiver.decodeLength(ours)).toEqual([ours.length, length])
		}
	})

	test('the decoder survives any chunking', () => {
		const words = [['/login', '=name=admin', '=password=x'], ['!re', `=comment=${'x'.repeat(0x4100)}`, '.tag=7'], ['!done']]
		const bytes = Buffer.concat(words.map(encodeSentence))
		for (const step of [1, 2, 3, 7, 1000]) {
			const decoder = new SentenceDecoder()
			const out: string[][] = []
			for (let i = 0; i < bytes.length; i += step) out.push(...decoder.push(bytes.subarray(i, i + step)))
			expect(out).toEqual(words)
		}
	})
})

describe('RouterOS binary API over a raw socket', () => {
	let sim: RouterOsSim

	/** Sends sentences and collects reply sentences until `until` matches or the socket closes. */
	async function converse(sentences: string[][], until: (replies: string[][]) => boolean) {
		const socket = net.connect(sim.apiPort, '127.0.0.1')
		const decoder = new SentenceDecoder()
		const replies: string[][] = []
		let closed = false
		await new Promise<void>((resolve, reject) => {
			socket.on('data', (chunk) => {
				replies.push(...decoder.push(chunk))
				if (until(replies)) resolve()
			})
			socket.on('close', () => {
				closed = true
				resolve()
			})
			socket.on('error', reject)
			socket.write(Buffer.concat(sentences.map(encodeSentence)))
		})
		socket.destroy()
		return { replies, closed }
	}
	const login = ['/login', '=name=admin', '=password=sim-password']
	const doneWithTag = (tag: string) => (r: string[][]) => r.some((s) => s[0] === '!done' && s.includes(`.tag=${tag}`))

	beforeAll(async () => {
		sim = await startRouterOsSim()
	})
	afterAll(() => sim.close())

	test('an empty print answers !empty then !done (RouterOS ≥ 7.18), tags echoed', async () => {
		const { replies } = await converse([login, ['/interface/wireguard/peers/print', '?interface=wg0', '.tag=5']], doneWithTag('5'))
		expect(replies).toEqual([['!done'], ['!empty', '.tag=5'], ['!done', '.tag=5']])
	})

	test('a bad password is a trap, then the router hangs up', async () => {
		const { replies, closed } = await converse([['/login', '=name=admin', '=password=nope']], () => false)
		expect(replies[0]).toEqual(['!trap', '=message=invalid user name or password (6)'])
		expect(closed).toBe(true)
	})

	test('add returns =ret=, print filters with ?query and =.proplist=, unknown ids trap', async () => {
		const key = generateWgKeyPair().publicKey
		const { replies } = await converse(
			[
				login,
				['/interface/wireguard/peers/add', '=interface=wg0', `=public-key=${key}`, '=allowed-address=10.66.7.7/32', '.tag=1'],
				['/interface/wireguard/peers/print', `?public-key=${key}`, '=.proplist=.id,rx,disabled', '.tag=2'],
				['/interface/wireguard/peers/remove', '=.id=*FFFF', '.tag=3'],
			],
			doneWithTag('3'),
		)
		const [, added, row, done2, trap] = replies
		expect(added[0]).toBe('!done')
		expect(added[1]).toMatch(/^=ret=\*[0-9A-F]+$/)
		expect(row).toEqual(['!re', `=.id=${added[1].slice(5)}`, '=disabled=false', '=rx=0', '.tag=2'])
		expect(done2).toEqual(['!done', '.tag=2'])
		expect(trap).toEqual(['!trap', '=message=no such item', '.tag=3'])
	})
})

describe('node-routeros 1.6.9 and !empty', () => {
	/** Runs the unpatched client in a child process: its failure is an uncaught exception. */
	function runUnpatched(port: number) {
		const script = `
			import { RouterOSAPI } from 'node-routeros'
			const api = new RouterOSAPI({ host: '127.0.0.1', port: ${port}, user: 'admin', password: 'sim-password', timeout: 3 })
			await api.connect()
			const rows = await api.write(['/interface/wireguard/peers/print', '?interface=wg0'])
			console.log('ROWS ' + rows.length)
			process.exit(0)
		`
		return new Promise<{ code: number | null; out: string }>((resolve) => {
			const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd() })
			let out = ''
			child.stdout.on('data', (d) => (out += d))
			child.stderr.on('data', (d) => (out += d))
			const kill = setTimeout(() => child.kill(), 10_000)
			child.on('close', (code) => {
				clearTimeout(kill)
				resolve({ code, out })
			})
		})
	}

	test('the unpatched client crashes on RouterOS 7.19 and works on 7.17', async () => {
		const modern = await startRouterOsSim({ version: '7.19.4 (stable)' })
		const old = await startRouterOsSim({ version: '7.17.2 (stable)' })
		try {
			const crashed = await runUnpatched(modern.apiPort)
			expect(crashed.code).not.toBe(0)
			expect(crashed.out).toContain('Tried to process unknown reply: !empty')
			const fine = await runUnpatched(old.apiPort)
			expect(fine.out).toContain('ROWS 0')
			expect(fine.code).toBe(0)
		} finally {
			await Promise.all([modern.close(), old.close()])
		}
	})

	test('our adapter reads an empty interface as zero rows', async () => {
		const sim = await startRouterOsSim({ version: '7.19.4 (stable)' })
		const adapter = createRouterOsApiAdapter({
			kind: 'routeros', transport: 'api', host: '127.0.0.1', port: sim.apiPort, tls: false, verifyTls: true,
			username: 'admin', password: 'sim-password', timeoutMs: 2000, options: {},
		})
		try {
			expect(await adapter.listAccounts(null)).toEqual({ accounts: [], nextCursor: null })
			const err = await errorOf(adapter.getAccount({ username: 'ghost', remoteId: generateWgKeyPair().publicKey }))
			expect(isPanelError(err, 'not_found')).toBe(true)
		} finally {
			await adapter.close?.()
			await sim.close()
		}
	})

	test('the patch drops !empty, keeps the !done after it, defuses unknown replies and stray errors', () => {
		const delivered: string[][] = []
		const emitter = new EventEmitter()
		const connector = Object.assign(emitter, {
			read: (_tag: string, cb: (p: string[]) => void) => {
				for (const packet of [['!empty'], ['!done'], ['!empty', '!done'], ['!weird', '=x=1'], ['!re', '=a=b']]) cb(packet)
			},
			receiver: { processRawData: (_data: Buffer) => { throw new Error('parser bug') } },
			socket: new net.Socket(),
			destroy: () => undefined,
		})
		const broken: unknown[] = []
		hardenConnector(connector, (e) => broken.push(e))
		connector.read('t', (p) => delivered.push(p))
		expect(delivered).toEqual([['!done'], ['!done'], ['!trap', '=message=unknown reply !weird'], ['!re', '=a=b']])
		connector.receiver.processRawData(Buffer.alloc(0))
		expect(broken).toHaveLength(1)
		// An 'error' nobody listens to any more is handed over instead of thrown.
		expect(() => connector.emit('error', new Error('late TLS error'))).not.toThrow()
		expect(broken).toHaveLength(2)
	})
})

describe('RouterOS adapters over the quirks', () => {
	let sim: RouterOsSim
	beforeAll(async () => {
		sim = await startRouterOsSim()
	})
	afterAll(() => sim.close())
	const base = { kind: 'routeros' as const, tls: false, verifyTls: true, username: 'admin', password: 'sim-password', timeoutMs: 2000, options: {} }

	test('after a reboot (counters zeroed, .ids renumbered) the peer is still found by key', async () => {
		const rest = createRouterOsRestAdapter({ ...base, transport: 'rest', baseUrl: sim.restUrl })
		const api = createRouterOsApiAdapter({ ...base, transport: 'api', host: '127.0.0.1', port: sim.apiPort })
		const filler = await rest.createAccount({ username: 'filler', dataLimit: null, expireAt: null })
		const acc = await rest.createAccount({ username: 'survivor', dataLimit: null, expireAt: null })
		await rest.deleteAccount(filler.ref)
		sim.control.addTraffic({ survivor: 7000 })
		expect((await api.getAccount(acc.ref)).usedBytes).toBe(7000n)
		await sim.control.reboot()
		for (const a of [rest, api]) {
			const got = await a.getAccount(acc.ref)
			expect(got.usedBytes).toBe(0n)
			expect(got.ref.data?.id).not.toBe(acc.ref.data?.id)
		}
		await api.disable(acc.ref)
		expect((await rest.getAccount(acc.ref)).status).toBe('disabled')
		await Promise.all([rest.close?.(), api.close?.()])
	})

	test('binary API: wrong password is auth_failed, a closed port unreachable', async () => {
		const wrong = createRouterOsApiAdapter({ ...base, transport: 'api', host: '127.0.0.1', port: sim.apiPort, password: 'nope' })
		expect(isPanelError(await errorOf(wrong.testConnection()), 'auth_failed')).toBe(true)
		const server = net.createServer()
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
		const port = (server.address() as net.AddressInfo).port
		await new Promise<void>((r) => server.close(() => r()))
		const closed = createRouterOsApiAdapter({ ...base, transport: 'api', host: '127.0.0.1', port })
		expect(isPanelError(await errorOf(closed.testConnection()), 'unreachable')).toBe(true)
	})

	test('binary API with TLS and no port dials 8729, not node-routeros’s 8728', async () => {
		const server = net.createServer((s) => {
			hits++
			s.destroy()
		})
		let hits = 0
		const listening = await new Promise<boolean>((resolve) => {
			server.once('error', () => resolve(false))
			server.listen(8729, '127.0.0.1', () => resolve(true))
		})
		if (!listening) return // port taken on this machine: nothing to prove here
		try {
			const tls = createRouterOsApiAdapter({ ...base, transport: 'api', host: '127.0.0.1', tls: true, verifyTls: false })
			// A plain TCP peer that hangs up during the TLS handshake: a network failure, not a refusal.
			expect(isPanelError(await errorOf(tls.testConnection()), 'unreachable')).toBe(true)
			// One dial per try of the (retried) read; every one of them on 8729.
			expect(hits).toBeGreaterThanOrEqual(1)
		} finally {
			await new Promise<void>((r) => server.close(() => r()))
		}
	})
})
