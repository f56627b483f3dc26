import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/shell'
import { Card, CardTitle, Stat } from '~/components/ui/card'
import { EmptyState } from '~/components/ui/empty-state'
import { StatusPill } from '~/components/ui/status-pill'
import { adminFigures } from '~/models/dashboard.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	return adminFigures()
}

export default function AdminDashboard() {
	const f = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('admin.dashboard')} action={<StatusPill tone={f.workerAlive ? 'green' : 'red'} label={t(f.workerAlive ? 'admin.workerOk' : 'admin.workerDown')} />} />
			<div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
				<Stat label={t('admin.resellers')} value={formatNumber(lang, f.resellers)} />
				<Stat label={t('admin.customers')} value={formatNumber(lang, f.customers)} />
				<Stat label={t('admin.admins')} value={formatNumber(lang, f.admins)} />
				<Stat label={t('admin.sessions')} value={formatNumber(lang, f.sessions)} />
				<Stat label={t('admin.events')} value={formatNumber(lang, f.events24h)} />
			</div>
			<Card className="mt-4">
				<CardTitle>{t('admin.recentEvents')}</CardTitle>
				{f.recent.length === 0 ? (
					<EmptyState title={t('admin.noEvents')} />
				) : (
					<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800">
						{f.recent.map((e) => (
							<li key={e.id} className="flex justify-between gap-2 py-2">
								<span className="truncate"><span className="font-medium">{e.actor}</span> · <code className="text-xs">{e.action}</code></span>
								<span className="shrink-0 text-gray-500">{formatDate(lang, e.at, 'datetime')}</span>
							</li>
						))}
					</ul>
				)}
			</Card>
		</>
	)
}
