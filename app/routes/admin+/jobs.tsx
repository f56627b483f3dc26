import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { HoldsCard, NodesCard, TasksCard } from '~/components/jobs-console'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { DataTable } from '~/components/ui/data-table'
import { ConfirmButton } from '~/components/ui/dialog'
import { StatusPill } from '~/components/ui/status-pill'
import { failedJobs, nodeSyncHealth, pendingHolds, taskSummaries } from '~/models/jobs-console.server'
import { discardJob, retryJob } from '~/models/worker-jobs.server'
import { UsageError } from '~/services/usage/errors'
import { approveHold, rejectHold } from '~/services/usage/holds.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { parseListParams } from '~/utils/pagination.server'
import { redirectWithToast } from '~/utils/toast.server'
import { readFormFields } from '~/utils/form-data.server'
import { dbId } from '~/utils/validation'

const jobId = z.string().regex(/^\d{1,18}$/)
const holdId = dbId
const ActionSchema = z.discriminatedUnion('intent', [
	z.object({ intent: z.literal('retry'), jobId }),
	z.object({ intent: z.literal('discard'), jobId }),
	z.object({ intent: z.literal('approve_hold'), holdId }),
	z.object({ intent: z.literal('reject_hold'), holdId }),
])

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const { q, after } = parseListParams(request)
	const now = new Date()
	const [tasks, nodes, failed, holds] = await Promise.all([taskSummaries(now), nodeSyncHealth(now), failedJobs({ q, after }), pendingHolds()])
	return { q, tasks, nodes, failed, holds }
}

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const parsed = ActionSchema.safeParse(await readFormFields(request))
	if (!parsed.success) return data({ error: 'errors.badRequest' }, { status: 400 })
	const url = new URL(request.url)
	const back = `${url.pathname}${url.search}`
	const a = parsed.data
	if (a.intent === 'retry' || a.intent === 'discard') {
		const result = a.intent === 'retry' ? await retryJob(a.jobId, admin.id) : await discardJob(a.jobId, admin.id)
		if (result === 'not_found') throw new Response('Not found', { status: 404 })
		return redirectWithToast(back, { type: result === 'done' ? 'success' : 'error', key: `automation.jobs.toast.${a.intent}.${result}`, values: { id: a.jobId } })
	}
	try {
		// the holds service audits the decision in its own transaction
		await (a.intent === 'approve_hold' ? approveHold : rejectHold)(a.holdId, admin.id)
	} catch (e) {
		if (!(e instanceof UsageError)) throw e
		if (e.code === 'not_found') throw new Response('Not found', { status: 404 })
		return redirectWithToast(back, { type: 'error', key: 'automation.jobs.toast.hold_decided' })
	}
	return redirectWithToast(back, { type: 'success', key: `automation.jobs.toast.${a.intent}` })
}

export default function JobsConsole() {
	const { q, tasks, nodes, failed, holds } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const j = (k: string) => t(`automation.jobs.failed.${k}`)
	return (
		<>
			<PageHeader title={t('automation.jobs.title')} />
			<div className="space-y-4">
				<TasksCard tasks={tasks} />
				<NodesCard nodes={nodes} />
				<HoldsCard holds={holds.rows} total={holds.total} />
				<Card>
					<CardTitle>{j('title')}</CardTitle>
					<DataTable
						rows={failed.rows}
						q={q}
						nextCursor={failed.nextCursor}
						rowKey={(r) => r.id}
						searchPlaceholder={j('search')}
						emptyTitle={j('empty')}
						columns={[
							{
								key: 'task',
								header: j('task'),
								cell: (r) => (
									<>
										<code className="text-xs font-medium">{r.task}</code>
										<span className="block text-xs text-gray-500" dir="ltr">#{r.id}{r.queue ? ` · ${r.queue}` : ''}</span>
									</>
								),
							},
							{
								key: 'attempts',
								header: j('attempts'),
								cell: (r) => (
									<>
										<span className="tabular-nums">{formatNumber(lang, r.attempts)} / {formatNumber(lang, r.maxAttempts)}</span>
										<span className="block">
											{r.locked ? <StatusPill tone="green" label={j('running')} /> : r.attempts >= r.maxAttempts ? <StatusPill tone="red" label={j('gaveUp')} pulse={false} /> : <StatusPill tone="amber" label={t('automation.jobs.failed.retriesAt', { at: formatDate(lang, r.runAt, 'datetime') })} pulse={false} />}
										</span>
									</>
								),
							},
							{
								key: 'error',
								header: j('error'),
								className: 'px-3 py-2 align-top text-gray-700 dark:text-gray-300',
								cell: (r) => (
									<div className="max-w-md min-w-48">
										<p className="text-xs break-words text-red-600" data-testid="job-error">{r.lastError}</p>
										<p className="mt-1 text-xs text-gray-500">{t('automation.jobs.failed.updated', { at: formatDate(lang, r.updatedAt, 'datetime') })}</p>
										<details className="mt-1 text-xs">
											<summary className="cursor-pointer text-gray-500">{j('payload')}</summary>
											<pre className="mt-1 whitespace-pre-wrap break-all text-gray-600 dark:text-gray-400" dir="ltr">{r.payload}</pre>
										</details>
									</div>
								),
							},
							{
								key: 'actions',
								header: j('actions'),
								cell: (r) => (
									<Form method="post" className="flex gap-2">
										<input type="hidden" name="jobId" value={r.id} />
										<Button type="submit" name="intent" value="retry" size="sm" variant="secondary" disabled={r.locked}>{j('retry')}</Button>
										<ConfirmButton name="intent" value="discard" size="sm" variant="danger" kind="discard_job" disabled={r.locked} title={j('discard')} body={j('discardBody')}>{j('discard')}</ConfirmButton>
									</Form>
								),
							},
						]}
					/>
				</Card>
			</div>
		</>
	)
}
