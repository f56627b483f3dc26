// Voiding (issue 12): a draft or open invoice the user abandons, the admin cancels, or that stays
// unpaid past its due time. Its coupon reservation is released in the same transaction. A paid
// invoice is never voided: it is corrected by a credit note (credit-notes.server.ts).
import { prisma } from '~/utils/db.server'
import { invoiceTransaction } from './checkout.server'
import { releaseCoupon } from './coupons.server'
import { InvoiceError } from './errors'

/** `userId` null = the admin (any user's invoice); else only the user's own. */
export async function voidInvoice(invoiceId: bigint, userId: number | null, now = new Date()) {
	return invoiceTransaction(async (tx) => {
		const rows = await tx.$queryRaw<Array<{ id: bigint }>>`
			update invoices set status = 'void', voided_at = ${now}, updated_at = now()
			where id = ${invoiceId} and type = 'invoice' and status in ('draft', 'open') and (${userId}::int is null or user_id = ${userId}::int)
			returning id`
		if (!rows.length) {
			const seen = await tx.invoice.findFirst({ where: { id: invoiceId, ...(userId == null ? {} : { userId }) }, select: { status: true } })
			if (!seen) throw new InvoiceError('not_found')
			if (seen.status === 'void') return
			throw new InvoiceError('invalid_state')
		}
		await releaseCoupon(tx, invoiceId)
	})
}

/**
 * The periodic pass: open invoices past due, and drafts older than a day, are voided. An open
 * invoice whose receipt waits for an admin (submitted / in review) is left open: the payer paid in
 * time and the decision is the admin's, not a timer's; a rejection lets the next pass void it.
 */
export async function expireUnpaidInvoices(now = new Date()) {
	const due = await prisma.$queryRaw<Array<{ id: bigint }>>`
		select i.id from invoices i where i.type = 'invoice' and ((i.status = 'open' and i.due_at < ${now}
			and not exists (select 1 from payments p where p.invoice_id = i.id and p.purpose = 'invoice' and p.status in ('submitted', 'in_review')))
			or (i.status = 'draft' and i.created_at < ${new Date(now.getTime() - 86_400_000)}))
		order by i.id limit 500`
	for (const { id } of due) {
		// One at a time: a payment settling this very invoice wins or waits on its row lock.
		await voidInvoice(id, null, now).catch((e) => {
			if (!(e instanceof InvoiceError)) throw e
		})
	}
	return due.length
}
