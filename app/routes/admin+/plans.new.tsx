import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PlanForm } from '~/components/plan-form'
import { PageHeader } from '~/components/shell'
import { emptyPlan, PlanFormSchema } from '~/models/plan-form'
import { categoryOptions } from '~/models/category.server'
import { savePlan, selectableNodes } from '~/models/plan.server'
import { requireAdmin } from '~/utils/auth.server'
import { redirectWithToast } from '~/utils/toast.server'
import { readForm } from '~/utils/form-data.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	return { nodes: await selectableNodes(), categories: await categoryOptions() }
}

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const submission = parseWithZod(await readForm(request), { schema: PlanFormSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const saved = await savePlan(submission.value, admin.id)
	if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.fieldErrors }) }, { status: 400 })
	return redirectWithToast(`/admin/plans/${saved.id}`, { type: 'success', key: 'adminBilling.plans.created' })
}

export default function NewPlan() {
	const { nodes, categories } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<>
			<PageHeader title={t('adminBilling.plans.add')} />
			<PlanForm nodes={nodes} categories={categories} defaults={emptyPlan} lastResult={actionData?.result} submitLabel={t('adminBilling.plans.create')} />
		</>
	)
}
