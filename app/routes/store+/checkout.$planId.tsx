import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { randomBytes } from 'node:crypto'
import { useTranslation } from 'react-i18next'
import { CheckoutForm } from '~/components/checkout-form'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { InvoiceView } from '~/components/invoice-view'
import { CheckoutSchema } from '~/models/invoice-form'
import { createDraft } from '~/services/invoices/checkout.server'
import { invoiceFailure, invoiceRefusal } from '~/services/invoices/http.server'
import { previewCheckout } from '~/services/invoices/preview.server'
import { getStoreSettings } from '~/services/settings.server'
import { requireCustomer } from '~/utils/auth.server'
import { readFormFields } from '~/utils/form-data.server'
import { idParam } from '~/utils/validation'

// A new purchase of a public plan. In an exclusive category where the user already has a
// service, the preview (and the draft) is that service's renewal or change of plan instead.
export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	const planId = idParam(params, 'planId')
	const preview = await previewCheckout({ userId: user.id, planId, mode: 'new' }).catch((e) => invoiceRefusal(request, e))
	return { preview, formKey: randomBytes(12).toString('base64url'), display: (await getStoreSettings()).displayCurrency }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireCustomer(request)
	const planId = idParam(params, 'planId')
	const submission = CheckoutSchema.safeParse(await readFormFields(request))
	if (!submission.success) return data({ error: { key: 'errors.invalid', values: {} } }, { status: 400 })
	try {
		const id = await createDraft({ userId: user.id, planId, mode: 'new', formKey: submission.data.formKey, couponCode: submission.data.coupon || null })
		return redirect(`/account/invoices/${id}`)
	} catch (e) {
		return invoiceFailure(e)
	}
}

export default function Checkout() {
	const { preview, formKey, display } = useLoaderData<typeof loader>()
	const failure = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<main className="mx-auto max-w-xl space-y-4 p-4">
			<h1 className="text-2xl font-bold">{t('invoices.checkout.title')}</h1>
			<InvoiceView invoice={preview.invoice} display={display} />
			<CheckoutForm formKey={formKey} failure={failure} />
		</main>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary home="/" />
}
