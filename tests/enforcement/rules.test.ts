// Rules 2, 9, 10: quota (with and without pool overrun), pool exhaustion and windows, negative
// credit, several causes at once, manual disables untouched, idempotent passes — decided in the
// database and followed on the panel.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { manualAction } from '~/services/billing/orders.server'
import { post } from '~/services/billing/ledger.server'
import { enforceAll, evaluateCustomers, evaluateInTx, evaluateReseller } from '~/services/enforcement.server'
import { resetRemoteRate } from '~/services/remote-rate.server'
import { prisma } from '~/utils/db.server'
import { createReseller, fund } from '../billing/fixtures'
import { autoEvents, buy, customerRow, DAY, GB, HOUR, operate, panelState, queuedFor, reconcile, resetSettings, setSettings, startPanels } from './fixtures'

let env: Awaited<ReturnType<typeof startPanels>>
let M: number
beforeAll(async () => {
	env = await startPanels()
	M = env.nodes.marzban
})
afterAll(() => env.sims.close())
beforeEach(async () => {
	await resetRemoteRate()
	await resetSettings()
	await setSettings(env.adminId, { remoteOpsPerSec: 50 })
})

const onPanel = (id: number) => panelState(env.sims, env.nodes, id, M)
const state = async (id: number) => {
	const c = await customerRow(id)
	return `${c.status}/${c.disabledReason ?? '-'}`
}
const poolPost = (resellerId: number, amount: bigint, kind: 'pool_usage' | 'top_up') =>
	prisma.$transaction((tx) => post(tx, { resellerId, account: 'traffic', amount, kind, refType: kind === 'pool_usage' ? 'usage' : undefined, allowOverdraft: true, idempotencyKey: randomUUID() }))
const useBytes = (id: number, bytes: bigint) => prisma.customer.update({ where: { id }, data: { usedBytes: bytes } })

describe('quota', () => {
	test('over his limit → limited (quota) on the panel; add traffic → active again, verified', async () => {
		const { user } = await createReseller({ nodeIds: [M], funds: 100_000n })
		const id = await buy(user.id, 'q1', [M], 1)
		await useBytes(id, 1n * GB)
		expect(await evaluateCustomers([id])).toEqual({ disabled: 1, enabled: 0 })
		expect(await state(id)).toBe('limited/quota')
		await reconcile(id)
		expect(await onPanel(id)).toBe('disabled')
		await operate(user.id, { kind: 'add_traffic', customerId: id, gb: 2 })
		expect(await state(id)).toBe('active/-')
		expect(await onPanel(id)).toBe('active')
		expect(await evaluateCustomers([id])).toEqual({ disabled: 0, enabled: 0 })
		expect(await autoEvents(id)).toEqual(['auto_disabled:quota'])
	})

	test('pool reseller, allow_config_overrun on: runs on past his own limit while the pool has traffic (no panel limit); off → quota', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [M], fundingModel: 'pool', poolBytes: 100n * GB })
		const id = await buy(user.id, 'over', [M], 1)
		const name = (await prisma.subAccount.findFirstOrThrow({ where: { customerId: id } })).remoteUsername
		expect(env.sims.marzban.state.users.get(name)!.dataLimit).toBeNull() // the pool is the limit
		await useBytes(id, 3n * GB)
		expect(await evaluateCustomers([id])).toEqual({ disabled: 0, enabled: 0 })
		expect(await state(id)).toBe('active/-')
		await prisma.reseller.update({ where: { id: reseller.id }, data: { allowConfigOverrun: false } })
		expect(await evaluateCustomers([id])).toEqual({ disabled: 1, enabled: 0 })
		expect(await state(id)).toBe('limited/quota')
		await reconcile(id)
		expect(await onPanel(id)).toBe('disabled')
		expect(env.sims.marzban.state.users.get(name)!.dataLimit).toBe(Number(GB))
	})

	test('a store customer (no reseller) is held to his own limit', async () => {
		const c = await prisma.customer.create({ data: { username: 'storey', dataLimitBytes: GB, usedBytes: GB + 1n, expireAt: new Date(Date.now() + DAY), subToken: randomUUID() } })
		expect(await evaluateCustomers([c.id])).toEqual({ disabled: 1, enabled: 0 })
		expect(await state(c.id)).toBe('limited/quota')
	})
})

