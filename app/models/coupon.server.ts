// Coupons for the admin (issue 12): keyset list, create / update, audited in the same transaction.
import { audit } from '~/utils/audit.server'
import { prisma } from '~/utils/db.server'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'
import type { CouponForm } from './coupon-form'

export async function listCoupons({ q, after }: { q: string; after?: number }) {
	const rows = await prisma.coupon.findMany({
		where: { ...(q ? { code: { contains: q.toUpperCase() } } : {}), ...(after ? { id: { lt: after } } : {}) },
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
	})
	return paginate(rows)
}

export const findCoupon = (id: number) => prisma.coupon.findUnique({ where: { id } })

const snapshot = (f: object) => JSON.parse(JSON.stringify(f, (_k, v) => (typeof v === 'bigint' ? String(v) : v)))

/** Creates (no id) or updates; a taken code is reported as 'taken'. The use count is never edited here. */
export async function saveCoupon(form: CouponForm, actorId: number, id?: number): Promise<number | 'taken'> {
	const taken = await prisma.coupon.findFirst({ where: { code: form.code, ...(id ? { id: { not: id } } : {}) }, select: { id: true } })
	if (taken) return 'taken'
	return prisma.$transaction(async (tx) => {
		if (id == null) {
			const c = await tx.coupon.create({ data: form })
			await audit({ actorId, action: 'coupon.create', entityType: 'coupon', entityId: c.id, after: snapshot(form) }, tx)
			return c.id
		}
		const before = await tx.coupon.findUnique({ where: { id } })
		if (!before) throw new Response('Not found', { status: 404 })
		await tx.coupon.update({ where: { id }, data: form })
		await audit({ actorId, action: 'coupon.update', entityType: 'coupon', entityId: id, before: snapshot(before), after: snapshot(form) }, tx)
		return id
	})
}

export const couponChoices = async () => ({
	plans: await prisma.plan.findMany({ where: { visibility: 'public' }, orderBy: { id: 'asc' }, select: { id: true, name: true } }),
	categories: await prisma.planCategory.findMany({ orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }], select: { id: true, name: true } }),
})
