// A MikroTik router as an operator has it before the hub arrives (issue 13): several WireGuard
// interfaces, peers made by hand (RouterOS ≥ 7.15 `name`s, free comments), a site-to-site peer
// with a configured endpoint (this router dials out to it), handshake ages, and counters that
// move over time for the demo. Used by the accounting tests, the demo, the e2e and the bench.
import { randomBytes } from 'node:crypto'
import type { RouterOsState } from './routeros'
import { intToIp, ipToInt } from './wireguard-net'

export interface AccountingPeer {
	interface: string
	name: string
	publicKey: string
	address: string
	/** Outbound / site-to-site: the endpoint this router connects to. */
	endpoint?: string
}

const key = () => randomBytes(32).toString('base64')

/** Adds `wg-home` (phones and laptops), `wg-office` and a site-to-site link with its peers. */
export function setupAccountingRouter(state: RouterOsState, opts: { identity?: string } = {}): AccountingPeer[] {
	state.identity = opts.identity ?? 'hq-router'
	if (!state.interfaces.some((i) => i.name === 'wg-home')) {
		state.addInterface('wg-home', '10.20.0.1/24', 13232)
		state.addInterface('wg-office', '10.30.0.1/24', 13233)
	}
	const peers: AccountingPeer[] = [
		{ interface: 'wg-home', name: 'ali-phone', publicKey: key(), address: '10.20.0.2/32' },
		{ interface: 'wg-home', name: 'sara-laptop', publicKey: key(), address: '10.20.0.3/32' },
		{ interface: 'wg-home', name: 'reza-tablet', publicKey: key(), address: '10.20.0.4/32' },
		{ interface: 'wg-home', name: 'maryam-phone', publicKey: key(), address: '10.20.0.5/32' },
		{ interface: 'wg-office', name: 'office-desk-1', publicKey: key(), address: '10.30.0.2/32' },
		{ interface: 'wg-office', name: 'office-nas', publicKey: key(), address: '10.30.0.3/32' },
		// Site-to-site: routes a whole branch subnet and dials out to the branch's public address.
		{ interface: 'wg-office', name: 'branch-tabriz', publicKey: key(), address: '10.66.8.0/30,192.168.50.0/24', endpoint: '198.51.100.20:13231' },
	]
	for (const p of peers) {
		const [host, port] = p.endpoint?.split(':') ?? []
		state.addPeer({
			interface: p.interface,
			name: p.name,
			comment: p.endpoint ? 'site-to-site' : `customer ${p.name.split('-')[0]}`,
			'public-key': p.publicKey,
			'allowed-address': p.address,
			...(p.endpoint ? { 'endpoint-address': host, 'endpoint-port': port, 'persistent-keepalive': '25s' } : {}),
		})
		const from = p.endpoint ?? `${intToIp(ipToInt('203.0.113.10') + peers.indexOf(p))}:${40000 + peers.indexOf(p)}`
		state.setHandshake(p.publicKey, 5_000 + peers.indexOf(p) * 40_000, from)
	}
	return peers
}

/** Bulk peers for the bench: `n` peers on a fresh interface, with handshakes. */
export function seedAccountingPeers(state: RouterOsState, iface: string, n: number) {
	const base = ipToInt('10.128.0.1')
	state.addInterface(iface, '10.128.0.1/14', 13240)
	const keys: string[] = []
	for (let i = 0; i < n; i++) {
		const k = key()
		state.addPeer({ interface: iface, name: `${iface}-p${i}`, 'public-key': k, 'allowed-address': `${intToIp(base + 1 + i)}/32` })
		keys.push(k)
	}
	return keys
}

/**
 * One beat of uneven traffic: each enabled peer gets a share that depends on its position, so a
 * dashboard has a top peer, a quiet one and an idle one; the site-to-site link carries the most.
 */
export function accountingTrafficTick(state: RouterOsState, peers: AccountingPeer[], bytesPerBeat = 2 * 1024 ** 2) {
	const give: Record<string, number> = {}
	peers.forEach((p, i) => {
		if (i === 3) return // maryam-phone stays idle: an offline peer with a "last seen"
		give[p.publicKey] = Math.round(bytesPerBeat * (p.endpoint ? 3 : 1 / (i + 1)) * (0.6 + Math.random() * 0.8))
	})
	state.addTraffic(give)
}
