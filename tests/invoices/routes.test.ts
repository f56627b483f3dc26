// The checkout and invoice pages through their real loaders and actions: checkout → draft →
// confirm → pay from wallet → activation, tenant scope (another user's invoice is a 404), bad
// input is a translated 4xx, and the PDF in Persian (shaping, word order, Persian digits with
// separators, Jalali and Gregorian dates) and in English. Text is read back from the PDF bytes
// by tests/invoices/pdf-text.ts (inflate + ToUnicode CMaps; no PDF parser is in node_modules).
import { beforeAll, describe, expect, test } from 'vitest'
import * as invoicePdf from '~/routes/account+/invoices.$id.pdf'
import * as invoicePage from '~/routes/account+/invoices.$id'
import * as checkout from '~/routes/store+/checkout.$planId'
import * as serviceCheckout from '~/routes/store+/checkout.$op.$serviceId'
import * as adminInvoices from '~/routes/admin+/invoices'
import * as adminInvoice from '~/routes/admin+/invoices.$id'
import * as invoiceList from '~/routes/account+/invoices'
import { forgetStoreSettings } from '~/services/settings.server'
import { createSession } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { act, load } from '../billing-admin/helpers'
import { loginAs } from '../factories'
import { BASE, getRequest, settle } from '../helpers'
import { endUser, formKey, storeNode, storePlan, walletOf } from './fixtures'
import { pdfText } from './pdf-text'

const cookieOf = async (userId: number) => (await createSession(userId, new Request(BASE))).split(';')[0]!
const reversed = (s: string) => [...s].reverse().join('')

let plan: Awaited<ReturnType<typeof storePlan>>
beforeAll(async () => {
	const node = await storeNode()
	plan = await storePlan([node.id], { price: 1_250_000n, name: 'طلایی', gb: 50n, days: 30 })
	await storeSettings({ companyName: 'گاردینو', taxRateBp: 900, displayCurrency: 'IRR' })
})

async function storeSettings(value: Record<string, string | number>) {
	await prisma.setting.upsert({ where: { key: 'store' }, create: { key: 'store', value }, update: { value } })
	forgetStoreSettings()
}

async function buyThroughPages(userId: number, cookie: string) {
	const preview = (await load(checkout, `/store/checkout/${plan.id}`, cookie, { planId: String(plan.id) })) as Awaited<ReturnType<typeof checkout.loader>>
	expect(preview.preview.invoice.total).toBe(1_362_500n) // 1,250,000 + 9 %
	const key = formKey()
	const posted = await act(checkout, `/store/checkout/${plan.id}`, { formKey: key, coupon: '' }, cookie, { planId: String(plan.id) })
	expect(posted.status).toBe(302)
	// a double submit of the same form lands on the same draft
	const again = await act(checkout, `/store/checkout/${plan.id}`, { formKey: key, coupon: '' }, cookie, { planId: String(plan.id) })
	expect(again.location).toBe(posted.location)
	const id = posted.location!.split('/').pop()!
	const path = `/account/invoices/${id}`
	expect((await act(invoicePage, path, { intent: 'issue' }, cookie, { id })).status).toBe(302)
	expect((await act(invoicePage, path, { intent: 'pay_wallet' }, cookie, { id })).status).toBe(302)
	expect((await act(invoicePage, path, { intent: 'pay_wallet' }, cookie, { id })).status).toBe(302) // a replay is a no-op
	return id
}

