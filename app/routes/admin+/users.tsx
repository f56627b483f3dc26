import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { DataTable } from '~/components/ui/data-table'
import { StatusPill } from '~/components/ui/status-pill'
import { setUserStatus } from '~/models/end-user.server'
import { requireAdmin } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { readForm } from '~/utils/form-data.server'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { PAGE_SIZE, paginate, parseListParams } from '~/utils/pagination.server'
import { redirectWithToast } from '~/utils/toast.server'
import { dbId } from '~/utils/validation'

const StatusForm = z.object({ intent: z.enum(['disable', 'enable']), userId: dbId })

export async function loader({ request }: LoaderFunctionArgs) {
	const admin = await requireAdmin(request)
	const { q, after } = parseListParams(request)
	const rows = await prisma.user.findMany({
		where: { ...(q ? { OR: [{ username: { contains: q.toLowerCase() } }, { email: { contains: q.toLowerCase() } }, { phone: { contains: q } }] } : {}), ...(after ? { id: { lt: after } } : {}) },
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, username: true, role: true, status: true, createdAt: true, phone: true, email: true },
	})
	return { q, selfId: admin.id, ...paginate(rows) }
}

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const parsed = StatusForm.safeParse(Object.fromEntries(await readForm(request)))
	if (!parsed.success) return data({ error: 'errors.invalid' }, { status: 400 })
	const changed = await setUserStatus(parsed.data.userId, parsed.data.intent === 'disable' ? 'disabled' : 'active', admin.id)
	const back = new URL(request.url)
	return redirectWithToast(`/admin/users${back.search}`, changed ? { type: 'success', key: parsed.data.intent === 'disable' ? 'store.users.disabled' : 'store.users.enabled' } : { type: 'error', key: 'store.users.unchanged' })
}

export default function AdminUsers() {
	const { rows, nextCursor, q, selfId } = useLoaderData<typeof loader>()
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
					{
						key: 'username',
						header: t('admin.username'),
						cell: (r) => (
							<span dir="ltr" className="font-medium">
								{r.username}
								{r.email || r.phone ? <span className="ms-2 text-xs font-normal text-gray-500">{[r.phone, r.email].filter(Boolean).join(', ')}</span> : null}
							</span>
						),
					},
					{ key: 'role', header: t('admin.role'), cell: (r) => t(`roles.${r.role}`) },
					{ key: 'status', header: t('admin.status'), cell: (r) => <StatusPill tone={r.status === 'active' ? 'green' : 'gray'} label={t(`status.${r.status}`)} /> },
					{ key: 'created', header: t('admin.created'), cell: (r) => formatDate(i18n.language as Lang, r.createdAt) },
					{
						key: 'action',
						header: t('store.users.action'),
						cell: (r) =>
							r.id === selfId ? null : (
								<Form method="post">
									<input type="hidden" name="userId" value={r.id} />
									<Button type="submit" name="intent" value={r.status === 'active' ? 'disable' : 'enable'} variant={r.status === 'active' ? 'danger' : 'secondary'} size="sm">
										{t(r.status === 'active' ? 'store.users.disable' : 'store.users.enable')}
									</Button>
								</Form>
							),
					},
				]}
			/>
		</>
	)
}
