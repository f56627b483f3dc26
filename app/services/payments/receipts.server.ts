// Receipts and their review (issue 11): the payer submits (or resubmits after a rejection, or
// late after expiry — kept and flagged, never lost); an admin claims (in_review for 15 minutes),
// then approves — status and ledger in ONE transaction, so two admins or a double tap credit once
// and the loser learns who decided and when — or rejects with a reason the payer sees. A settled
// payment found to be fraud is reversed: a reversing ledger transaction, the wallet may go negative.
// Nothing here runs on a timer: no receipt is ever approved without an admin.
import { Prisma, type Payment } from '~/generated/prisma/client'
import { isUniqueViolation, moveWalletMoney } from '~/services/billing/ledger.server'
import { payInvoiceFromPayment } from '~/services/invoices/pay-from-payment.server'
import { suspendInvoiceService } from '~/services/invoices/suspend-on-reversal.server'
import { prisma, type Tx } from '~/utils/db.server'
import { notify } from '../notifications.server'
import { checkDuplicates, normalizeTrackingCode } from './duplicates.server'
import { PaymentError } from './errors'
import { payerWhere, reclaimRoom, type Payer } from './payments.server'
import { prepareReceipt } from './receipt-files.server'
import { receiptStorage } from './receipt-storage.server'
import { transition } from './transition.server'

export const CLAIM_MS = 15 * 60_000

export interface ReceiptInput {
	file: Uint8Array
	/** Rial, what the payer says he sent. */
	amount: bigint
	trackingCode: string
	payerCardLast4: string | null
	paidAt: Date
}

const SUBMITTABLE = ['awaiting_transfer', 'rejected', 'expired'] as const

export async function submitReceipt(payer: Payer, id: bigint, input: ReceiptInput, now = new Date()): Promise<Payment> {
	// CPU work (decode, re-encode) before the transaction, which stays short.
	const file = await prepareReceipt(input.file)
	const trackingCodeNorm = normalizeTrackingCode(input.trackingCode)
	// A payment that cannot take a receipt uploads nothing (checked again inside the transaction).
	const before = await prisma.payment.findFirst({ where: { id, ...payerWhere(payer), channel: { not: 'gateway' } }, select: { status: true } })
	if (!before) throw new PaymentError('not_found')
	if (!(SUBMITTABLE as readonly string[]).includes(before.status)) throw new PaymentError('not_open')
	// The file goes to its store BEFORE the transaction (an S3 upload is a network call); the row is
	// written inside it. A rolled-back transaction leaves at most an orphan object, never a row without one.
	const placed = await receiptStorage.place(file)
	try {
		return await prisma.$transaction(async (tx) => {
			const current = await tx.payment.findFirst({ where: { id, ...payerWhere(payer), channel: { not: 'gateway' } } })
			if (!current) throw new PaymentError('not_found')
			if (!(SUBMITTABLE as readonly string[]).includes(current.status)) throw new PaymentError('not_open')
			const near = await checkDuplicates(tx, { paymentId: id, userId: payer.userId, methodId: current.methodId, sha256: file.sha256, trackingCodeNorm, amount: input.amount, paidAt: input.paidAt })
			const late = current.status === 'expired' || now > current.expiresAt
			const flags = [...(late ? ['late'] : []), ...(near.length ? ['near_duplicate'] : []), ...(input.amount !== current.amount ? ['amount_mismatch'] : [])]
			const fileId = await receiptStorage.record(tx, id, placed)
			const p = await transition(tx, id, [...SUBMITTABLE], 'submitted', payer.userId, {
				set: {
					receiptFileId: fileId, receiptSha256: file.sha256, receiptAmount: input.amount, trackingCode: input.trackingCode.trim(), trackingCodeNorm,
					payerCardLast4: input.payerCardLast4, paidAt: input.paidAt, submittedAt: now, late: current.late || late, flags,
					claimedBy: null, claimExpiresAt: null, decidedBy: null, decidedAt: null, rejectReason: null,
				},
				data: { fileId: String(fileId), sha256: file.sha256, amount: String(input.amount), trackingCode: input.trackingCode.trim(), late, nearDuplicateOf: near.map(String) },
			})
			if (!p) throw new PaymentError('not_open')
			if (current.status === 'expired') await reclaimRoom(tx, p, now)
			await notify({ audience: 'admin', kind: 'payment_submitted', data: { paymentId: String(id), amount: String(input.amount), currency: p.currency, late, nearDuplicate: near.length > 0 }, dedupeKey: `payment_submitted:${id}:${fileId}` }, tx)
			return p
		})
	} catch (e) {
		// a concurrent twin passed the pre-check at the same moment: the unique index refused ours
		if (!(e instanceof PaymentError) && isUniqueViolation(e)) {
			const first = await prisma.payment.findFirst({ where: { OR: [{ receiptSha256: file.sha256 }, { trackingCodeNorm }], id: { not: id } }, select: { id: true, receiptSha256: true } })
			throw new PaymentError(first?.receiptSha256 === file.sha256 ? 'duplicate_file' : 'duplicate_tracking', { paymentId: String(first?.id ?? '') })
		}
		throw e
	}
}

/** Open for a decision by `adminId`: submitted, or in review by him or with a claim that ran out. */
const reviewableBy = (adminId: number, now: Date) => Prisma.sql`status = 'submitted' or (status = 'in_review' and (claimed_by = ${adminId} or claim_expires_at <= ${now}))`