describe('checkout pages', () => {
	test('checkout → confirm → pay from wallet → one active store service, charged once', async () => {
		const u = await endUser(2_000_000n)
		const cookie = await cookieOf(u.id)
		const id = await buyThroughPages(u.id, cookie)
		const inv = await prisma.invoice.findUniqueOrThrow({ where: { id: BigInt(id) } })
		expect([inv.status, inv.total, inv.taxAmount]).toEqual(['paid', 1_362_500n, 112_500n])
		expect(await walletOf(u.id)).toBe(637_500n)
		expect(await prisma.customer.count({ where: { userId: u.id, resellerId: null } })).toBe(1)
		// the tax went to its own account
		const legs = await prisma.ledgerEntry.findMany({ where: { transaction: { refType: 'invoice', refId: id } }, select: { accountCode: true, amount: true } })
		expect(legs.find((l) => l.accountCode === 'tax_payable')?.amount).toBe(112_500n)
	})

	test("another user's invoice and service are 404; anonymous is sent to login", async () => {
		const owner = await endUser(2_000_000n)
		const id = await buyThroughPages(owner.id, await cookieOf(owner.id))
		const other = await cookieOf((await endUser()).id)
		expect(((await load(invoicePage, `/account/invoices/${id}`, other, { id })) as Response).status).toBe(404)
		expect((await act(invoicePage, `/account/invoices/${id}`, { intent: 'void' }, other, { id })).status).toBe(404)
		expect(((await load(invoicePdf, `/account/invoices/${id}/pdf`, other, { id })) as Response).status).toBe(404)
		const service = (await prisma.customer.findFirstOrThrow({ where: { userId: owner.id } })).id
		const r = (await load(serviceCheckout, `/store/checkout/renew/${service}`, other, { op: 'renew', serviceId: String(service) })) as Response
		expect(r.status).toBe(404)
		const anon = (await settle(() => checkout.loader({ request: getRequest(`/store/checkout/${plan.id}`), params: { planId: String(plan.id) }, context: {} }))) as Response
		expect([anon.status, anon.headers.get('Location')]).toEqual([302, `/login?redirectTo=${encodeURIComponent(`/store/checkout/${plan.id}`)}`])
	})

	test('bad coupon and bad form are translated 4xx; a wallet too small is a 400 with nothing paid', async () => {
		const u = await endUser(10n)
		const cookie = await cookieOf(u.id)
		const bad = await act(checkout, `/store/checkout/${plan.id}`, { formKey: formKey(), coupon: 'NOPE' }, cookie, { planId: String(plan.id) })
		expect([bad.status, JSON.parse(bad.body).error.key]).toEqual([400, 'invoices.errors.coupon_invalid'])
		expect((await act(checkout, `/store/checkout/${plan.id}`, { formKey: 'x' }, cookie, { planId: String(plan.id) })).status).toBe(400)
		const posted = await act(checkout, `/store/checkout/${plan.id}`, { formKey: formKey() }, cookie, { planId: String(plan.id) })
		const id = posted.location!.split('/').pop()!
		await act(invoicePage, `/account/invoices/${id}`, { intent: 'issue' }, cookie, { id })
		const pay = await act(invoicePage, `/account/invoices/${id}`, { intent: 'pay_wallet' }, cookie, { id })
		expect([pay.status, JSON.parse(pay.body).error.key]).toEqual([400, 'invoices.errors.insufficient_funds'])
		expect((await prisma.invoice.findUniqueOrThrow({ where: { id: BigInt(id) } })).status).toBe('open')
	})

	test('the admin list filters by status and pages by keyset', async () => {
		const admin = await loginAs('admin')
		const page = (await load(adminInvoices, '/admin/invoices?status=paid', admin.cookie)) as Awaited<ReturnType<typeof adminInvoices.loader>>
		expect(page.rows.length).toBeGreaterThan(0)
		expect(page.rows.every((r) => r.status === 'paid')).toBe(true)
		const junk = (await load(adminInvoices, '/admin/invoices?status=%00&after=abc', admin.cookie)) as Awaited<ReturnType<typeof adminInvoices.loader>>
		expect(junk.status).toBeNull()
	})
})

