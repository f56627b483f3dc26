import { randomUUID } from 'node:crypto'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AdjustmentForm, ResellerHistory, ResellerSummary } from '~/components/reseller-admin'
import { ResellerForm } from '~/components/reseller-form'
import { PageHeader } from '~/components/shell'
import { StatusPill } from '~/components/ui/status-pill'
import { selectableNodes } from '~/models/plan.server'
import { adjust } from '~/models/reseller-ledger.server'
import { adjustmentSchema, resellerFormSchema } from '~/models/reseller-form'
import { formDefaults, resellerFromParams, resellerHistory, updateReseller } from '~/models/reseller.server'
import { available } from '~/services/billing/ledger.server'
import { requireAdmin } from '~/utils/auth.server'
import { redirectWithToast } from '~/utils/toast.server'
import { readForm } from '~/utils/form-data.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const r = await resellerFromParams(params)
	const [nodes, history] = await Promise.all([selectableNodes(), resellerHistory(r.id)])
	return {
		reseller: { id: r.id, name: r.name, username: r.user.username, status: r.user.status, fundingModel: r.fundingModel, currency: r.currency, balance: r.balance, creditLimit: r.creditLimit, poolBytes: r.poolBytes, available: available(r) },
		nodes,
		history,
		defaults: formDefaults(r, nodes),
		adjustKey: randomUUID(),
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const reseller = await resellerFromParams(params)
	const formData = await readForm(request)
	const intent = formData.get('intent')
	if (intent === 'adjust') {
		const submission = parseWithZod(formData, { schema: adjustmentSchema(reseller.currency) })
		if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
		const posted = await adjust(reseller.id, submission.value, admin.id)
		if (!posted.ok) return data({ intent, result: submission.reply({ formErrors: [`adminBilling.errors.${posted.code}`] }) }, { status: 400 })
		// a double-submitted form lands here twice; both answers are the same
		return redirectWithToast(`/admin/resellers/${reseller.id}`, { type: 'success', key: 'adminBilling.adjust.done' })
	}
	if (intent !== 'save') return data({ intent: null, result: null }, { status: 400 })
	const submission = parseWithZod(formData, { schema: resellerFormSchema('edit') })
	if (submission.status !== 'success') return data({ intent, result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
	const saved = await updateReseller(reseller, submission.value, admin.id)
	if (!saved.ok) return data({ intent, result: submission.reply({ hideFields: ['password'], fieldErrors: saved.fieldErrors }) }, { status: 400 })
	return redirectWithToast(`/admin/resellers/${reseller.id}`, { type: 'success', key: 'adminBilling.resellers.saved' })
}

export default function EditReseller() {
	const { reseller, nodes, history, defaults, adjustKey } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	const resultOf = (intent: string) => (actionData?.intent === intent ? actionData.result : undefined)
	return (
		<>
			<PageHeader title={reseller.name} action={<StatusPill tone={reseller.status === 'active' ? 'green' : 'gray'} label={t(`status.${reseller.status}`)} />} />
			<ResellerSummary r={reseller} />
			<ResellerForm mode="edit" nodes={nodes} defaults={defaults} lastResult={resultOf('save')} submitLabel={t('adminBilling.resellers.save')} />
			<AdjustmentForm currency={reseller.currency} idempotencyKey={adjustKey} lastResult={resultOf('adjust')} />
			<ResellerHistory events={history} currency={reseller.currency} />
		</>
	)
}
