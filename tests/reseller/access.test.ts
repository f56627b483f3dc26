// Every loader and action of the reseller area refuses the other roles (403) and anonymous
// visitors (redirect to login); a reseller login without a profile gets 403 on the money pages.
import { describe, expect, test } from 'vitest'
import * as list from '~/routes/reseller+/customers'
import * as detail from '~/routes/reseller+/customers.$id'
import * as wg from '~/routes/reseller+/customers.$id.wg.$nodeId'
import * as wizard from '~/routes/reseller+/customers.new'
import * as home from '~/routes/reseller+/index'
import * as wallet from '~/routes/reseller+/wallet'
import { loginAs } from '../factories'
import { call, formPost, getPage, resellerFixture } from './fixtures'

type Fn = Parameters<typeof call>[0]
const PARAMS = { id: '1', nodeId: '1' }
const LOADERS: Array<[string, Fn, string]> = [
	['customers list', list.loader, '/reseller/customers?q=x'],
	['new customer', wizard.loader, '/reseller/customers/new'],
	['customer detail', detail.loader, '/reseller/customers/1'],
	['wireguard file', wg.loader, '/reseller/customers/1/wg/1'],
	['wallet', wallet.loader, '/reseller/wallet'],
]
const ACTIONS: Array<[string, Fn, string, Record<string, string>]> = [
	['new customer: quote', wizard.action, '/reseller/customers/new', { intent: 'quote', nodeIds: '1', gb: '1', days: '1' }],
	['new customer: execute', wizard.action, '/reseller/customers/new', { intent: 'execute', quoteId: 'aaaaaaaaaa', idempotencyKey: 'bbbbbbbbbbbbbbbbbbbb', username: 'abc', nodeIds: '1', gb: '1', days: '1' }],
	['detail: quote', detail.action, '/reseller/customers/1', { intent: 'quote', op: 'extend', days: '1' }],
	['detail: manual', detail.action, '/reseller/customers/1', { intent: 'manual', action: 'delete' }],
]

describe('reseller area authorisation', () => {
	for (const role of ['admin', 'customer'] as const) {
		test(`${role}: every loader and action → 403`, async () => {
			const { cookie } = await loginAs(role)
			for (const [name, fn, path] of LOADERS) expect([name, (await call(fn, getPage(path, cookie), PARAMS)).status]).toEqual([name, 403])
			for (const [name, fn, path, fields] of ACTIONS) expect([name, (await call(fn, formPost(path, fields, cookie), PARAMS)).status]).toEqual([name, 403])
			expect((await call(home.loader, getPage('/reseller', cookie))).status).toBe(403)
		})
	}

	test('anonymous: every loader and action → redirect to login with the way back', async () => {
		for (const [name, fn, path] of LOADERS) {
			const r = await call(fn, getPage(path), PARAMS)
			expect([name, r.status, r.location]).toEqual([name, 302, `/login?redirectTo=${encodeURIComponent(path)}`])
		}
		for (const [name, fn, path, fields] of ACTIONS) {
			const r = await call(fn, formPost(path, fields), PARAMS)
			expect([name, r.status]).toEqual([name, 302])
			expect(r.location).toMatch(/^\/login\?redirectTo=/)
		}
	})

	test('a reseller login without a reseller profile: 403 on the customer and wallet pages, a notice at home', async () => {
		const { cookie } = await loginAs('reseller')
		for (const [name, fn, path] of LOADERS) expect([name, (await call(fn, getPage(path, cookie), PARAMS)).status]).toEqual([name, 403])
		for (const [name, fn, path, fields] of ACTIONS) expect([name, (await call(fn, formPost(path, fields, cookie), PARAMS)).status]).toEqual([name, 403])
		const h = await call(home.loader, getPage('/reseller', cookie))
		expect(h.status).toBe(200)
		expect(h.data.figures).toBeNull()
	})

	test('a reseller with a profile may open every page', async () => {
		const { cookie } = await resellerFixture({ nodeIds: [] })
		for (const [name, fn, path] of LOADERS.filter(([n]) => !['customer detail', 'wireguard file'].includes(n))) expect([name, (await call(fn, getPage(path, cookie))).status]).toEqual([name, 200])
		// ids that are not his: 404, not 403
		expect((await call(detail.loader, getPage('/reseller/customers/1', cookie), PARAMS)).status).toBe(404)
		expect((await call(wg.loader, getPage('/reseller/customers/1/wg/1', cookie), PARAMS)).status).toBe(404)
	})
})
