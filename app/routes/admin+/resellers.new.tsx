import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ResellerForm } from '~/components/reseller-form'
import { PageHeader } from '~/components/shell'
import { selectableNodes } from '~/models/plan.server'
import { emptyReseller, resellerFormSchema } from '~/models/reseller-form'
import { createReseller } from '~/models/reseller.server'
import { requireAdmin } from '~/utils/auth.server'
import { redirectWithToast } from '~/utils/toast.server'
import { readForm } from '~/utils/form-data.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const nodes = await selectableNodes()
	return { nodes, defaults: emptyReseller(nodes) }
}

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const submission = parseWithZod(await readForm(request), { schema: resellerFormSchema('create') })
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
	const saved = await createReseller(submission.value, admin.id)
	if (!saved.ok) return data({ result: submission.reply({ hideFields: ['password'], fieldErrors: saved.fieldErrors }) }, { status: 400 })
	return redirectWithToast(`/admin/resellers/${saved.id}`, { type: 'success', key: 'adminBilling.resellers.created' })
}

export default function NewReseller() {
	const { nodes, defaults } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<>
			<PageHeader title={t('adminBilling.resellers.add')} />
			<ResellerForm mode="create" nodes={nodes} defaults={defaults} lastResult={actionData?.result} submitLabel={t('adminBilling.resellers.create')} />
		</>
	)
}
