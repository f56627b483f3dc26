// Rotation with reservation (issue 11): a payer shown a card holds its amount against that card's
// Tehran-day limits until the reservation expires; the next payer gets the next card with room.
//
// Why it cannot overshoot: the room is checked only while holding the method row's lock
// (SELECT … FOR UPDATE), and checked by a statement that starts after the lock was granted, so in
// READ COMMITTED it sees every reservation committed by whoever held the lock before. A usage
// figure read before the lock (as the ordering is) may be stale and is only a hint.
// Why one lock at a time: each candidate is tried under a savepoint; rolling back to it releases
// that row's lock (PostgreSQL docs, "Row-Level Locks"), so a transaction waiting for a card never
// holds another one — no deadlocks. SKIP LOCKED first spreads concurrent payers over the cards;
// cards that were skipped are then waited for, so "no room" (null) is never caused by contention.
import type { PaymentMethod, PaymentReservation } from '~/generated/prisma/client'
import { countsToday, tehranDate, TEHRAN, usageToday } from '~/models/payment-method.server'
import type { MethodKind } from '~/models/payment-method-form'
import { prisma, type Tx } from '~/utils/db.server'
import { notify } from '../notifications.server'

export const DEFAULT_VALIDITY_MS = 60 * 60_000
/** An alert when a daily limit is this full. */
export const ALERT_PERCENT = 80

export interface ReserveInput {
	kind: MethodKind
	/** Rial. */
	amount: bigint
	validForMs?: number
	now?: Date
}

export type Reserved = { method: PaymentMethod; reservation: PaymentReservation }

/** Reserves `amount` on the best method of `kind` with room; null when none has (hide that kind). */
export async function reserveMethod({ kind, amount, validForMs = DEFAULT_VALIDITY_MS, now = new Date() }: ReserveInput): Promise<Reserved | null> {
	if (amount <= 0n) throw new Error('reserveMethod: amount must be positive')
	return prisma.$transaction(async (tx) => {
		const candidates = await eligibleMethods(tx, kind, amount, now)
		const skipped: number[] = []
		for (const id of candidates) {
			const r = await tryMethod(tx, id, amount, now, validForMs, 'skip')
			if (r === 'locked') skipped.push(id)
			else if (r) return r
		}
		for (const id of skipped) {
			const r = await tryMethod(tx, id, amount, now, validForMs, 'wait')
			if (r && r !== 'locked') return r
		}
		return null
	})
}

/** Gives the room back (the payer chose another method or cancelled). false when already released or used. */
export async function releaseReservation(id: bigint): Promise<boolean> {
	const { count } = await prisma.paymentReservation.updateMany({ where: { id, released: false, usedAt: null }, data: { released: true } })
	return count > 0
}

/**
 * Active methods of `kind` that accept `amount` at this Tehran time of day, in rotation order:
 * priority, then least used today (count, then amount), then id. Usage here is a hint (no lock).
 */
async function eligibleMethods(tx: Tx, kind: MethodKind, amount: bigint, now: Date) {
	const rows = await tx.$queryRaw<Array<{ id: number }>>`
		with clock as (
			select (extract(hour from ${now}::timestamptz at time zone ${TEHRAN}) * 60 + extract(minute from ${now}::timestamptz at time zone ${TEHRAN}))::int as m
		), used as (
			select r.method_id, count(*) as n, sum(r.amount) as total from payment_reservations r where ${countsToday(now)} group by r.method_id
		)
		select m.id from payment_methods m
		cross join clock
		left join used u on u.method_id = m.id
		where m.kind = ${kind}::"PaymentMethodKind" and m.active
			and (m.min_amount is null or m.min_amount <= ${amount})
			and (m.max_amount is null or m.max_amount >= ${amount})
			and (m.active_from is null
				or (m.active_from < m.active_to and clock.m >= m.active_from and clock.m < m.active_to)
				or (m.active_from > m.active_to and (clock.m >= m.active_from or clock.m < m.active_to)))
			and (m.daily_count_limit is null or coalesce(u.n, 0) < m.daily_count_limit)
			and (m.daily_amount_limit is null or coalesce(u.total, 0) + ${amount} <= m.daily_amount_limit)
		order by m.priority, coalesce(u.n, 0), coalesce(u.total, 0), m.id`
	return rows.map((r) => r.id)
}

