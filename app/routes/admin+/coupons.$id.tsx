import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CouponForm, type CouponDefaults } from '~/components/coupon-form'
import { PageHeader } from '~/components/shell'
import { couponValueText, tehranDayText } from '~/models/coupon-form'
import { couponChoices, findCoupon } from '~/models/coupon.server'
import { submitCoupon } from '~/services/invoices/coupon-admin.server'
import { requireAdmin } from '~/utils/auth.server'
import { idParam } from '~/utils/validation'

async function load(params: Record<string, string | undefined>) {
	const c = await findCoupon(idParam(params))
	if (!c) throw new Response('Not found', { status: 404 })
	return c
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const c = await load(params)
	const str = (v: number | bigint | null) => (v == null ? '' : String(v))
	const defaults: CouponDefaults = {
		code: c.code,
		kind: c.kind,
		value: couponValueText(c.kind, c.value),
		planIds: c.planIds,
		categoryIds: c.categoryIds,
		minSubtotal: c.minSubtotal ? String(c.minSubtotal) : '',
		maxUses: str(c.maxUses),
		maxUsesPerUser: str(c.maxUsesPerUser),
		firstPurchaseOnly: c.firstPurchaseOnly,
		active: c.active,
		validFrom: tehranDayText(c.validFrom),
		validTo: tehranDayText(c.validTo),
	}
	return { id: c.id, uses: c.uses, defaults, choices: await couponChoices() }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const c = await load(params)
	return submitCoupon(request, admin.id, c.id)
}

export default function EditCoupon() {
	const { defaults, choices } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<>
			<PageHeader title={`${t('invoices.coupons.edit')} ${defaults.code}`} />
			<CouponForm key={defaults.code} defaults={defaults} errors={actionData && 'errors' in actionData ? actionData.errors : null} choices={choices} />
		</>
	)
}
