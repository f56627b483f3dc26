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

/** The periodic pass: open invoices past due, and drafts older than a day, are voided. */
export async function expireUnpaidInvoices(now = new Date()) {
	const due = await prisma.$queryRaw<Array<{ id: bigint }>>`
		select id from invoices where type = 'invoice' and ((status = 'open' and due_at < ${now}) or (status = 'draft' and created_at < ${new Date(now.getTime() - 86_400_000)}))
		order by id limit 500`
	for (const { id } of due) {
		// One at a time: a payment settling this very invoice wins or waits on its row lock.
		await voidInvoice(id, null, now).catch((e) => {
			if (!(e instanceof InvoiceError)) throw e
		})
	}
	return due.length
}
