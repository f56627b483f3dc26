// Plan categories: a tree (parent, sort order) with an `exclusive` flag (one live service per
// user in an exclusive category's subtree: app/models/end-user-services.server.ts). Audited.
import type { Prisma } from '~/generated/prisma/client'
import { audit } from '~/utils/audit.server'
import { prisma } from '~/utils/db.server'
import type { CategoryForm } from './category-form'

export type CategoryNode = { id: number; name: string; parentId: number | null; sortOrder: number; exclusive: boolean; depth: number; plans: number }

/** Every category, depth-first in sort order (parents before their children), with its plan count. */
export async function categoryTree(): Promise<CategoryNode[]> {
	const rows = await prisma.planCategory.findMany({ orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }], select: { id: true, name: true, parentId: true, sortOrder: true, exclusive: true, _count: { select: { plans: true } } } })
	const byParent = new Map<number | null, typeof rows>()
	for (const r of rows) byParent.set(r.parentId, [...(byParent.get(r.parentId) ?? []), r])
	const out: CategoryNode[] = []
	const seen = new Set<number>()
	const walk = (parentId: number | null, depth: number) => {
		for (const r of byParent.get(parentId) ?? []) {
			if (seen.has(r.id)) continue
			seen.add(r.id)
			out.push({ id: r.id, name: r.name, parentId: r.parentId, sortOrder: r.sortOrder, exclusive: r.exclusive, depth, plans: r._count.plans })
			walk(r.id, depth + 1)
		}
	}
	walk(null, 0)
	return out
}

/** The ids of `id` and everything below it (so a parent cannot become its own descendant). */
async function descendantsOf(id: number, db: Prisma.TransactionClient) {
	const rows = await db.$queryRaw<Array<{ id: number }>>`
		with recursive down as (
			select id, 0 as depth from plan_categories where id = ${id}
			union all
			select c.id, down.depth + 1 from plan_categories c join down on c.parent_id = down.id where down.depth < 32
		)
		select id from down`
	return new Set(rows.map((r) => r.id))
}

export type CategorySaveResult = { ok: true; id: number } | { ok: false; fieldErrors: Record<string, string[]> }

export async function saveCategory(form: CategoryForm, actorId: number, id?: number): Promise<CategorySaveResult> {
	return prisma.$transaction(async (tx) => {
		if (form.parentId != null) {
			if (!(await tx.planCategory.count({ where: { id: form.parentId } }))) return { ok: false as const, fieldErrors: { parentId: ['store.errors.unknownCategory'] } }
			if (id != null && (await descendantsOf(id, tx)).has(form.parentId)) return { ok: false as const, fieldErrors: { parentId: ['store.errors.categoryCycle'] } }
		}
		const data = { name: form.name, parentId: form.parentId ?? null, sortOrder: form.sortOrder, exclusive: form.exclusive }
		if (id == null) {
			const row = await tx.planCategory.create({ data })
			await audit({ actorId, action: 'category.create', entityType: 'plan_category', entityId: row.id, after: data }, tx)
			return { ok: true as const, id: row.id }
		}
		const before = await tx.planCategory.findUnique({ where: { id } })
		if (!before) throw new Response('Not found', { status: 404 })
		await tx.planCategory.update({ where: { id }, data })
		await audit({ actorId, action: 'category.update', entityType: 'plan_category', entityId: id, before: { name: before.name, parentId: before.parentId, sortOrder: before.sortOrder, exclusive: before.exclusive }, after: data }, tx)
		return { ok: true as const, id }
	})
}

/** Deletes an empty category (no plans, no children); returns false when it is not empty or gone. */
export async function deleteCategory(id: number, actorId: number) {
	return prisma.$transaction(async (tx) => {
		const row = await tx.planCategory.findUnique({ where: { id }, select: { name: true, _count: { select: { plans: true, children: true } } } })
		if (!row || row._count.plans || row._count.children) return false
		await tx.planCategory.delete({ where: { id } })
		await audit({ actorId, action: 'category.delete', entityType: 'plan_category', entityId: id, before: { name: row.name } }, tx)
		return true
	})
}

export function categoryOptions() {
	return categoryTree().then((rows) => rows.map((r) => ({ value: String(r.id), label: `${'— '.repeat(r.depth)}${r.name}` })))
}