describe('reseller traffic pool (rule 10)', () => {
	test('pool exhausted → every customer of the reseller disabled (from one usage write); top-up → all back, on the panel', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [M], fundingModel: 'pool', poolBytes: 10n * GB })
		const ids = [await buy(user.id, 'p1', [M], 5), await buy(user.id, 'p2', [M], 5), await buy(user.id, 'p3', [M], 5)]
		await poolPost(reseller.id, -11n * GB, 'pool_usage')
		await useBytes(ids[0], 11n * GB)
		// the usage sync hands over only the customer whose usage grew; the pool closes for all
		expect(await evaluateCustomers([ids[0]])).toEqual({ disabled: 3, enabled: 0 })
		for (const id of ids) expect(await state(id)).toBe('disabled/pool')
		await reconcile(...ids)
		for (const id of ids) expect(await onPanel(id)).toBe('disabled')

		await poolPost(reseller.id, 50n * GB, 'top_up')
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 3 })
		for (const id of ids) expect(await state(id)).toBe('active/-')
		await reconcile(...ids)
		for (const id of ids) expect(await onPanel(id)).toBe('active')
		expect(await autoEvents(ids[1])).toEqual(['auto_disabled:pool', 'auto_enabled:pool'])
	})

	test('pool window over (or not started) → disabled; renewed → enabled', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [M], fundingModel: 'pool', poolBytes: 10n * GB })
		const id = await buy(user.id, 'win', [M])
		await prisma.reseller.update({ where: { id: reseller.id }, data: { poolWindowStart: new Date(Date.now() - 30 * DAY), poolWindowEnd: new Date(Date.now() - 1000) } })
		expect(await evaluateReseller(reseller.id)).toEqual({ disabled: 1, enabled: 0 })
		expect(await state(id)).toBe('disabled/pool')
		await prisma.reseller.update({ where: { id: reseller.id }, data: { poolWindowStart: new Date(Date.now() + DAY), poolWindowEnd: new Date(Date.now() + 31 * DAY) } })
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 0 }) // not started yet: still closed
		await prisma.reseller.update({ where: { id: reseller.id }, data: { poolWindowStart: new Date(Date.now() - 1000) } })
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 1 })
		await reconcile(id)
		expect(await onPanel(id)).toBe('active')
	})
})

describe('negative credit (rule 2)', () => {
	test('negative for 23 h → nothing; past 24 h → all his customers disabled; balance back ≥ 0 → all enabled', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [M], funds: 2600n, creditLimit: 10_000n })
		const ids = [await buy(user.id, 'n1', [M]), await buy(user.id, 'n2', [M])]
		await fund(reseller.id, -500n)
		expect((await prisma.reseller.findUniqueOrThrow({ where: { id: reseller.id } })).negativeSince).not.toBeNull()
		await prisma.reseller.update({ where: { id: reseller.id }, data: { negativeSince: new Date(Date.now() - 23 * HOUR) } })
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 0 })
		await prisma.reseller.update({ where: { id: reseller.id }, data: { negativeSince: new Date(Date.now() - 25 * HOUR) } })
		expect(await enforceAll()).toEqual({ disabled: 2, enabled: 0 })
		for (const id of ids) expect(await state(id)).toBe('disabled/credit')
		await reconcile(...ids)
		for (const id of ids) expect(await onPanel(id)).toBe('disabled')

		await fund(reseller.id, 500n) // exactly 0 is "back ≥ 0"
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 2 })
		await reconcile(...ids)
		for (const id of ids) expect(await onPanel(id)).toBe('active')
		expect(await autoEvents(ids[0])).toEqual(['auto_disabled:credit', 'auto_enabled:credit'])
	})

	test('the threshold follows settings.negativeCreditHours', async () => {
		await setSettings(env.adminId, { negativeCreditHours: 2 })
		const { user, reseller } = await createReseller({ nodeIds: [M], funds: 1300n, creditLimit: 10_000n })
		const id = await buy(user.id, 'n3', [M])
		await fund(reseller.id, -1n)
		await prisma.reseller.update({ where: { id: reseller.id }, data: { negativeSince: new Date(Date.now() - 3 * HOUR) } })
		await enforceAll()
		expect(await state(id)).toBe('disabled/credit')
	})

	test('several causes: credit outranks expiry; when the balance is fixed the customer stays off for expiry; extend → active', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [M], funds: 1300n, creditLimit: 10_000n })
		const id = await buy(user.id, 'multi', [M])
		await prisma.customer.update({ where: { id }, data: { expireAt: new Date(Date.now() - 1000) } })
		await fund(reseller.id, -100n)
		await prisma.reseller.update({ where: { id: reseller.id }, data: { negativeSince: new Date(Date.now() - 25 * HOUR) } })
		await enforceAll()
		expect(await state(id)).toBe('disabled/credit')
		await fund(reseller.id, 5000n)
		expect(await enforceAll()).toEqual({ disabled: 1, enabled: 0 })
		expect(await state(id)).toBe('expired/expiry')
		await reconcile(id)
		expect(await onPanel(id)).toBe('disabled')
		await operate(user.id, { kind: 'extend', customerId: id, days: 5 })
		expect(await state(id)).toBe('active/-')
		expect(await onPanel(id)).toBe('active')
		expect(await autoEvents(id)).toEqual(['auto_disabled:credit', 'auto_disabled:expiry'])
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 0 })
	})
})