export async function claimPayment(adminId: number, id: bigint, now = new Date()) {
	return prisma.$transaction(async (tx) => {
		const p = await transition(tx, id, ['submitted', 'in_review'], 'in_review', adminId, {
			where: reviewableBy(adminId, now),
			set: { claimedBy: adminId, claimExpiresAt: new Date(now.getTime() + CLAIM_MS) },
		})
		if (!p) throw await whyNot(tx, id, now)
		return p
	})
}

function walletOf(p: Payment) {
	return p.resellerId != null ? { resellerId: p.resellerId } : { userId: p.userId }
}

export async function approvePayment(adminId: number, id: bigint, now = new Date()) {
	return prisma.$transaction(async (tx) => {
		const approved = await transition(tx, id, ['submitted', 'in_review'], 'approved', adminId, { where: reviewableBy(adminId, now), set: { decidedBy: adminId, decidedAt: now, claimExpiresAt: null } })
		if (!approved) throw await whyNot(tx, id, now)
		if (approved.resellerId != null) {
			// The wallet's currency is checked again at credit time: it may have changed since the start.
			const r = await tx.reseller.findUniqueOrThrow({ where: { id: approved.resellerId }, select: { currency: true } })
			if (r.currency !== approved.currency) throw new PaymentError('currency', { currency: r.currency })
		}
		const counter = `cash:method:${approved.methodId}`
		// A receipt for a store invoice: into his wallet, then the invoice paid from it (activated once).
		if (approved.purpose === 'invoice' && approved.invoiceId != null && approved.resellerId == null) await payInvoiceFromPayment(tx, { id, userId: approved.userId, amount: approved.amount, invoiceId: approved.invoiceId, counter, actorId: adminId })
		else await moveWalletMoney(tx, { wallet: walletOf(approved), amount: approved.amount, counter, kind: 'top_up', refType: 'payment', refId: String(id), actorId: adminId, idempotencyKey: `payment:${id}:settle` })
		const settled = await transition(tx, id, ['approved'], 'settled', adminId, { set: { settledAt: now } })
		await notifyPayer(tx, settled!, 'payment_approved')
		return settled!
	})
}

export async function rejectPayment(adminId: number, id: bigint, reason: string, now = new Date()) {
	return prisma.$transaction(async (tx) => {
		const p = await transition(tx, id, ['submitted', 'in_review'], 'rejected', adminId, { where: reviewableBy(adminId, now), set: { decidedBy: adminId, decidedAt: now, rejectReason: reason, claimedBy: null, claimExpiresAt: null }, note: reason })
		if (!p) throw await whyNot(tx, id, now)
		await notifyPayer(tx, p, 'payment_rejected', { reason })
		return p
	})
}

/** Fraud found after settlement: the credit is taken back (even into the negative: it may be spent). */
export async function reversePayment(adminId: number, id: bigint, reason: string, now = new Date()) {
	return prisma.$transaction(async (tx) => {
		const p = await transition(tx, id, ['settled'], 'reversed', adminId, { note: reason, set: { decidedBy: adminId, decidedAt: now } })
		if (!p) {
			const row = await tx.payment.findUnique({ where: { id }, select: { status: true } })
			throw new PaymentError(row ? 'not_settled' : 'not_found')
		}
		await moveWalletMoney(tx, { wallet: walletOf(p), amount: -p.amount, counter: `cash:method:${p.methodId}`, kind: 'reversal', refType: 'payment', refId: String(id), actorId: adminId, note: reason, idempotencyKey: `payment:${id}:reverse`, allowOverdraft: true })
		// …and what it bought: the service of the invoice it paid is suspended.
		if (p.purpose === 'invoice' && p.invoiceId != null && p.resellerId == null) await suspendInvoiceService(tx, p.invoiceId, adminId, id)
		await notifyPayer(tx, p, 'payment_reversed', { reason })
		return p
	})
}

/** Why a decision matched no row: someone decided first (who, when), someone holds the claim, or the state. */
async function whyNot(tx: Tx, id: bigint, now: Date) {
	const p = await tx.payment.findUnique({ where: { id } })
	if (!p) return new PaymentError('not_found')
	const name = async (userId: number | null) => (userId ? ((await tx.user.findUnique({ where: { id: userId }, select: { username: true, displayName: true } })) ?? null) : null)
	if (p.decidedAt && ['approved', 'settled', 'rejected', 'reversed'].includes(p.status)) {
		const u = await name(p.decidedBy)
		return new PaymentError('already_decided', { by: u?.displayName ?? u?.username ?? '?', at: p.decidedAt.toISOString(), status: p.status })
	}
	if (p.status === 'in_review' && p.claimExpiresAt && p.claimExpiresAt > now) {
		const u = await name(p.claimedBy)
		return new PaymentError('claimed', { by: u?.displayName ?? u?.username ?? '?', until: p.claimExpiresAt.toISOString() })
	}
	return new PaymentError('not_reviewable', { status: p.status })
}

async function notifyPayer(tx: Tx, p: Payment, kind: 'payment_approved' | 'payment_rejected' | 'payment_reversed', extra: Record<string, string> = {}) {
	// An end user's own payment is addressed to him (audience 'user': /account and his Telegram).
	const to = p.resellerId == null ? { audience: 'user' as const, userId: p.userId } : { audience: 'reseller' as const, resellerId: p.resellerId }
	await notify({ ...to, kind, data: { paymentId: String(p.id), amount: String(p.amount), currency: p.currency, ...extra }, dedupeKey: `${kind}:${p.id}:${p.decidedAt?.getTime() ?? Date.now()}` }, tx)
}
