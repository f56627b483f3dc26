// `/pay/online?invoice=<id>` shows the invoice's total in the store's display currency (Toman or
// Rial, settings.store.displayCurrency), in words and with Persian digits in Persian — as the
// invoice pages do — while the amount charged stays the invoice's Rial total.
import { afterAll, describe, expect, it } from 'vitest'
import { loader } from '~/routes/payments+/online'
import { createDraft, issueInvoice } from '~/services/invoices/checkout.server'
import { forgetStoreSettings } from '~/services/settings.server'
import { createSession } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { endUser, formKey, storeNode, storePlan } from '../invoices/fixtures'
import { BASE, contextFor } from '../helpers'

async function displayIn(displayCurrency: 'IRT' | 'IRR') {
	const value = { displayCurrency }
	await prisma.setting.upsert({ where: { key: 'store' }, create: { key: 'store', value }, update: { value } })
	forgetStoreSettings()
}

afterAll(async () => {
	await prisma.setting.deleteMany({ where: { key: 'store' } })
	forgetStoreSettings()
})

async function openInvoice(price: bigint) {
	const plan = await storePlan([(await storeNode()).id], { price })
	const user = await endUser()
	const id = await createDraft({ userId: user.id, planId: plan.id, mode: 'new', formKey: formKey() })
	await issueInvoice(user.id, id)
	const cookie = (await createSession(user.id, new Request(BASE))).split(';')[0]!
	return { id, cookie }
}

async function shownTotal(id: bigint, cookie: string, lang: 'fa' | 'en') {
	const request = new Request(`${BASE}/pay/online?invoice=${id}`, { headers: { Cookie: cookie, 'Accept-Language': lang } })
	const page = (await loader({ request, params: {}, context: contextFor() })) as Awaited<ReturnType<typeof loader>>
	return page.invoice?.total
}

describe('the online payment page of a store invoice', () => {
	it('shows the total in Toman when the store displays Toman', async () => {
		await displayIn('IRT')
		const { id, cookie } = await openInvoice(1_250_000n)
		expect(await shownTotal(id, cookie, 'fa')).toBe('۱۲۵٬۰۰۰ تومان')
		expect(await shownTotal(id, cookie, 'en')).toBe('125,000 Toman')
	})

	it('keeps a Rial remainder as a Toman decimal rather than rounding it away', async () => {
		await displayIn('IRT')
		const { id, cookie } = await openInvoice(1_234_567n)
		expect(await shownTotal(id, cookie, 'fa')).toBe('۱۲۳٬۴۵۶٫۷ تومان')
	})

	it('shows Rial when the store displays Rial', async () => {
		await displayIn('IRR')
		const { id, cookie } = await openInvoice(1_250_000n)
		expect(await shownTotal(id, cookie, 'fa')).toBe('۱٬۲۵۰٬۰۰۰ ریال')
		expect(await shownTotal(id, cookie, 'en')).toBe('1,250,000 Rial')
	})
})
