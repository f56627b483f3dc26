import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { randomBytes } from 'node:crypto'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { CheckoutForm } from '~/components/checkout-form'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { inputClass } from '~/components/forms'
import { InvoiceView } from '~/components/invoice-view'
import { Button } from '~/components/ui/button'
import { CheckoutSchema } from '~/models/invoice-form'
import { createDraft } from '~/services/invoices/checkout.server'
import { InvoiceError } from '~/services/invoices/errors'
import { invoiceFailure, invoiceRefusal } from '~/services/invoices/http.server'
import { ownedService } from '~/services/invoices/pricing.server'
import { previewCheckout } from '~/services/invoices/preview.server'
import { getStoreSettings } from '~/services/settings.server'
import { requireCustomer } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { readFormFields } from '~/utils/form-data.server'
import { dbId, idParam, wholeNumber } from '~/utils/validation'

// Renew, add traffic to, or change the plan of one of the user's store services (/account links
// here). The service is looked up with the user's id in the WHERE: another user's is a 404.
const OPS = { renew: 'renew', traffic: 'add_traffic', upgrade: 'change' } as const
const opOf = (params: Record<string, string | undefined>) => {
	const op = params.op as keyof typeof OPS
	if (!(op in OPS)) throw new Response('Not found', { status: 404 })
	return op
}
const Query = z.object({ plan: dbId.optional().catch(undefined), gb: wholeNumber({ min: 1, max: 10_000 }).optional().catch(undefined) })

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	const op = opOf(params)
	const serviceId = idParam(params, 'serviceId')
	const service = await ownedService(prisma, user.id, serviceId).catch((e) => invoiceRefusal(request, e))
	const url = new URL(request.url)
	const q = Query.parse({ plan: url.searchParams.get('plan') ?? undefined, gb: url.searchParams.get('gb') ?? undefined })
	// Plans to change to: the public ones with nodes, other than the current one.
	const plans = op === 'upgrade' ? await prisma.plan.findMany({ where: { active: true, visibility: 'public', id: { not: service.planId ?? 0 }, nodes: { some: {} } }, orderBy: { publicPrice: 'asc' }, select: { id: true, name: true, publicPrice: true, days: true } }) : []
	const planId = op === 'upgrade' ? q.plan : service.planId
	const gb = op === 'traffic' ? (q.gb ?? 10) : undefined
	const preview = planId ? await previewCheckout({ userId: user.id, planId, mode: OPS[op], customerId: service.id, gb }).catch((e) => invoiceRefusal(request, e)) : null
	if (!planId && op !== 'upgrade') return invoiceRefusal(request, new InvoiceError('not_for_sale'))
	return { op, service: { id: service.id, username: service.username }, plans, planId: planId ?? null, gb: gb ?? null, preview, formKey: randomBytes(12).toString('base64url'), display: (await getStoreSettings()).displayCurrency }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireCustomer(request)
	const op = opOf(params)
	const serviceId = idParam(params, 'serviceId')
	const fields = await readFormFields(request)
	const submission = CheckoutSchema.extend({ plan: dbId.optional() }).safeParse(fields)
	if (!submission.success) return data({ error: { key: 'errors.invalid', values: {} } }, { status: 400 })
	try {
		const service = await ownedService(prisma, user.id, serviceId)
		const planId = op === 'upgrade' ? submission.data.plan : service.planId
		if (!planId || (op === 'traffic' && !submission.data.gb)) throw new InvoiceError('not_for_sale')
		const id = await createDraft({ userId: user.id, planId, mode: OPS[op], customerId: service.id, gb: submission.data.gb, formKey: submission.data.formKey, couponCode: submission.data.coupon || null })
		return redirect(`/account/invoices/${id}`)
	} catch (e) {
		return invoiceFailure(e)
	}
}

export default function ServiceCheckout() {
	const { op, service, plans, planId, gb, preview, formKey, display } = useLoaderData<typeof loader>()
	const failure = useActionData<typeof action>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const title = t(`invoices.checkout.mode.${OPS[op]}`)
	return (
		<main className="mx-auto max-w-xl space-y-4 p-4">
			<h1 className="text-2xl font-bold">
				{title} — <bdi>{service.username}</bdi>
			</h1>
			{op === 'upgrade' ? (
				<Form method="get" className="flex gap-2">
					<select name="plan" defaultValue={planId ?? ''} aria-label={t('invoices.checkout.mode.change')} className={inputClass}>
						{plans.map((p) => (
							<option key={p.id} value={p.id}>
								{p.name} — {formatNumber(lang, p.days)} · {formatMoney(lang, p.publicPrice, 'IRR', display)}
							</option>
						))}
					</select>
					<Button type="submit" variant="secondary">{t('invoices.admin.filter')}</Button>
				</Form>
			) : null}
			{op === 'traffic' ? (
				<Form method="get" className="flex items-end gap-2">
					<label className="flex-1 text-sm">
						{t('invoices.checkout.gb')}
						<input name="gb" defaultValue={gb ?? 10} inputMode="numeric" className={inputClass} dir="ltr" />
					</label>
					<Button type="submit" variant="secondary">{t('invoices.admin.filter')}</Button>
				</Form>
			) : null}
			{preview ? (
				<>
					<InvoiceView invoice={preview.invoice} display={display} />
					<CheckoutForm formKey={formKey} failure={failure}>
						{planId ? <input type="hidden" name="plan" value={planId} /> : null}
						{gb ? <input type="hidden" name="gb" value={gb} /> : null}
					</CheckoutForm>
				</>
			) : null}
		</main>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary home="/account/services" />
}
