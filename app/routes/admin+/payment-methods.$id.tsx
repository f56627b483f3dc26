import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PaymentMethodForm } from '~/components/payment-method-form'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { ConfirmButton } from '~/components/ui/dialog'
import { StatusPill } from '~/components/ui/status-pill'
import { clockText, PaymentMethodFormSchema, type PaymentMethodFormDefaults } from '~/models/payment-method-form'
import { findPaymentMethod, savePaymentMethod, setPaymentMethodActive } from '~/models/payment-method.server'
import { requireAdmin } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { redirectWithToast } from '~/utils/toast.server'
import { idParam } from '~/utils/validation'

async function loadMethod(params: Record<string, string | undefined>) {
	const method = await findPaymentMethod(idParam(params))
	if (!method) throw new Response('Not found', { status: 404 })
	return method
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const m = await loadMethod(params)
	const d = (m.details ?? {}) as Record<string, string | undefined>
	const str = (v: bigint | number | null) => (v == null ? '' : String(v))
	const defaults: PaymentMethodFormDefaults = {
		kind: m.kind,
		alias: m.alias,
		priority: String(m.priority),
		minAmount: str(m.minAmount),
		maxAmount: str(m.maxAmount),
		dailyCountLimit: str(m.dailyCountLimit),
		dailyAmountLimit: str(m.dailyAmountLimit),
		activeFrom: clockText(m.activeFrom),
		activeTo: clockText(m.activeTo),
		active: m.active,
		holder: d.holder ?? '',
		bank: d.bank ?? '',
		cardNumber: d.number ?? '',
		sheba: d.sheba ?? '',
		asset: d.asset ?? '',
		network: d.network ?? '',
		address: d.address ?? '',
		memo: d.memo ?? '',
	}
	return { method: { id: m.id, alias: m.alias, active: m.active }, defaults }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const method = await loadMethod(params)
	const formData = await readForm(request)
	const intent = formData.get('intent')
	if (intent === 'deactivate' || intent === 'activate') {
		await setPaymentMethodActive(method.id, intent === 'activate', admin.id)
		return redirectWithToast(`/admin/payment-methods/${method.id}`, { type: 'success', key: intent === 'activate' ? 'payments.methods.activated' : 'payments.methods.deactivated' })
	}
	if (intent !== 'save') return data({ result: null }, { status: 400 })
	// the kind is fixed once created: its details and the reservations made against it belong together
	formData.set('kind', method.kind)
	const submission = parseWithZod(formData, { schema: PaymentMethodFormSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	await savePaymentMethod(submission.value, admin.id, method.id)
	return redirectWithToast(`/admin/payment-methods/${method.id}`, { type: 'success', key: 'payments.methods.saved' })
}

export default function EditPaymentMethod() {
	const { method, defaults } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<>
			<PageHeader title={method.alias} action={<StatusPill tone={method.active ? 'green' : 'gray'} label={t(method.active ? 'payments.methods.active' : 'payments.methods.inactive')} />} />
			<PaymentMethodForm defaults={defaults} lastResult={actionData?.result} submitLabel={t('payments.methods.save')} />
			<Form method="post" className="mt-6">
				{method.active ? (
					<>
						<input type="hidden" name="intent" value="deactivate" />
						<ConfirmButton variant="danger" name="intent" value="deactivate" title={t('payments.methods.deactivate')} body={t('payments.methods.deactivateBody')}>{t('payments.methods.deactivate')}</ConfirmButton>
					</>
				) : (
					<Button type="submit" name="intent" value="activate" variant="secondary">{t('payments.methods.activate')}</Button>
				)}
			</Form>
		</>
	)
}