describe('manual vs automatic (rule 9)', () => {
	test('a manual disable survives expiry, quota and credit passes, extend and add traffic; only a manual enable undoes it', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [M], funds: 100_000n, creditLimit: 100_000n })
		const id = await buy(user.id, 'manual', [M], 1)
		await manualAction(user.id, id, 'disable')
		await reconcile(id)
		await prisma.customer.update({ where: { id }, data: { expireAt: new Date(Date.now() - 1000), usedBytes: 5n * GB } })
		await fund(reseller.id, -150_000n)
		await prisma.reseller.update({ where: { id: reseller.id }, data: { negativeSince: new Date(Date.now() - 48 * HOUR) } })
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 0 })
		await fund(reseller.id, 150_000n)
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 0 })
		await operate(user.id, { kind: 'extend', customerId: id, days: 10 })
		await operate(user.id, { kind: 'add_traffic', customerId: id, gb: 10 })
		expect(await evaluateCustomers([id])).toEqual({ disabled: 0, enabled: 0 })
		expect(await state(id)).toBe('disabled/manual')
		expect(await onPanel(id)).toBe('disabled')
		expect(await autoEvents(id)).toEqual([])

		await manualAction(user.id, id, 'enable')
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 0 })
		await reconcile(id)
		expect(await onPanel(id)).toBe('active')
	})

	test('a manual disable survives an empty pool and its top-up', async () => {
		const { user, reseller } = await createReseller({ nodeIds: [M], fundingModel: 'pool', poolBytes: 10n * GB })
		const [kept, auto] = [await buy(user.id, 'pm1', [M]), await buy(user.id, 'pm2', [M])]
		await manualAction(user.id, kept, 'disable')
		await poolPost(reseller.id, -20n * GB, 'pool_usage')
		expect(await evaluateReseller(reseller.id)).toEqual({ disabled: 1, enabled: 0 })
		await poolPost(reseller.id, 50n * GB, 'top_up')
		expect(await evaluateReseller(reseller.id)).toEqual({ disabled: 0, enabled: 1 })
		expect([await state(kept), await state(auto)]).toEqual(['disabled/manual', 'active/-'])
		expect(await autoEvents(kept)).toEqual([])
	})

	test('refunded and deleted customers are never touched', async () => {
		const { user } = await createReseller({ nodeIds: [M], funds: 100_000n })
		const a = await buy(user.id, 'refd', [M])
		const b = await buy(user.id, 'deld', [M])
		await operate(user.id, { kind: 'refund', customerId: a })
		await manualAction(user.id, b, 'delete')
		await prisma.customer.updateMany({ where: { id: { in: [a, b] } }, data: { expireAt: new Date(Date.now() - 1000) } })
		expect(await evaluateCustomers([a, b])).toEqual({ disabled: 0, enabled: 0 })
		expect([await state(a), await state(b)]).toEqual(['refunded/refund', 'deleted/-'])
	})
})

describe('idempotence', () => {
	test('evaluateInTx decides inside the caller’s transaction: a rollback leaves nothing behind', async () => {
		const { user } = await createReseller({ nodeIds: [M], funds: 100_000n })
		const id = await buy(user.id, 'intx', [M])
		const expire = (tx: Parameters<typeof evaluateInTx>[0]) => tx.customer.update({ where: { id }, data: { expireAt: new Date(Date.now() - 1000) } })
		await expect(prisma.$transaction(async (tx) => {
			await expire(tx)
			expect(await evaluateInTx(tx, [id])).toEqual({ disabled: 1, enabled: 0 })
			throw new Error('rolled back')
		})).rejects.toThrow('rolled back')
		expect(await state(id)).toBe('active/-')
		expect(await autoEvents(id)).toEqual([])
		await prisma.$transaction(async (tx) => {
			await expire(tx)
			await evaluateInTx(tx, [id])
		})
		expect(await state(id)).toBe('expired/expiry')
	})

	test('a second pass changes nothing: no status, no event, no job', async () => {
		const { user } = await createReseller({ nodeIds: [M], funds: 100_000n })
		const ids = [await buy(user.id, 'i1', [M]), await buy(user.id, 'i2', [M], 1)]
		await prisma.customer.update({ where: { id: ids[0] }, data: { expireAt: new Date(Date.now() - 1000) } })
		await useBytes(ids[1], 2n * GB)
		await prisma.$executeRaw`delete from graphile_worker._private_jobs`
		expect(await enforceAll()).toEqual({ disabled: 2, enabled: 0 })
		expect(await queuedFor(ids)).toHaveLength(2)
		const events = await prisma.customerEvent.count()
		const updated = (await prisma.customer.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } })).map((c) => c.updatedAt.getTime())
		await prisma.$executeRaw`delete from graphile_worker._private_jobs`
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 0 })
		expect(await evaluateCustomers(ids)).toEqual({ disabled: 0, enabled: 0 })
		expect(await prisma.customerEvent.count()).toBe(events)
		expect(await queuedFor(ids)).toHaveLength(0)
		expect((await prisma.customer.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } })).map((c) => c.updatedAt.getTime())).toEqual(updated)
	})
})
