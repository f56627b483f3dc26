// /admin/gateways: keys are sealed at rest and never sent back to the page; a blank key keeps the
// stored one; only admins; bad input is a 400 with translated errors.
import { describe, expect, it } from 'vitest'
import { action, loader } from '~/routes/admin+/gateways'
import { getGatewaySettings } from '~/services/payments/gateway-settings.server'
import { prisma } from '~/utils/db.server'
import { loginAs } from '../factories'
import { contextFor, formRequest, getRequest, settle } from '../helpers'

const MERCHANT = '1344b5d4-0048-11e8-94db-005056a205be'
const save = (cookie: string, fields: Record<string, string>) => settle(() => action({ request: formRequest('/admin/gateways', fields, { cookie }), params: {}, context: contextFor() }))

describe('/admin/gateways', () => {
	it('saves each provider sealed; the page shows only whether a key is set; a blank key keeps it', async () => {
		const { cookie } = await loginAs('admin')
		const r = await save(cookie, { intent: 'zarinpal', enabled: 'on', merchantId: MERCHANT, currency: 'IRT', baseUrl: 'http://127.0.0.1:7107/' })
		expect((r as Response).status).toBe(302)
		const row = await prisma.paymentGateway.findUniqueOrThrow({ where: { provider: 'zarinpal' } })
		expect(row.secrets).not.toContain(MERCHANT)
		expect(row.secrets).toMatch(/^v1\./)
		expect(row.baseUrl).toBe('http://127.0.0.1:7107')

		await save(cookie, { intent: 'nowpayments', enabled: 'on', apiKey: 'KEY-1', ipnSecret: 'SECRET-1', priceCurrency: 'eur', rialPerUnit: '۱٬۲۰۰٬۰۰۰' })
		// Saved again with blank keys: they stay.
		await save(cookie, { intent: 'nowpayments', enabled: 'on', apiKey: '', ipnSecret: '', priceCurrency: 'usd', rialPerUnit: '1100000' })
		const now = await getGatewaySettings('nowpayments')
		expect(now).toMatchObject({ enabled: true, secrets: { apiKey: 'KEY-1', ipnSecret: 'SECRET-1' }, options: { priceCurrency: 'usd', rialPerUnit: '1100000' } })

		const page = (await loader({ request: getRequest('/admin/gateways', cookie), params: {}, context: contextFor() })) as Awaited<ReturnType<typeof loader>>
		expect(JSON.stringify(page)).not.toContain('KEY-1')
		expect(JSON.stringify(page)).not.toContain(MERCHANT)
		expect(page.zarinpal).toMatchObject({ usable: true, keysSet: { merchantId: true }, options: { currency: 'IRT' } })
		expect(page.nowpayments).toMatchObject({ usable: true, keysSet: { apiKey: true, ipnSecret: true } })
		expect(await prisma.auditEvent.count({ where: { action: 'gateway.update' } })).toBe(3)
	})

	it('refuses bad input with 400 and field errors, and non-admins', async () => {
		const { cookie } = await loginAs('admin')
		const before = await prisma.paymentGateway.findMany({ orderBy: { provider: 'asc' } })
		const r = (await save(cookie, { intent: 'zarinpal', merchantId: 'short', currency: 'USD', baseUrl: 'javascript:alert(1)' })) as unknown as { init: { status: number }; data: { result: { error: Record<string, string[]> } } }
		expect(r.init.status).toBe(400)
		expect(Object.keys(r.data.result.error).sort()).toEqual(['baseUrl', 'currency', 'merchantId'])
		const bad = (await save(cookie, { intent: 'nowpayments', priceCurrency: 'irr', rialPerUnit: '0' })) as unknown as { init: { status: number } }
		expect(bad.init.status).toBe(400)
		expect(await prisma.paymentGateway.findMany({ orderBy: { provider: 'asc' } })).toEqual(before)
		const reseller = await loginAs('reseller')
		expect(((await save(reseller.cookie, { intent: 'zarinpal', merchantId: MERCHANT, currency: 'IRR' })) as Response).status).toBe(403)
	})
})

describe('npm run rotate-key', () => {
	it('re-seals gateway keys sealed under the previous MASTER_KEY', async () => {
		const { encryptWith, fingerprint } = await import('~/utils/crypto.server')
		const { rotateSecrets } = await import('~/services/key-rotation.server')
		const { env } = await import('~/utils/env.server')
		const oldKey = Buffer.alloc(32, 99) // not the dev MASTER_KEY (32 × 7)
		await prisma.paymentGateway.upsert({
			where: { provider: 'zarinpal' },
			create: { provider: 'zarinpal', enabled: true, secrets: encryptWith(oldKey, JSON.stringify({ merchantId: MERCHANT })) },
			update: { secrets: encryptWith(oldKey, JSON.stringify({ merchantId: MERCHANT })) },
		})
		env().MASTER_KEY_PREVIOUS = oldKey.toString('base64')
		try {
			expect((await rotateSecrets()).rotated).toBe(1)
			const row = await prisma.paymentGateway.findUniqueOrThrow({ where: { provider: 'zarinpal' } })
			expect(row.secrets.split('.')[1]).toBe(fingerprint(Buffer.from(env().MASTER_KEY, 'base64')))
		} finally {
			env().MASTER_KEY_PREVIOUS = undefined
		}
		expect((await getGatewaySettings('zarinpal')).secrets).toEqual({ merchantId: MERCHANT })
	})
})
