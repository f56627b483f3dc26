import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { PlanForm } from '~/components/plan-form'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { ConfirmButton } from '~/components/ui/dialog'
import { StatusPill } from '~/components/ui/status-pill'
import { categoryOptions } from '~/models/category.server'
import { PlanFormSchema, rialToTomanInput } from '~/models/plan-form'
import { findPlan, savePlan, selectableNodes, setPlanActive } from '~/models/plan.server'
import { requireAdmin } from '~/utils/auth.server'
import { GB, moneyInput } from '~/utils/money'
import { redirectWithToast } from '~/utils/toast.server'
import { readForm } from '~/utils/form-data.server'
import { dbId } from '~/utils/validation'

const Params = z.object({ id: dbId })

async function loadPlan(params: unknown) {
	const parsed = Params.safeParse(params)
	if (!parsed.success) throw new Response('Not found', { status: 404 })
	const plan = await findPlan(parsed.data.id)
	if (!plan) throw new Response('Not found', { status: 404 })
	return plan
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const plan = await loadPlan(params)
	return {
		plan: { id: plan.id, name: plan.name, active: plan.active },
		nodes: await selectableNodes(),
		categories: await categoryOptions(),
		defaults: {
			name: plan.name,
			days: String(plan.days),
			dataLimitGb: String(plan.dataLimitBytes / GB),
			currency: plan.currency,
			publicPrice: rialToTomanInput(plan.publicPrice),
			resellerPrice: moneyInput(plan.resellerPrice, plan.currency),
			nodeIds: plan.nodes.map((n) => String(n.nodeId)),
			categoryId: plan.categoryId == null ? '' : String(plan.categoryId),
			visibility: plan.visibility,
			trial: plan.trial,
			resetOnRenew: plan.resetOnRenew,
			active: plan.active,
		},
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const plan = await loadPlan(params)
	const formData = await readForm(request)
	const intent = formData.get('intent')
	if (intent === 'deactivate' || intent === 'activate') {
		await setPlanActive(plan.id, intent === 'activate', admin.id)
		return redirectWithToast(`/admin/plans/${plan.id}`, { type: 'success', key: intent === 'activate' ? 'adminBilling.plans.activated' : 'adminBilling.plans.deactivated' })
	}
	if (intent !== 'save') return data({ result: null }, { status: 400 })
	const submission = parseWithZod(formData, { schema: PlanFormSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const saved = await savePlan(submission.value, admin.id, plan.id)
	if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.fieldErrors }) }, { status: 400 })
	return redirectWithToast(`/admin/plans/${plan.id}`, { type: 'success', key: 'adminBilling.plans.saved' })
}

export default function EditPlan() {
	const { plan, nodes, categories, defaults } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<>
			<PageHeader title={plan.name} action={<StatusPill tone={plan.active ? 'green' : 'gray'} label={t(plan.active ? 'adminBilling.plans.active' : 'adminBilling.plans.inactive')} />} />
			<PlanForm nodes={nodes} categories={categories} defaults={defaults} lastResult={actionData?.result} submitLabel={t('adminBilling.plans.save')} />
			<Form method="post" className="mt-6">
				{plan.active ? (
					<>
						<input type="hidden" name="intent" value="deactivate" />
						<ConfirmButton variant="danger" name="intent" value="deactivate" title={t('adminBilling.plans.deactivate')} body={t('adminBilling.plans.deactivateBody')}>{t('adminBilling.plans.deactivate')}</ConfirmButton>
					</>
				) : (
					<Button type="submit" name="intent" value="activate" variant="secondary">{t('adminBilling.plans.activate')}</Button>
				)}
			</Form>
		</>
	)
}