/** Under a savepoint: lock the method, recheck its room with a fresh statement, reserve. */
async function tryMethod(tx: Tx, id: number, amount: bigint, now: Date, validForMs: number, mode: 'skip' | 'wait'): Promise<Reserved | 'locked' | null> {
	await tx.$executeRaw`savepoint pick_method`
	const locked = mode === 'skip'
		? await tx.$queryRaw<Array<{ id: number }>>`select id from payment_methods where id = ${id} and active for update skip locked`
		: await tx.$queryRaw<Array<{ id: number }>>`select id from payment_methods where id = ${id} and active for update`
	if (!locked.length) {
		await tx.$executeRaw`rollback to savepoint pick_method`
		// skipped because another payer holds it, or (after waiting) it was deactivated meanwhile
		return mode === 'skip' ? 'locked' : null
	}
	const method = await tx.paymentMethod.findUniqueOrThrow({ where: { id } })
	const used = (await usageToday(now, [id], tx)).get(id) ?? { count: 0, amount: 0n }
	if (!hasRoom(method, used, amount)) {
		await tx.$executeRaw`rollback to savepoint pick_method`
		return null
	}
	const reservation = await tx.paymentReservation.create({ data: { methodId: id, amount, reservedAt: now, expiresAt: new Date(now.getTime() + validForMs) } })
	await tx.$executeRaw`release savepoint pick_method`
	await alertOnLimits(tx, method, { count: used.count + 1, amount: used.amount + amount }, now)
	return { method, reservation }
}

function hasRoom(m: PaymentMethod, used: { count: number; amount: bigint }, amount: bigint) {
	if (m.dailyCountLimit != null && used.count + 1 > m.dailyCountLimit) return false
	if (m.dailyAmountLimit != null && used.amount + amount > m.dailyAmountLimit) return false
	return true
}

/** The fuller of the two limits, as a percentage (0 without limits). */
export function fullestPercent(m: Pick<PaymentMethod, 'dailyCountLimit' | 'dailyAmountLimit'>, used: { count: number; amount: bigint }) {
	const byCount = m.dailyCountLimit ? (used.count * 100) / m.dailyCountLimit : 0
	const byAmount = m.dailyAmountLimit ? Number((used.amount * 10_000n) / m.dailyAmountLimit) / 100 : 0
	return Math.max(byCount, byAmount)
}

/**
 * Once per method and Tehran day each: past 80 % of a limit, and exhausted (no further payment fits:
 * the count is reached, or what is left of the amount is below the method's minimum, or nothing).
 */
async function alertOnLimits(tx: Tx, m: PaymentMethod, used: { count: number; amount: bigint }, now: Date) {
	const percent = fullestPercent(m, used)
	if (percent < ALERT_PERCENT) return
	const day = await tehranDate(now, tx)
	const data = { methodId: m.id, alias: m.alias, kind: m.kind, day, usedCount: used.count, usedAmount: String(used.amount) }
	await notify({ audience: 'admin', kind: 'payment_method_limit', data: { ...data, percent: ALERT_PERCENT }, dedupeKey: `pm_limit${ALERT_PERCENT}:${m.id}:${day}` }, tx)
	const countGone = m.dailyCountLimit != null && used.count >= m.dailyCountLimit
	const amountGone = m.dailyAmountLimit != null && m.dailyAmountLimit - used.amount < (m.minAmount ?? 1n)
	if (countGone || amountGone) await notify({ audience: 'admin', kind: 'payment_method_exhausted', data, dedupeKey: `pm_exhausted:${m.id}:${day}` }, tx)
}
