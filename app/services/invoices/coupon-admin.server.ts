// The coupon form's submit for both admin routes: parse (repeated plan/category fields kept),
// save, and answer with field errors as translation keys.
import { data } from '@remix-run/node'
import { CouponFormSchema } from '~/models/coupon-form'
import { saveCoupon } from '~/models/coupon.server'
import { readForm } from '~/utils/form-data.server'
import { redirectWithToast } from '~/utils/toast.server'

export async function submitCoupon(request: Request, actorId: number, id?: number) {
	const form = await readForm(request)
	const fields: Record<string, unknown> = {}
	for (const [k, v] of form.entries()) if (typeof v === 'string' && k !== 'planIds' && k !== 'categoryIds') fields[k] = v
	fields.planIds = form.getAll('planIds').filter((v) => typeof v === 'string')
	fields.categoryIds = form.getAll('categoryIds').filter((v) => typeof v === 'string')
	const parsed = CouponFormSchema.safeParse(fields)
	if (!parsed.success) {
		const errors: Record<string, string[]> = {}
		for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? 'code')] ??= []).push(issue.message)
		return data({ errors }, { status: 400 })
	}
	const saved = await saveCoupon(parsed.data, actorId, id)
	if (saved === 'taken') return data({ errors: { code: ['invoices.coupons.errors.taken'] } as Record<string, string[]> }, { status: 400 })
	return redirectWithToast(`/admin/coupons/${saved}`, { type: 'success', key: 'invoices.coupons.saved' })
}
