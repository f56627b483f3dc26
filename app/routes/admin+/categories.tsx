import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CategoryForm } from '~/components/category-form'
import { PageHeader } from '~/components/shell'
import { Card } from '~/components/ui/card'
import { EmptyState } from '~/components/ui/empty-state'
import { CategoryFormSchema } from '~/models/category-form'
import { categoryTree, saveCategory } from '~/models/category.server'
import { requireAdmin } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { redirectWithToast } from '~/utils/toast.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	return { tree: await categoryTree() }
}

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const submission = parseWithZod(await readForm(request), { schema: CategoryFormSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const saved = await saveCategory(submission.value, admin.id)
	if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.fieldErrors }) }, { status: 400 })
	return redirectWithToast('/admin/categories', { type: 'success', key: 'store.categories.created' })
}

export default function CategoriesPage() {
	const { tree } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('store.categories.title')} />
			<Card className="mb-6">
				{tree.length === 0 ? (
					<EmptyState title={t('store.categories.empty')} />
				) : (
					<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800" data-testid="category-tree">
						{tree.map((c) => (
							<li key={c.id} className="flex items-center justify-between gap-2 py-2" style={{ paddingInlineStart: `${c.depth * 1.25}rem` }}>
								<Link to={`/admin/categories/${c.id}`} className="font-medium text-accent hover:underline">{c.name}</Link>
								<span className="flex shrink-0 items-center gap-2 text-xs text-gray-500">
									{c.exclusive ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-800 dark:bg-amber-900/40 dark:text-amber-200">{t('store.categories.exclusiveBadge')}</span> : null}
									{t('store.categories.planCount', { count: c.plans, n: formatNumber(lang, c.plans) })}
								</span>
							</li>
						))}
					</ul>
				)}
			</Card>
			<CategoryForm
				title={t('store.categories.add')}
				parents={tree.map((c) => ({ value: String(c.id), label: `${'— '.repeat(c.depth)}${c.name}` }))}
				defaults={{ name: '', parentId: '', sortOrder: '0', exclusive: '' }}
				lastResult={actionData?.result}
				submitLabel={t('store.categories.create')}
			/>
		</>
	)
}
