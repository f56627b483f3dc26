// Backups (issue 14): every attempt with its trigger, result, size and duration; "back up now"
// queues a backup job (the worker writes the file; the page never blocks on a dump).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { DataTable } from '~/components/ui/data-table'
import { StatusPill } from '~/components/ui/status-pill'
import { listBackups, retentionDays } from '~/services/backup/backups.server'
import { enqueue } from '~/services/jobs.server'
import { audit } from '~/utils/audit.server'
import { requireAdmin } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { readFormFields } from '~/utils/form-data.server'
import { formatBytes, formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { redirectWithToast } from '~/utils/toast.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const rows = await listBackups()
	return {
		days: retentionDays(),
		rows: rows.map((b) => ({
			id: b.id,
			trigger: b.trigger,
			status: b.status,
			startedAt: b.startedAt,
			seconds: b.finishedAt ? Math.max(0, Math.round((b.finishedAt.getTime() - b.startedAt.getTime()) / 1000)) : null,
			bytes: b.bytes,
			encrypted: b.encrypted,
			file: b.file?.split('/').pop() ?? null,
			deleted: b.deletedAt != null,
			error: b.error,
		})),
	}
}

const ActionSchema = z.object({ intent: z.literal('backup_now') })

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	if (!ActionSchema.safeParse(await readFormFields(request)).success) return data({ error: 'errors.badRequest' }, { status: 400 })
	await prisma.$transaction(async (tx) => {
		// one pending manual backup at a time: a double tap replaces the queued job, never adds a second
		await enqueue(tx, 'backup_database', { trigger: 'manual' }, { jobKey: 'backup:manual', maxAttempts: 1 })
		await audit({ actorId: admin.id, action: 'backup.request', entityType: 'backup', entityId: 0 }, tx)
	})
	return redirectWithToast('/admin/backups', { type: 'success', key: 'automation.backups.queued' })
}

const TONE = { running: 'amber', succeeded: 'green', failed: 'red' } as const

export default function Backups() {
	const { rows, days } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('automation.backups.title')} />
			<Card className="mb-4">
				<p className="text-sm text-gray-600 dark:text-gray-300">{t('automation.backups.intro', { days: formatNumber(lang, days) })}</p>
				<Form method="post" className="mt-3">
					<Button type="submit" name="intent" value="backup_now">{t('automation.backups.now')}</Button>
				</Form>
			</Card>
			<DataTable
				rows={rows}
				rowKey={(r) => r.id}
				nextCursor={null}
				emptyTitle={t('automation.backups.empty')}
				columns={[
					{ key: 'id', header: t('automation.backups.columns.id'), cell: (r) => formatNumber(lang, r.id) },
					{ key: 'started', header: t('automation.backups.columns.started'), cell: (r) => formatDate(lang, r.startedAt, 'datetime') },
					{ key: 'trigger', header: t('automation.backups.columns.trigger'), cell: (r) => t(`automation.backups.trigger.${r.trigger}`, { defaultValue: r.trigger }) },
					{
						key: 'status',
						header: t('automation.backups.columns.status'),
						cell: (r) => (
							<span title={r.error ?? undefined}>
								<StatusPill tone={TONE[r.status as keyof typeof TONE] ?? 'gray'} pulse={r.status === 'running'} label={t(`automation.backups.status.${r.status}`, { defaultValue: r.status })} />
							</span>
						),
					},
					{ key: 'size', header: t('automation.backups.columns.size'), cell: (r) => (r.bytes != null ? formatBytes(lang, BigInt(r.bytes)) : '–') },
					{ key: 'duration', header: t('automation.backups.columns.duration'), cell: (r) => (r.seconds != null ? t('automation.backups.seconds', { n: formatNumber(lang, r.seconds) }) : '–') },
					{
						key: 'file',
						header: t('automation.backups.columns.file'),
						cell: (r) => (
							<span dir="ltr" className="break-all text-xs">
								{r.file ?? '–'}
								{r.encrypted ? ` · ${t('automation.backups.encrypted')}` : ''}
								{r.deleted ? ` · ${t('automation.backups.deleted')}` : ''}
							</span>
						),
					},
				]}
			/>
		</>
	)
}
