// Receipts under test: an IRR reseller (and an end user) with sessions, a card to pay to, real
// images made with sharp (each one different bytes), and multipart requests the way a browser
// sends the receipt form.
import sharp from 'sharp'
import * as adminPayment from '~/routes/admin+/payments.$id'
import * as payerPage from '~/routes/reseller+/wallet.top-up.$id'
import * as topUp from '~/routes/reseller+/wallet.top-up'
import { createSession } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { createReseller } from '../billing/fixtures'
import { BASE } from '../helpers'
import { call, formPost } from '../reseller/fixtures'

export const cookieOf = async (userId: number) => (await createSession(userId, new Request(BASE))).split(';')[0]!

export async function irrReseller() {
	const { user, reseller } = await createReseller({ nodeIds: [] })
	await prisma.reseller.update({ where: { id: reseller.id }, data: { currency: 'IRR' } })
	return { user, reseller, cookie: await cookieOf(user.id) }
}

let seq = 0
export async function makeCard(over: { dailyCountLimit?: number; priority?: number } = {}) {
	seq++
	return prisma.paymentMethod.create({ data: { kind: 'card', alias: `Receipt card ${seq}`, priority: over.priority ?? 1, dailyCountLimit: over.dailyCountLimit ?? null, details: { number: '6037990000000006', holder: 'Ali Rezaei', bank: 'Melli' } } })
}

let shade = 0
/** A small PNG whose bytes differ on every call (a different colour). */
export async function receiptPng(width = 64, height = 48) {
	shade++
	return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: { r: shade % 256, g: (shade >> 8) % 256, b: 77 } } }).png().toBuffer())
}

/** The receipt form as multipart (the browser's FormData, the file as a Blob). */
export function receiptRequest(path: string, cookie: string, fields: Record<string, string>, file: Uint8Array | null, fileName = 'receipt.png', type = 'image/png') {
	const form = new FormData()
	form.set('intent', 'submit')
	for (const [k, v] of Object.entries(fields)) form.set(k, v)
	if (file) form.set('receipt', new Blob([file as Uint8Array<ArrayBuffer>], { type }), fileName)
	return new Request(`${BASE}${path}`, { method: 'POST', headers: { Cookie: cookie, 'X-Forwarded-For': '203.0.113.9' }, body: form })
}

/** Tehran wall time for the paid-at field, from an instant. */
export const tehranLocal = (d: Date) => new Date(d.getTime() + 210 * 60_000).toISOString().slice(0, 16)

export const receiptFields = (amount: bigint, trackingCode: string, paidAt = new Date(Date.now() - 5 * 60_000)) => ({ amount: String(amount), trackingCode, payerCardLast4: '1234', paidAt: tehranLocal(paidAt) })

/** Starts a top-up through the route; returns the payment id from the redirect. */
export async function startTopUp(cookie: string, amount: bigint, kind = 'card') {
	const r = await call(topUp.action, formPost('/reseller/wallet/top-up', { intent: 'start', amount: String(amount), kind }, cookie))
	if (r.status !== 302) throw new Error(`start: ${r.status} ${JSON.stringify(r.data)}`)
	return BigInt(r.location!.split('/').pop()!)
}

export async function submitThroughRoute(cookie: string, id: bigint, fields: Record<string, string>, file: Uint8Array | null, fileName?: string, type?: string) {
	return call(payerPage.action, receiptRequest(`/reseller/wallet/top-up/${id}`, cookie, fields, file, fileName, type), { id: String(id) })
}

export async function decide(adminCookie: string, id: bigint, intent: string, extra: Record<string, string> = {}) {
	return call(adminPayment.action, formPost(`/admin/payments/${id}`, { intent, ...extra }, adminCookie), { id: String(id) })
}
