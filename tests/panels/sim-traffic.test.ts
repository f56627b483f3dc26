// The simulators' traffic generator (what `npm run demo` runs) feeds only accounts that can carry
// traffic: disabled, restricted, limited and expired accounts get none, so a disabled or refunded
// customer's usage stays put. One beat of the generator is control.trafficTick(): no sleeps.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startAllSims } from '../../sim/start-all'

let sims: Awaited<ReturnType<typeof startAllSims>>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
})
afterAll(() => sims.close())

const GiB = 1024 ** 3
const BEAT = 5 * 1024 ** 2
const beat = (control: { startTraffic(ms: number, b: number): void; trafficTick(): void; stopTraffic(): void }) => {
	control.startTraffic(3_600_000, BEAT)
	control.trafficTick()
	control.stopTraffic()
}

describe('traffic generator', () => {
	test('WGDashboard: active peers only; restricted and due-to-be-restricted (limited, expired) get none', async () => {
		const { state, control } = sims.wgdashboard
		state.seed(4, 'gen')
		const [active, restricted, limited, expired] = [...state.peers.values()].filter((p) => p.name.startsWith('gen-'))
		state.restrict(restricted.id)
		const job = (peer: string, Field: string, Value: string) => state.addJob({ JobID: `gen-${peer}-${Field}`, Configuration: 'wg0', Peer: peer, Field, Operator: 'lgt', Value, CreationDate: '', ExpireDate: null, Action: 'restrict' })
		control.addTraffic({ [limited.id]: 2 * GiB })
		job(limited.id, 'total_data', '1')
		job(expired.id, 'date', '2020-01-01 00:00:00')
		job(active.id, 'total_data', '100')
		const before = new Map([active, restricted, limited, expired].map((p) => [p.id, p.rx + p.tx]))
		beat(control)
		const gained = (p: typeof active) => p.rx + p.tx - before.get(p.id)!
		expect([gained(active), gained(restricted), gained(limited), gained(expired)]).toEqual([BEAT, 0, 0, 0])
	})

	test('RouterOS: disabled peers get none', () => {
		const { state, control } = sims.routeros
		state.seed(2, 'gen')
		const peers = [...state.peers.values()].filter((p) => p.props.comment?.startsWith('hub:gen-'))
		peers[1].props.disabled = 'true'
		const before = peers.map((p) => p.rx + p.tx)
		beat(control)
		expect(peers.map((p, i) => p.rx + p.tx - before[i])).toEqual([BEAT, 0])
	})

	test('Marzban, PasarGuard, Marzneshin: disabled, limited and expired users get none', () => {
		const past = Math.floor(Date.now() / 1000) - 3600
		const mz = sims.marzban.state
		mz.createUser({ username: 'gen_on', proxies: { vless: {} }, inbounds: {} })
		mz.createUser({ username: 'gen_off', proxies: { vless: {} }, inbounds: {} })
		mz.users.get('gen_off')!.status = 'disabled'
		mz.createUser({ username: 'gen_full', proxies: { vless: {} }, inbounds: {}, data_limit: 1024 })
		mz.addTraffic({ gen_full: 2048 })
		const pg = sims.pasarguard.state
		pg.createUser({ username: 'gen_on', group_ids: [1] })
		pg.createUser({ username: 'gen_old', group_ids: [1], expire: past })
		const mn = sims.marzneshin.state
		mn.createUser({ username: 'gen_on', service_ids: [1], expire_strategy: 'never' })
		mn.createUser({ username: 'gen_off', service_ids: [1], expire_strategy: 'never' })
		mn.users.get('gen_off')!.enabled = false
		const used = () => [
			...['gen_on', 'gen_off', 'gen_full'].map((u) => mz.users.get(u)!.used),
			...['gen_on', 'gen_old'].map((u) => [...pg.users.values()].find((x) => x.username === u)!.used),
			...['gen_on', 'gen_off'].map((u) => mn.users.get(u)!.used),
		]
		const before = used()
		for (const sim of [sims.marzban, sims.pasarguard, sims.marzneshin]) beat(sim.control)
		expect(used().map((u, i) => u - before[i])).toEqual([BEAT, 0, 0, BEAT, 0, BEAT, 0])
	})
})
