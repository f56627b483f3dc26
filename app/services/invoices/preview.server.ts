// What a checkout page shows before anything is written: the lines the draft would get now.
import { prisma } from '~/utils/db.server'
import { buildInvoice } from './lines'
import { priceCheckout, type CheckoutRequest } from './pricing.server'
import { getStoreBilling } from './store-settings.server'

export async function previewCheckout(req: CheckoutRequest, now = new Date()) {
	const priced = await priceCheckout(prisma, req, now)
	const s = await getStoreBilling()
	const built = buildInvoice({ goods: priced.goods, prorationCredit: priced.prorationCredit, prorationValues: priced.prorationValues, taxRateBp: s.taxRateBp, taxInclusive: s.taxInclusive })
	return {
		kind: priced.kind,
		customerId: priced.customerId,
		plan: { id: priced.plan.id, name: priced.plan.name, days: priced.plan.days, dataLimitBytes: priced.plan.dataLimitBytes, price: priced.plan.price },
		invoice: {
			number: null,
			type: 'invoice',
			kind: priced.kind,
			status: 'draft',
			paymentStatus: 'unpaid',
			issuedAt: null,
			dueAt: null,
			paidAt: null,
			currency: 'IRR',
			...built,
			lines: built.lines.map((l) => ({ position: l.position, labelKey: l.labelKey, values: l.values, quantity: l.quantity, unitAmount: l.unitAmount, amount: l.amount, included: l.included })),
		},
	}
}
