// Notifications: each condition notifies once (dedupeKey), again only when the condition is new
// (another expiry, another limit, another hour, more attempts, another top-up); and the
// enforce_policies task that generates them records its run.
import { randomUUID } from 'node:crypto'
import type { JobHelpers } from 'graphile-worker'
import { beforeEach, describe, expect, test } from 'vitest'
import { post } from '~/services/billing/ledger.server'
import { generateNotifications, notify } from '~/services/notifications.server'
import { getSettings } from '~/services/settings.server'
import { prisma } from '~/utils/db.server'
import { enforce_policies } from '../../worker/tasks/enforce_policies'
import { createReseller, fund } from '../billing/fixtures'
import { DAY, GB, HOUR, resetSettings } from './fixtures'

// Rows of earlier tests stay (one database per file): a baseline pass before each test notifies
// whatever they left, so each test counts only what it causes itself.
beforeEach(async () => {
	await resetSettings()
	await prisma.$executeRaw`delete from graphile_worker._private_jobs`
	await generateNotifications(await getSettings())
})

const run = async () => generateNotifications(await getSettings())
const kinds = async (kind: string) => prisma.notification.findMany({ where: { kind }, orderBy: { id: 'asc' } })
const customer = (resellerId: number | null, data: { expireAt?: Date; usedBytes?: bigint; dataLimitBytes?: bigint } = {}) =>
	prisma.customer.create({ data: { resellerId, username: `c${randomUUID().slice(0, 8)}`, dataLimitBytes: 10n * GB, expireAt: new Date(Date.now() + 30 * DAY), subToken: randomUUID(), ...data } })
const traffic = (resellerId: number, amount: bigint, kind: 'pool_usage' | 'top_up') =>
	prisma.$transaction((tx) => post(tx, { resellerId, account: 'traffic', amount, kind, allowOverdraft: true, idempotencyKey: randomUUID() }))

describe('notify()', () => {
	test('inserts once per dedupeKey', async () => {
		await prisma.notification.deleteMany()
		const n = { audience: 'admin' as const, kind: 'drift' as const, data: { nodeId: 1 }, dedupeKey: 'drift:test:1' }
		expect(await notify(n)).toBe(true)
		expect(await notify(n)).toBe(false)
		expect(await prisma.notification.count()).toBe(1)
	})
})

