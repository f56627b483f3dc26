// Rule 2 + issue 11: a reseller's submitted receipt is pending credit. It never raises what he
// can spend, but while receipts waiting for review cover his negative balance the 24 h clock does
// not disable his customers; a rejection (or a receipt too small) lets it bite.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { enforceAll } from '~/services/enforcement.server'
import { resetRemoteRate } from '~/services/remote-rate.server'
import { prisma } from '~/utils/db.server'
import { createReseller, fund } from '../billing/fixtures'
import { loginAs } from '../factories'
import { buy, customerRow, HOUR, resetSettings, setSettings, startPanels } from '../enforcement/fixtures'
import { cookieOf, decide, makeCard, receiptFields, receiptPng, startTopUp, submitThroughRoute } from './receipts-fixtures'

let env: Awaited<ReturnType<typeof startPanels>>
let admin: { cookie: string }
beforeAll(async () => {
	env = await startPanels()
	admin = await loginAs('admin')
	await makeCard()
})
afterAll(() => env.sims.close())
beforeEach(async () => {
	await resetRemoteRate()
	await resetSettings()
	await setSettings(env.adminId, { remoteOpsPerSec: 50 })
})

const state = async (id: number) => {
	const c = await customerRow(id)
	return `${c.status}/${c.disabledReason ?? '-'}`
}

describe('pending receipts and the negative-credit clock', () => {
	test('covered by a receipt in review → not disabled; rejected → disabled; approved → enabled', async () => {
		const M = env.nodes.marzban
		const { user, reseller } = await createReseller({ nodeIds: [M], funds: 1300n, creditLimit: 1_000_000n })
		await prisma.reseller.update({ where: { id: reseller.id }, data: { currency: 'IRR' } })
		const id = await buy(user.id, 'pend1', [M])
		await fund(reseller.id, -50_000n)
		const before = await prisma.reseller.findUniqueOrThrow({ where: { id: reseller.id } })
		expect(before.balance).toBeLessThan(0n)
		await prisma.reseller.update({ where: { id: reseller.id }, data: { negativeSince: new Date(Date.now() - 25 * HOUR) } })
		const debt = -before.balance
		const cookie = await cookieOf(user.id)

		// a receipt smaller than the debt does not stop the clock
		const small = await startTopUp(cookie, 10_000n)
		await submitThroughRoute(cookie, small, receiptFields(10_000n, 'PEND-1'), await receiptPng())
		expect(debt).toBeGreaterThan(10_000n)
		// a receipt that covers it (with the small one) does
		const big = await startTopUp(cookie, debt)
		await submitThroughRoute(cookie, big, receiptFields(debt, 'PEND-2'), await receiptPng())
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 0 })
		expect(await state(id)).toBe('active/-')
		// pending credit is not money: the balance is unchanged
		expect((await prisma.reseller.findUniqueOrThrow({ where: { id: reseller.id } })).balance).toBe(before.balance)

		// in review still counts as pending
		expect((await decide(admin.cookie, big, 'claim')).status).toBe(302)
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 0 })

		// the covering receipt is rejected: the clock bites (the small one alone does not cover)
		expect((await decide(admin.cookie, big, 'reject', { reason: 'Not received' })).status).toBe(302)
		expect(await enforceAll()).toEqual({ disabled: 1, enabled: 0 })
		expect(await state(id)).toBe('disabled/credit')

		// resubmitted and approved: balance + approved ≥ 0 → enabled again
		await submitThroughRoute(cookie, big, receiptFields(debt, 'PEND-3'), await receiptPng())
		expect((await decide(admin.cookie, big, 'approve')).status).toBe(302)
		expect(await enforceAll()).toEqual({ disabled: 0, enabled: 1 })
		expect(await state(id)).toBe('active/-')
	})
})
