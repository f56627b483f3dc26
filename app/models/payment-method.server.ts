// Payment methods and what each has used of its Tehran day. A reservation counts while it is
// unexpired and not released, or once a payment used it; the day is [midnight, midnight) in
// Asia/Tehran, computed by Postgres' tz database from the caller's `now` (tests pass their clock).
import { Prisma } from '~/generated/prisma/client'
import { audit } from '~/utils/audit.server'
import { prisma, type Tx } from '~/utils/db.server'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'
import type { PaymentMethodForm } from './payment-method-form'

export const TEHRAN = 'Asia/Tehran'

/** SQL: the start of `now`'s Tehran day, as timestamptz. */
export const tehranDayStart = (now: Date) => Prisma.sql`(date_trunc('day', ${now}::timestamptz at time zone ${TEHRAN}) at time zone ${TEHRAN})`
const tehranDayEnd = (now: Date) => Prisma.sql`((date_trunc('day', ${now}::timestamptz at time zone ${TEHRAN}) + interval '1 day') at time zone ${TEHRAN})`

/** SQL condition on reservation alias `r`: it holds room in `now`'s Tehran day. */
export const countsToday = (now: Date) => Prisma.sql`
	r.reserved_at >= ${tehranDayStart(now)} and r.reserved_at < ${tehranDayEnd(now)}
	and (r.used_at is not null or (not r.released and r.expires_at > ${now}::timestamptz))`

export interface DayUsage {
	count: number
	amount: bigint
}

/** Today's usage of the given methods (all when `ids` is omitted); a method without any is absent. */
export async function usageToday(now: Date, ids?: number[], db: Tx | typeof prisma = prisma): Promise<Map<number, DayUsage>> {
	const rows = await db.$queryRaw<Array<{ method_id: number; count: bigint; amount: bigint }>>`
		select r.method_id, count(*)::bigint as count, coalesce(sum(r.amount), 0)::bigint as amount
		from payment_reservations r
		where ${countsToday(now)} ${ids ? Prisma.sql`and r.method_id = any(${ids}::int[])` : Prisma.empty}
		group by r.method_id`
	return new Map(rows.map((r) => [r.method_id, { count: Number(r.count), amount: r.amount }]))
}

/** The Tehran calendar date of `now` (YYYY-MM-DD), e.g. for a notification's dedupe key. */
export async function tehranDate(now: Date, db: Tx | typeof prisma = prisma) {
	const [row] = await db.$queryRaw<Array<{ d: string }>>`select to_char(${now}::timestamptz at time zone ${TEHRAN}, 'YYYY-MM-DD') as d`
	return row!.d
}

export async function listPaymentMethods({ q, after, now = new Date() }: { q: string; after?: number; now?: Date }) {
	const rows = await prisma.paymentMethod.findMany({
		where: { ...(q ? { alias: { contains: q, mode: 'insensitive' } } : {}), ...(after ? { id: { lt: after } } : {}) },
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
	})
	const page = paginate(rows)
	const usage = await usageToday(now, page.rows.map((r) => r.id))
	return { ...page, rows: page.rows.map((r) => ({ ...r, usedCount: usage.get(r.id)?.count ?? 0, usedAmount: usage.get(r.id)?.amount ?? 0n })) }
}

export function findPaymentMethod(id: number) {
	return prisma.paymentMethod.findUnique({ where: { id } })
}

const snapshot = (m: PaymentMethodForm | Prisma.PaymentMethodGetPayload<object>) =>
	JSON.parse(JSON.stringify({ ...m, id: undefined, createdAt: undefined, updatedAt: undefined }, (_k, v) => (typeof v === 'bigint' ? String(v) : v))) as Prisma.InputJsonValue

/** Creates (no id) or updates a method; audited in the same transaction. */
export async function savePaymentMethod(form: PaymentMethodForm, actorId: number, id?: number) {
	return prisma.$transaction(async (tx) => {
		if (id == null) {
			const m = await tx.paymentMethod.create({ data: form })
			await audit({ actorId, action: 'payment_method.create', entityType: 'payment_method', entityId: m.id, after: snapshot(form) }, tx)
			return m.id
		}
		const before = await tx.paymentMethod.findUnique({ where: { id } })
		if (!before) throw new Response('Not found', { status: 404 })
		await tx.paymentMethod.update({ where: { id }, data: form })
		await audit({ actorId, action: 'payment_method.update', entityType: 'payment_method', entityId: id, before: snapshot(before), after: snapshot(form) }, tx)
		return id
	})
}

export async function setPaymentMethodActive(id: number, active: boolean, actorId: number) {
	await prisma.$transaction(async (tx) => {
		const { count } = await tx.paymentMethod.updateMany({ where: { id, active: !active }, data: { active } })
		if (count) await audit({ actorId, action: active ? 'payment_method.activate' : 'payment_method.deactivate', entityType: 'payment_method', entityId: id, before: { active: !active }, after: { active } }, tx)
	})
}