describe('periodic notifications', () => {
	test('expiring within notifyExpiringDays: to the reseller, once per customer and expiry', async () => {
		const { reseller } = await createReseller({ nodeIds: [] })
		const soon = await customer(reseller.id, { expireAt: new Date(Date.now() + 2 * DAY) })
		await customer(reseller.id, { expireAt: new Date(Date.now() + 10 * DAY) })
		await customer(null, { expireAt: new Date(Date.now() + DAY) }) // store customer: no reseller to tell
		expect(await run()).toBe(1)
		expect(await run()).toBe(0)
		const [n] = await kinds('expiring')
		expect(n).toMatchObject({ audience: 'reseller', resellerId: reseller.id, data: { customerId: soon.id, username: soon.username, days: 2, expireAt: soon.expireAt.toISOString().slice(0, 19) + 'Z' } })
		await prisma.customer.update({ where: { id: soon.id }, data: { expireAt: new Date(Date.now() + 2.5 * DAY) } })
		expect(await run()).toBe(1)
	})

	test('usage past notifyUsagePercent: once per customer and limit', async () => {
		expect((await getSettings()).notifyUsagePercent).toBe(80)
		const { reseller } = await createReseller({ nodeIds: [] })
		const hot = await customer(reseller.id, { usedBytes: 8n * GB })
		await customer(reseller.id, { usedBytes: 8n * GB - 1n })
		await customer(reseller.id, { usedBytes: 100n * GB, dataLimitBytes: 0n }) // unlimited
		expect(await run()).toBe(1)
		expect(await run()).toBe(0)
		expect((await kinds('usage_threshold'))[0]).toMatchObject({ resellerId: reseller.id, data: { customerId: hot.id, percent: 80, usedBytes: String(8n * GB), limitBytes: String(10n * GB) } })
		await prisma.customer.update({ where: { id: hot.id }, data: { dataLimitBytes: 9n * GB } }) // still past 80 % of the new limit
		expect(await run()).toBe(1)
	})

	test('node unreachable: to the admin, at most once per node and hour', async () => {
		const node = await prisma.node.create({ data: { name: 'Far', kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: 'x', health: 'down', lastError: 'unreachable: refused' } })
		await prisma.node.create({ data: { name: 'Gone', kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: 'x', health: 'down', deletedAt: new Date() } })
		const synced = await prisma.node.create({ data: { name: 'Sync', kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: 'x', health: 'ok', lastSyncError: 'timeout' } })
		expect(await run()).toBe(2)
		expect(await run()).toBe(0)
		const ns = await kinds('node_unreachable')
		expect(ns.map((n) => [n.audience, (n.data as { nodeId: number }).nodeId])).toEqual([['admin', node.id], ['admin', synced.id]])
		expect(ns[0].data).toMatchObject({ nodeName: 'Far', error: 'unreachable: refused' })
		expect(ns[0].dedupeKey).toBe(`node_down:${node.id}:${new Date().toISOString().slice(0, 13)}`)
	})

	test('a job failing repeatedly: to the admin, once per job and every jobFailureAlertAfter attempts', async () => {
		expect((await getSettings()).jobFailureAlertAfter).toBe(3)
		const [job] = await prisma.$queryRaw<Array<{ id: bigint }>>`select id from graphile_worker.add_job('reconcile_customer', '{"customerId": 1}'::json)`
		const fail = (attempts: number) => prisma.$executeRaw`update graphile_worker._private_jobs set attempts = ${attempts}::smallint, last_error = 'panel said no' where id = ${job.id}`
		await fail(2)
		expect(await run()).toBe(0)
		await fail(3)
		expect(await run()).toBe(1)
		await fail(4)
		expect(await run()).toBe(0)
		await fail(6)
		expect(await run()).toBe(1)
		expect((await kinds('job_failing')).map((n) => n.data)).toEqual([
			{ jobId: String(job.id), task: 'reconcile_customer', attempts: 3, maxAttempts: 25, error: 'panel said no' },
			{ jobId: String(job.id), task: 'reconcile_customer', attempts: 6, maxAttempts: 25, error: 'panel said no' },
		])
	})

	test('pool low, exhausted, window over: to the reseller, again after a new top-up', async () => {
		const { reseller } = await createReseller({ nodeIds: [], fundingModel: 'pool', poolBytes: 10n * GB })
		await traffic(reseller.id, -7n * GB, 'pool_usage')
		expect(await run()).toBe(0) // 30 % left
		await traffic(reseller.id, -1n * GB, 'pool_usage')
		expect(await run()).toBe(1) // 20 % left
		expect((await kinds('pool_low'))[0]).toMatchObject({ resellerId: reseller.id, data: { remainingBytes: String(2n * GB), totalBytes: String(10n * GB), percentLeft: 20 } })
		await traffic(reseller.id, -3n * GB, 'pool_usage')
		expect(await run()).toBe(1)
		expect(await run()).toBe(0)
		expect((await kinds('pool_exhausted'))[0].data).toEqual({ totalBytes: String(10n * GB) })
		await traffic(reseller.id, 2n * GB, 'top_up') // still empty (−1 GB), but a new episode
		expect(await run()).toBe(1)
		await prisma.reseller.update({ where: { id: reseller.id }, data: { poolWindowEnd: new Date(Date.now() - HOUR) } })
		expect(await run()).toBe(1)
		expect(await kinds('pool_window_over')).toHaveLength(1)
	})

	test('negative balance, then customers disabled for it: to the reseller, once per episode', async () => {
		const { reseller } = await createReseller({ nodeIds: [], creditLimit: 10_000n })
		await fund(reseller.id, -300n)
		expect(await run()).toBe(1)
		expect(await run()).toBe(0)
		const [n] = await kinds('balance_negative')
		expect(n).toMatchObject({ resellerId: reseller.id, data: { balance: '-300', currency: 'USD' } })
		const since = new Date(Date.now() - 25 * HOUR)
		await prisma.reseller.update({ where: { id: reseller.id }, data: { negativeSince: since } })
		expect(await run()).toBe(2) // a new episode start, and past 24 h
		expect((await kinds('credit_disabled'))[0].data).toMatchObject({ hours: 24, since: since.toISOString().slice(0, 19) + 'Z' })
		await fund(reseller.id, 300n)
		expect(await run()).toBe(0)
	})
})

describe('enforce_policies task', () => {
	const helpers = {} as JobHelpers

	test('validates its payload, enforces, notifies and records its run; a second run does nothing', async () => {
		const { reseller } = await createReseller({ nodeIds: [] })
		const c = await customer(reseller.id, { expireAt: new Date(Date.now() - 1000) })
		await enforce_policies({ _cron: { ts: new Date().toISOString(), backfilled: false } }, helpers)
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).disabledReason).toBe('expiry')
		const runs = await prisma.taskRun.findMany({ where: { task: 'enforce_policies' }, orderBy: { id: 'asc' } })
		expect(runs.at(-1)).toMatchObject({ nodeId: null, items: 1, failures: 0, error: null })
		expect(runs.at(-1)!.finishedAt).not.toBeNull()
		await enforce_policies(undefined, helpers)
		expect((await prisma.taskRun.findMany({ where: { task: 'enforce_policies' }, orderBy: { id: 'asc' } })).at(-1)).toMatchObject({ items: 0, failures: 0 })
		await expect(enforce_policies({ _cron: { ts: 5 } }, helpers)).rejects.toThrow()
	})
})