describe('invoice PDF', () => {
	test('Persian: shaped, right-to-left word order, Persian digits with separators, Jalali and Gregorian dates', async () => {
		const u = await endUser(2_000_000n)
		await prisma.user.update({ where: { id: u.id }, data: { locale: 'fa', billingName: 'علی رضایی' } })
		const id = await buyThroughPages(u.id, await cookieOf(u.id))
		const inv = await prisma.invoice.findUniqueOrThrow({ where: { id: BigInt(id) } })
		const res = (await load(invoicePdf, `/account/invoices/${id}/pdf`, await cookieOf(u.id), { id })) as Response
		expect(res.headers.get('Content-Type')).toBe('application/pdf')
		const bytes = Buffer.from(await res.arrayBuffer())
		expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
		const { runs, glyphsOf } = pdfText(bytes)
		const visual = runs.join('')
		// Drawn left to right, a right-to-left line shows its words reversed, numbers kept: "شماره: GH-…" is drawn "GH-… :هرامش".
		expect(visual).toContain(`${inv.number} :${reversed('شماره')}`)
		expect(runs).toContain(reversed('فاکتور'))
		expect(visual).toContain(reversed('علی رضایی'))
		// "۱٬۳۶۲٬۵۰۰ ریال": Persian digits in their own order with Persian separators, the currency's name after them.
		expect(visual).toContain(`${reversed('ریال')} ۱٬۳۶۲٬۵۰۰`)
		expect(visual).toContain(`${reversed('ریال')} ۱۱۲٬۵۰۰`)
		// The plan line "طلایی — ۳۰ روز، ۵۰ گیگابایت", drawn from the left; the لا ligature is one glyph that
		// reads back as its two letters in logical order.
		expect(visual).toContain('تیاباگیگ ۵۰ ،زور ۳۰ — ییلاط')
		// 2026-06-10 Tehran = ۱۴۰۵/۰۳/۲۰, and the Gregorian date beside it, never turned into 10-06-2026.
		const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(inv.issuedAt!)
		const jalali = new Intl.DateTimeFormat('fa-IR-u-ca-persian-nu-arabext', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit' }).format(inv.issuedAt!)
		expect(runs).toContain(jalali)
		expect(runs).toContain(day)
		expect(visual).not.toContain(day.split('-').reverse().join('-'))
		// Shaping: a letter drawn in several joining forms uses several glyphs (isolated ی ≠ final ی ≠ medial ی).
		expect(glyphsOf.get('ی')!.size).toBeGreaterThan(1)
		expect(glyphsOf.get('ت')!.size).toBeGreaterThan(1)
	})

	test('the Toman/Rial display setting: the invoice page, the lists, the admin page and the PDF follow it', async () => {
		const u = await endUser(2_000_000n)
		await prisma.user.update({ where: { id: u.id }, data: { locale: 'fa' } })
		const cookie = await cookieOf(u.id)
		const id = await buyThroughPages(u.id, cookie)
		const admin = await loginAs('admin')
		try {
			await storeSettings({ companyName: 'گاردینو', taxRateBp: 900, displayCurrency: 'IRT' })
			const page = (await load(invoicePage, `/account/invoices/${id}`, cookie, { id })) as { display: string }
			expect(page.display).toBe('IRT')
			expect(((await load(invoiceList, '/account/invoices', cookie)) as { display: string }).display).toBe('IRT')
			expect(((await load(adminInvoice, `/admin/invoices/${id}`, admin.cookie, { id })) as { display: string }).display).toBe('IRT')
			const res = (await load(invoicePdf, `/account/invoices/${id}/pdf`, cookie, { id })) as Response
			const visual = pdfText(Buffer.from(await res.arrayBuffer())).runs.join('')
			// 1,362,500 Rial = ۱۳۶٬۲۵۰ تومان; 112,500 Rial of tax = ۱۱٬۲۵۰ تومان
			expect(visual).toContain(`${reversed('تومان')} ۱۳۶٬۲۵۰`)
			expect(visual).toContain(`${reversed('تومان')} ۱۱٬۲۵۰`)
			expect(visual).not.toContain(reversed('ریال'))
		} finally {
			await storeSettings({ companyName: 'گاردینو', taxRateBp: 900, displayCurrency: 'IRR' })
		}
		const rial = (await load(invoicePage, `/account/invoices/${id}`, cookie, { id })) as { display: string }
		expect(rial.display).toBe('IRR')
	})

	test('English for an English user: left to right, Latin digits, Gregorian date', async () => {
		const u = await endUser(2_000_000n)
		await prisma.user.update({ where: { id: u.id }, data: { locale: 'en' } })
		const id = await buyThroughPages(u.id, await cookieOf(u.id))
		const inv = await prisma.invoice.findUniqueOrThrow({ where: { id: BigInt(id) } })
		const res = (await load(invoicePdf, `/account/invoices/${id}/pdf`, await cookieOf(u.id), { id })) as Response
		const { runs, text } = pdfText(Buffer.from(await res.arrayBuffer()))
		expect(runs).toContain('Invoice')
		expect(runs).toContain(`Number: ${inv.number}`)
		expect(runs).toContain('Total')
		expect(text).toContain('1,362,500 ')
		expect(runs).toContain(`Issued: ${new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(inv.issuedAt!)}`)
		expect(text).not.toMatch(/[۰-۹]/)
	})
})
