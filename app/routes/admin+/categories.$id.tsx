import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CategoryForm } from '~/components/category-form'
import { PageHeader } from '~/components/shell'
import { ConfirmButton } from '~/components/ui/dialog'
import { CategoryFormSchema } from '~/models/category-form'
import { categoryTree, deleteCategory, saveCategory } from '~/models/category.server'
import { requireAdmin } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { readForm } from '~/utils/form-data.server'
import { redirectWithToast } from '~/utils/toast.server'
import { idParam } from '~/utils/validation'

async function loadCategory(params: Record<string, string | undefined>) {
	const id = idParam(params)
	const tree = await categoryTree()
	const row = tree.find((c) => c.id === id)
	if (!row) throw new Response('Not found', { status: 404 })
	return { row, tree }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const { row, tree } = await loadCategory(params)
	// A category cannot move under itself or its own subtree: those are not offered.
	const below = new Set<number>([row.id])
	for (const c of tree) if (c.parentId != null && below.has(c.parentId)) below.add(c.id)
	return {
		category: row,
		parents: tree.filter((c) => !below.has(c.id)).map((c) => ({ value: String(c.id), label: `${'— '.repeat(c.depth)}${c.name}` })),
		defaults: { name: row.name, parentId: row.parentId == null ? '' : String(row.parentId), sortOrder: String(row.sortOrder), exclusive: row.exclusive ? ('on' as const) : ('' as const) },
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const row = await prisma.planCategory.findUnique({ where: { id: idParam(params) }, select: { id: true } })
	if (!row) throw new Response('Not found', { status: 404 })
	const formData = await readForm(request)
	if (formData.get('intent') === 'delete') {
		if (!(await deleteCategory(row.id, admin.id))) return redirectWithToast(`/admin/categories/${row.id}`, { type: 'error', key: 'store.categories.notEmpty' })
		return redirectWithToast('/admin/categories', { type: 'success', key: 'store.categories.deleted' })
	}
	if (formData.get('intent') !== 'save') return data({ result: null }, { status: 400 })
	const submission = parseWithZod(formData, { schema: CategoryFormSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const saved = await saveCategory(submission.value, admin.id, row.id)
	if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.fieldErrors }) }, { status: 400 })
	return redirectWithToast(`/admin/categories/${row.id}`, { type: 'success', key: 'store.categories.saved' })
}

export default function EditCategory() {
	const { category, parents, defaults } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<>
			<PageHeader title={category.name} />
			<CategoryForm title={t('store.categories.edit')} parents={parents} defaults={defaults} lastResult={actionData?.result} submitLabel={t('store.categories.save')} />
			<Form method="post" className="mt-6">
				<ConfirmButton variant="danger" name="intent" value="delete" title={t('store.categories.delete')} body={t('store.categories.deleteBody')}>{t('store.categories.delete')}</ConfirmButton>
			</Form>
		</>
	)
}
