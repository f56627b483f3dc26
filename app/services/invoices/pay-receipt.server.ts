// Paying an open store invoice by card-to-card / IBAN / crypto receipt (issues 11–12). The payment
// is an ordinary transfer payment (app/services/payments/, decision 018) that carries the invoice:
// its amount is the invoice's total, never a number from the form. When an admin approves the
// receipt, receipts.server.ts pays the invoice in the approval's transaction
// (pay-from-payment.server.ts): once, however many admins press approve. A rejection leaves the
// invoice open (the payer resubmits on the same payment, or pays another way).
import type { MethodKind } from '~/models/payment-method-form'
import { startPayment } from '~/services/payments/payments.server'
import { prisma } from '~/utils/db.server'
import { InvoiceError } from './errors'

/** States in which a transfer payment for an invoice is still going somewhere. */
export const LIVE_RECEIPT_STATES = ['awaiting_transfer', 'submitted', 'in_review'] as const

/** The user's own open invoice (tenant scope in the where), or null. */
export function openInvoiceOf(userId: number, invoiceId: bigint) {
	return prisma.invoice.findFirst({ where: { id: invoiceId, userId, type: 'invoice', status: 'open' }, select: { id: true, number: true, total: true } })
}

/** His live receipt payment for the invoice, if any: the invoice page points at it. */
export function liveReceiptFor(userId: number, invoiceId: bigint) {
	return prisma.payment.findFirst({
		where: { userId, resellerId: null, invoiceId, purpose: 'invoice', channel: { not: 'gateway' }, status: { in: [...LIVE_RECEIPT_STATES, 'rejected'] } },
		orderBy: { id: 'desc' },
		select: { id: true, status: true },
	})
}

/**
 * Starts (or finds) the receipt payment for the user's open invoice. A second start while one is
 * live returns that one: a double tap or a second visit never holds a second card's room.
 */
export async function startInvoiceReceipt(userId: number, invoiceId: bigint, kind: MethodKind, now = new Date()) {
	const inv = await openInvoiceOf(userId, invoiceId)
	if (!inv) throw new InvoiceError('not_payable')
	// A 0 total was paid at issue; anything left open has something to pay.
	const live = await prisma.payment.findFirst({ where: { userId, resellerId: null, invoiceId, purpose: 'invoice', channel: { not: 'gateway' }, OR: [{ status: 'awaiting_transfer', expiresAt: { gt: now } }, { status: { in: ['submitted', 'in_review'] } }] }, select: { id: true } })
	if (live) return live.id
	const p = await startPayment({ userId, resellerId: null }, kind, inv.total, now, inv.id)
	return p.id
}
