// Which store invoice a transfer payment pays (issue 12): a receipt started from an invoice carries
// its id (payments.invoice_id, purpose 'invoice' — services/invoices/pay-receipt.server.ts), and an
// approval pays that invoice (pay-from-payment.server.ts). The admin's review card and queue show
// it so the admin knows what he is approving. The invoice is matched on the payer's user id too,
// as pay-from-payment does: a payment never points at another user's invoice.
import { prisma } from '~/utils/db.server'

type BillTo = { name?: string; username?: string } | null

/** The invoice a payment pays, with its total, status and the end user it is billed to; or null. */
export async function invoicePaidBy(payment: { userId: number; invoiceId: bigint | null; purpose: string }) {
	if (payment.purpose !== 'invoice' || payment.invoiceId == null) return null
	const inv = await prisma.invoice.findFirst({
		where: { id: payment.invoiceId, userId: payment.userId, type: 'invoice' },
		select: { id: true, number: true, total: true, currency: true, status: true, paymentStatus: true, billTo: true },
	})
	if (!inv) return null
	const user = await prisma.user.findUniqueOrThrow({ where: { id: payment.userId }, select: { username: true, displayName: true, billingName: true } })
	const billTo = inv.billTo as BillTo
	return {
		id: String(inv.id),
		number: inv.number,
		total: inv.total,
		currency: inv.currency,
		status: inv.status,
		paymentStatus: inv.paymentStatus,
		// The name the invoice was issued to; a user who changed his billing name since is still recognisable by his username.
		payerName: billTo?.name || user.billingName || user.displayName || user.username,
		payerUsername: user.username,
	}
}

/** Invoice numbers of the queue's payments that pay an invoice, keyed by payment id. */
export async function invoiceNumbersOf(paymentIds: bigint[]): Promise<Record<string, string>> {
	if (paymentIds.length === 0) return {}
	const payments = await prisma.payment.findMany({ where: { id: { in: paymentIds }, purpose: 'invoice', invoiceId: { not: null } }, select: { id: true, userId: true, invoiceId: true } })
	if (payments.length === 0) return {}
	const invoices = await prisma.invoice.findMany({ where: { id: { in: payments.map((p) => p.invoiceId!) } }, select: { id: true, userId: true, number: true } })
	const out: Record<string, string> = {}
	for (const p of payments) {
		const inv = invoices.find((i) => i.id === p.invoiceId && i.userId === p.userId)
		if (inv) out[String(p.id)] = inv.number ?? `#${inv.id}`
	}
	return out
}
