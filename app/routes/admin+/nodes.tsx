import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/shell'
import { DataTable } from '~/components/ui/data-table'
import { StatusPill } from '~/components/ui/status-pill'
import { requireAdmin } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { PAGE_SIZE, paginate, parseListParams } from '~/utils/pagination.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const { q, after } = parseListParams(request)
	const rows = await prisma.node.findMany({
		where: { deletedAt: null, ...(q ? { name: { contains: q, mode: 'insensitive' } } : {}), ...(after ? { id: { lt: after } } : {}) },
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, name: true, kind: true, health: true, lastCheckAt: true, lastError: true, lastVersion: true, lastLatencyMs: true },
	})
	return { q, ...paginate(rows) }
}

export default function NodesPage() {
	const { rows, nextCursor, q } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('nodes.title')} action={<Link to="/admin/nodes/new" className="rounded-lg bg-accent px-3 py-2 text-sm font-medium text-white hover:bg-accent-strong">{t('nodes.add')}</Link>} />
			<DataTable
				rows={rows}
				q={q}
				nextCursor={nextCursor}
				rowKey={(r) => r.id}
				emptyTitle={t('nodes.empty')}
				columns={[
					{ key: 'name', header: t('nodes.name'), cell: (r) => <Link to={`/admin/nodes/${r.id}`} className="font-medium text-accent hover:underline">{r.name}</Link> },
					{ key: 'kind', header: t('nodes.kind'), cell: (r) => t(`nodes.kinds.${r.kind}`) },
					{
						key: 'health',
						header: t('nodes.health'),
						cell: (r) => (
							<span title={r.lastError ?? undefined} data-testid={`health-${r.id}`}>
								<StatusPill tone={r.health === 'ok' ? 'green' : r.health === 'down' ? 'red' : 'gray'} label={t(`status.${r.health === 'ok' ? 'ok' : r.health === 'down' ? 'down' : 'unknown'}`)} />
							</span>
						),
					},
					{ key: 'version', header: t('nodes.version'), cell: (r) => <span dir="ltr">{r.lastVersion ?? '–'}</span> },
					{ key: 'check', header: t('nodes.lastCheck'), cell: (r) => (r.lastCheckAt ? formatDate(lang, r.lastCheckAt, 'datetime') : t('nodes.never')) },
				]}
			/>
		</>
	)
}
