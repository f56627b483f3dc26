import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CouponForm, emptyCoupon } from '~/components/coupon-form'
import { PageHeader } from '~/components/shell'
import { couponChoices } from '~/models/coupon.server'
import { submitCoupon } from '~/services/invoices/coupon-admin.server'
import { requireAdmin } from '~/utils/auth.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	return { choices: await couponChoices() }
}

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	return submitCoupon(request, admin.id)
}

export default function NewCoupon() {
	const { choices } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<>
			<PageHeader title={t('invoices.coupons.add')} />
			<CouponForm defaults={emptyCoupon} errors={actionData && 'errors' in actionData ? actionData.errors : null} choices={choices} />
		</>
	)
}
