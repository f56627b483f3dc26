import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PaymentMethodForm } from '~/components/payment-method-form'
import { PageHeader } from '~/components/shell'
import { cn } from '~/components/ui/cn'
import { emptyPaymentMethod, METHOD_KINDS, PaymentMethodFormSchema, type MethodKind } from '~/models/payment-method-form'
import { savePaymentMethod } from '~/models/payment-method.server'
import { requireAdmin } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { redirectWithToast } from '~/utils/toast.server'

/** The kind comes from ?kind= (links work without JavaScript); anything else means a card. */
function kindOf(request: Request): MethodKind {
	const k = new URL(request.url).searchParams.get('kind')
	return (METHOD_KINDS as readonly string[]).includes(k ?? '') ? (k as MethodKind) : 'card'
}

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	return { kind: kindOf(request) }
}

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const submission = parseWithZod(await readForm(request), { schema: PaymentMethodFormSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const id = await savePaymentMethod(submission.value, admin.id)
	return redirectWithToast(`/admin/payment-methods/${id}`, { type: 'success', key: 'payments.methods.created' })
}

export default function NewPaymentMethod() {
	const { kind } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<>
			<PageHeader title={t('payments.methods.add')} />
			<nav aria-label={t('payments.methods.fields.kind')} className="mb-4 flex flex-wrap gap-2">
				{METHOD_KINDS.map((k) => (
					<Link key={k} to={`?kind=${k}`} aria-current={k === kind ? 'page' : undefined} className={cn('rounded-lg px-3 py-1.5 text-sm ring-1 ring-gray-300 dark:ring-gray-700', k === kind && 'bg-accent text-white ring-accent')}>
						{t(`payments.methods.kinds.${k}`)}
					</Link>
				))}
			</nav>
			<PaymentMethodForm key={kind} defaults={{ ...emptyPaymentMethod, kind }} lastResult={actionData?.result} submitLabel={t('payments.methods.create')} />
		</>
	)
}
