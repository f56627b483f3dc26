import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { NodeForm } from '~/components/node-form'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { ConfirmButton } from '~/components/ui/dialog'
import { StatusPill } from '~/components/ui/status-pill'
import { publicNode } from '~/models/node.server'
import { NodeFormSchema } from '~/models/node-form'
import { softDeleteNode, testNode, updateNode } from '~/services/nodes.server'
import { requireAdmin } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { checkErrors } from '~/utils/node-errors'
import { redirectWithToast } from '~/utils/toast.server'
import { readForm } from '~/utils/form-data.server'
import { dbId } from '~/utils/validation'

const Params = z.object({ id: dbId })

async function findNode(params: unknown) {
	const parsed = Params.safeParse(params)
	if (!parsed.success) throw new Response('Not found', { status: 404 })
	const node = await prisma.node.findFirst({ where: { id: parsed.data.id, deletedAt: null } })
	if (!node) throw new Response('Not found', { status: 404 })
	return node
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	return { node: publicNode(await findNode(params)) }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const node = await findNode(params)
	const formData = await readForm(request)
	const intent = formData.get('intent')
	if (intent === 'test') {
		const check = await testNode(node.id)
		return check.ok
			? redirectWithToast(`/admin/nodes/${node.id}`, { type: 'success', key: 'nodes.testOk', values: { version: check.version, latency: check.latencyMs } })
			: redirectWithToast(`/admin/nodes/${node.id}`, { type: 'error', key: `nodes.errors.${check.code}` })
	}
	if (intent === 'delete') {
		await softDeleteNode(node.id, admin.id)
		return redirectWithToast('/admin/nodes', { type: 'success', key: 'nodes.deleted' })
	}
	if (intent !== 'save') return data({ result: null }, { status: 400 })
	formData.set('kind', node.kind) // the kind of a node never changes
	const submission = parseWithZod(formData, { schema: NodeFormSchema })
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['password', 'apiKey'] }) }, { status: 400 })
	const result = await updateNode(node.id, submission.value, admin.id)
	if (!result.ok) {
		return data({ result: submission.reply({ hideFields: ['password', 'apiKey'], formErrors: result.check ? checkErrors(result.check) : undefined }) }, { status: result.check ? 422 : 400 })
	}
	return redirectWithToast(`/admin/nodes/${node.id}`, { type: 'success', key: 'nodes.saved' })
}

export default function EditNode() {
	const { node } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={node.name} action={<StatusPill tone={node.health === 'ok' ? 'green' : node.health === 'down' ? 'red' : 'gray'} label={t(`status.${node.health === 'unknown' ? 'unknown' : node.health}`)} />} />
			<Card className="mb-4">
				<CardTitle
					action={
						<Form method="post">
							<Button type="submit" name="intent" value="test" size="sm" variant="secondary">{t('nodes.test')}</Button>
						</Form>
					}
				>
					{t(`nodes.kinds.${node.kind}`)}
				</CardTitle>
				<dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
					<div><dt className="text-gray-500">{t('nodes.version')}</dt><dd dir="ltr" data-testid="node-version">{node.lastVersion ?? '–'}</dd></div>
					<div><dt className="text-gray-500">{t('nodes.latency')}</dt><dd>{node.lastLatencyMs == null ? '–' : `${formatNumber(lang, node.lastLatencyMs)} ms`}</dd></div>
					<div><dt className="text-gray-500">{t('nodes.lastCheck')}</dt><dd>{node.lastCheckAt ? formatDate(lang, node.lastCheckAt, 'datetime') : t('nodes.never')}</dd></div>
					<div className="col-span-2 sm:col-span-1"><dt className="text-gray-500">{t('nodes.health')}</dt><dd className="break-words text-red-600" data-testid="node-error">{node.lastError ?? ''}</dd></div>
				</dl>
			</Card>
			<NodeForm
				kind={node.kind}
				editing
				available={node.options.available}
				lastResult={actionData?.result ?? undefined}
				submitLabel={t('nodes.save')}
				defaults={{
					name: node.name,
					baseUrl: node.baseUrl,
					host: node.host,
					port: node.port,
					transport: node.transport,
					tls: node.tls,
					verifyTls: node.verifyTls,
					usageMultiplier: String(node.usageMultiplierPermille / 1000),
					selected: node.options.selected,
					wgInterface: node.options.wgInterface,
					wgEndpoint: node.options.wgEndpoint,
					wgDns: node.options.wgDns,
					wgTimezone: node.options.wgTimezone,
					publicBaseUrl: node.options.publicBaseUrl,
					hasUsername: node.hasUsername,
					hasPassword: node.hasPassword,
					hasApiKey: node.hasApiKey,
				}}
			/>
			<Form method="post" className="mt-6">
				<input type="hidden" name="intent" value="delete" />
				<ConfirmButton variant="danger" name="intent" value="delete" kind="delete_node" title={t('nodes.delete')} body={t('nodes.deleteBody')}>{t('nodes.delete')}</ConfirmButton>
			</Form>
		</>
	)
}
