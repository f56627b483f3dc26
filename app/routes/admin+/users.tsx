import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
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
	const rows = await prisma.user.findMany({
		where: { ...(q ? { username: { contains: q.toLowerCase() } } : {}), ...(after ? { id: { lt: after } } : {}) },
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, username: true, role: true, status: true, createdAt: true },
	})
	return { q, ...paginate(rows) }
}

export default function AdminUsers() {
	const { rows, nextCursor, q } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	return (
		<>
			<PageHeader title={t('admin.usersTitle')} />
			<DataTable
				rows={rows}
				q={q}
				nextCursor={nextCursor}
				rowKey={(r) => r.id}
				emptyTitle={t('admin.noUsers')}
				columns={[
					{ key: 'username', header: t('admin.username'), cell: (r) => <span dir="ltr" className="font-medium">{r.username}</span> },
					{ key: 'role', header: t('admin.role'), cell: (r) => t(`roles.${r.role}`) },
					{ key: 'status', header: t('admin.status'), cell: (r) => <StatusPill tone={r.status === 'active' ? 'green' : 'gray'} label={t(`status.${r.status}`)} /> },
					{ key: 'created', header: t('admin.created'), cell: (r) => formatDate(i18n.language as Lang, r.createdAt) },
				]}
			/>
		</>
	)
}
