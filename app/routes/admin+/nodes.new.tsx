import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { NodeForm } from '~/components/node-form'
import { PageHeader } from '~/components/shell'
import { Card } from '~/components/ui/card'
import { NodeFormSchema } from '~/models/node-form'
import { createNode } from '~/services/nodes.server'
import { NODE_KINDS } from '~/services/panels/types'
import { requireAdmin } from '~/utils/auth.server'
import { checkErrors } from '~/utils/node-errors'
import { redirectWithToast } from '~/utils/toast.server'
import { readForm } from '~/utils/form-data.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const kind = z.enum(NODE_KINDS).safeParse(new URL(request.url).searchParams.get('kind'))
	return { kind: kind.success ? kind.data : null }
}

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const submission = parseWithZod(await readForm(request), { schema: NodeFormSchema })
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['password', 'apiKey'] }) }, { status: 400 })
	const result = await createNode(submission.value, admin.id)
	if (!result.ok) {
		return data(
			{ result: submission.reply({ hideFields: ['password', 'apiKey'], fieldErrors: result.fieldErrors, formErrors: result.check ? checkErrors(result.check) : undefined }) },
			{ status: result.check?.code === 'timeout' ? 504 : result.check ? 422 : 400 },
		)
	}
	return redirectWithToast(`/admin/nodes/${result.nodeId}`, { type: 'success', key: 'nodes.created' })
}

export default function NewNode() {
	const { kind } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<>
			<PageHeader title={t('nodes.add')} />
			{kind ? (
				<NodeForm kind={kind} lastResult={actionData?.result} submitLabel={t('nodes.create')} />
			) : (
				<Card>
					<p className="mb-3 text-sm font-medium">{t('nodes.chooseKind')}</p>
					<div className="grid gap-2 sm:grid-cols-2">
						{NODE_KINDS.map((k) => (
							<Link key={k} to={`?kind=${k}`} className="rounded-lg px-3 py-3 text-sm font-medium ring-1 ring-gray-200 hover:bg-gray-50 dark:ring-gray-800 dark:hover:bg-gray-800">
								{t(`nodes.kinds.${k}`)}
							</Link>
						))}
					</div>
				</Card>
			)}
		</>
	)
}
