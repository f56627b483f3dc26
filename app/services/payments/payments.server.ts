// Payments by transfer (card, IBAN, crypto), the payer's side (issue 11): start one (a method is
// reserved for him and the row holds its details, the exact amount and the reservation's expiry),
// cancel it, and the expiry of payments nobody paid. Receipts and decisions: receipts.server.ts.
// Whose wallet: a reseller's (resellerId set, his wallet must be IRR) or an end user's (resellerId
// null). Every query carries the payer (userId and resellerId) in its WHERE.
import { Prisma, type Payment } from '~/generated/prisma/client'
import type { MethodKind } from '~/models/payment-method-form'
import { prisma, type Tx } from '~/utils/db.server'
import { PaymentError } from './errors'
import { releaseReservation, reserveMethod } from './rotation.server'
import { transition } from './transition.server'

export interface Payer {
	userId: number
	/** Set when the wallet is a reseller's. */
	resellerId: number | null
}

/** Payments waiting for his transfer that one payer may hold at once: each holds card room. */
export const MAX_OPEN_PER_PAYER = 3
export const MIN_AMOUNT = 10_000n
export const MAX_AMOUNT = 10_000_000_000_000n

export const payerWhere = (p: Payer) => ({ userId: p.userId, resellerId: p.resellerId })

export function findPayerPayment(payer: Payer, id: bigint) {
	return prisma.payment.findFirst({ where: { id, ...payerWhere(payer), channel: { not: 'gateway' } }, include: { method: true } })
}

/**
 * Reserves a method of `kind` and opens the payment; no_method when none has room (hide that kind).
 * `invoiceId`: the payment pays that store invoice when approved (the caller checked it is the
 * payer's, open, and that `amount` is its total: app/services/invoices/pay-receipt.server.ts).
 */
export async function startPayment(payer: Payer, kind: MethodKind, amount: bigint, now = new Date(), invoiceId: bigint | null = null): Promise<Payment> {
	if (payer.resellerId != null) {
		const r = await prisma.reseller.findFirst({ where: { id: payer.resellerId, userId: payer.userId }, select: { currency: true } })
		if (!r) throw new PaymentError('not_found')
		if (r.currency !== 'IRR') throw new PaymentError('currency', { currency: r.currency })
	}
	const open = await prisma.payment.count({ where: { ...payerWhere(payer), status: 'awaiting_transfer', expiresAt: { gt: now } } })
	if (open >= MAX_OPEN_PER_PAYER) throw new PaymentError('too_many_open', { max: MAX_OPEN_PER_PAYER })
	const reserved = await reserveMethod({ kind, amount, now })
	if (!reserved) throw new PaymentError('no_method', { kind })
	const { method, reservation } = reserved
	try {
		return await prisma.$transaction(async (tx) => {
			const payment = await tx.payment.create({
				data: { userId: payer.userId, resellerId: payer.resellerId, channel: kind, status: 'awaiting_transfer', amount, currency: 'IRR', methodId: method.id, reservationId: reservation.id, expiresAt: reservation.expiresAt, createdAt: now, ...(invoiceId != null ? { purpose: 'invoice', invoiceId } : {}) },
			})
			await tx.paymentReservation.update({ where: { id: reservation.id }, data: { usedAt: now, paymentRef: String(payment.id) } })
			// The details the payer was shown, as they were: an admin may edit the method later.
			await tx.paymentEvent.create({ data: { paymentId: payment.id, toStatus: 'awaiting_transfer', actorId: payer.userId, data: { methodId: method.id, alias: method.alias, details: method.details ?? {} } } })
			return payment
		})
	} catch (e) {
		await releaseReservation(reservation.id)
		throw e
	}
}

/**
 * Gives a payment's room on its method back. The reservation was marked used when the payment was
 * created (so it counts for its day whatever its expiry); a payment that will never be paid stops
 * counting. (rotation's releaseReservation leaves used reservations alone, on purpose.)
 */
async function freeRoom(tx: Tx, p: Pick<Payment, 'reservationId'>) {
	if (p.reservationId) await tx.paymentReservation.update({ where: { id: p.reservationId }, data: { released: true, usedAt: null } })
}

/** A late receipt did come: the transfer happened, so it counts against the method's day again. */
export async function reclaimRoom(tx: Tx, p: Pick<Payment, 'reservationId' | 'id'>, now: Date) {
	if (p.reservationId) await tx.paymentReservation.updateMany({ where: { id: p.reservationId, usedAt: null }, data: { usedAt: now, paymentRef: String(p.id) } })
}

/** The payer gives up (or wants another method): only while nothing was submitted. */
export async function cancelPayment(payer: Payer, id: bigint) {
	return prisma.$transaction(async (tx) => {
		const mine = await tx.payment.findFirst({ where: { id, ...payerWhere(payer) }, select: { id: true } })
		if (!mine) throw new PaymentError('not_found')
		const p = await transition(tx, id, ['awaiting_transfer', 'expired'], 'cancelled', payer.userId)
		if (!p) throw new PaymentError('not_open')
		await freeRoom(tx, p)
		return p
	})
}

/**
 * awaiting_transfer past its expiry → expired, with its room freed. Never anything else: a
 * submitted receipt waits for an admin however long it takes (nothing is decided on a timer).
 */
export async function expireOverdue(now = new Date(), limit = 500): Promise<number> {
	const due = await prisma.payment.findMany({ where: { status: 'awaiting_transfer', channel: { not: 'gateway' }, expiresAt: { lte: now } }, select: { id: true }, orderBy: { id: 'asc' }, take: limit })
	let n = 0
	for (const { id } of due) {
		await prisma.$transaction(async (tx) => {
			const p = await transition(tx, id, ['awaiting_transfer'], 'expired', null, { where: Prisma.sql`expires_at <= ${now}` })
			if (p) {
				await freeRoom(tx, p)
				n++
			}
		})
	}
	return n
}
