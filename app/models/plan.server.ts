// Plans: fixed-price packages (days + GB on a set of nodes) sold by resellers and the store.
// Every change is audited in the same transaction.
import { audit } from '~/utils/audit.server'
import { prisma } from '~/utils/db.server'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'
import type { PlanForm } from './plan-form'

export type SaveResult = { ok: true; id: number } | { ok: false; fieldErrors: Record<string, string[]> }

/** Nodes that can be chosen for plans and allocations (soft-deleted nodes never are). */
export function selectableNodes() {
	return prisma.node.findMany({ where: { deletedAt: null }, orderBy: { id: 'asc' }, select: { id: true, name: true, kind: true } })
}

/** The ids among `ids` that are not selectable nodes. */
export async function unknownNodeIds(ids: number[]) {
	if (!ids.length) return []
	const found = await prisma.node.findMany({ where: { id: { in: ids }, deletedAt: null }, select: { id: true } })
	const known = new Set(found.map((n) => n.id))
	return ids.filter((id) => !known.has(id))
}

export async function listPlans({ q, after }: { q: string; after?: number }) {
	const rows = await prisma.plan.findMany({
		where: { ...(q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { category: { name: { contains: q, mode: 'insensitive' } } }] } : {}), ...(after ? { id: { lt: after } } : {}) },
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, name: true, days: true, dataLimitBytes: true, publicPrice: true, resellerPrice: true, currency: true, category: { select: { name: true } }, visibility: true, trial: true, active: true, _count: { select: { nodes: true } } },
	})
	return paginate(rows)
}

export function findPlan(id: number) {
	return prisma.plan.findUnique({ where: { id }, include: { nodes: { select: { nodeId: true } } } })
}

type PlanRow = { name: string; days: number; dataLimitBytes: bigint; publicPrice: bigint; resellerPrice: bigint; currency: string; categoryId: number | null; visibility: string; trial: boolean; resetOnRenew: boolean; active: boolean }
const snapshot = (p: PlanRow, nodeIds: number[]) => ({
	name: p.name,
	days: p.days,
	dataLimitBytes: String(p.dataLimitBytes),
	publicPrice: String(p.publicPrice),
	resellerPrice: String(p.resellerPrice),
	currency: p.currency,
	categoryId: p.categoryId,
	visibility: p.visibility,
	trial: p.trial,
	resetOnRenew: p.resetOnRenew,
	active: p.active,
	nodeIds: [...nodeIds].sort((a, b) => a - b),
})

/** Creates (no id) or updates a plan with its nodes; unknown or deleted nodes are a field error. */
export async function savePlan(form: PlanForm, actorId: number, id?: number): Promise<SaveResult> {
	if ((await unknownNodeIds(form.nodeIds)).length) return { ok: false, fieldErrors: { nodeIds: ['adminBilling.errors.unknownNode'] } }
	if (form.categoryId != null && !(await prisma.planCategory.count({ where: { id: form.categoryId } }))) return { ok: false, fieldErrors: { categoryId: ['store.errors.unknownCategory'] } }
	const { nodeIds, ...data } = form
	const planId = await prisma.$transaction(async (tx) => {
		if (id == null) {
			const plan = await tx.plan.create({ data: { ...data, nodes: { create: nodeIds.map((nodeId) => ({ nodeId })) } } })
			await audit({ actorId, action: 'plan.create', entityType: 'plan', entityId: plan.id, after: snapshot(plan, nodeIds) }, tx)
			return plan.id
		}
		const before = await tx.plan.findUnique({ where: { id }, include: { nodes: true } })
		if (!before) throw new Response('Not found', { status: 404 })
		const plan = await tx.plan.update({ where: { id }, data })
		await tx.planNode.deleteMany({ where: { planId: id } })
		await tx.planNode.createMany({ data: nodeIds.map((nodeId) => ({ planId: id, nodeId })) })
		await audit({ actorId, action: 'plan.update', entityType: 'plan', entityId: id, before: snapshot(before, before.nodes.map((n) => n.nodeId)), after: snapshot(plan, nodeIds) }, tx)
		return id
	})
	return { ok: true, id: planId }
}

export async function setPlanActive(id: number, active: boolean, actorId: number) {
	await prisma.$transaction(async (tx) => {
		const { count } = await tx.plan.updateMany({ where: { id, active: !active }, data: { active } })
		if (count) await audit({ actorId, action: active ? 'plan.activate' : 'plan.deactivate', entityType: 'plan', entityId: id, before: { active: !active }, after: { active } }, tx)
	})
}

export type StorePlan = { id: number; name: string; days: number; dataLimitBytes: bigint; price: bigint; trial: boolean; nodeCount: number }
export type StoreSection = { id: number | null; name: string | null; depth: number; exclusive: boolean; plans: StorePlan[] }

/**
 * The public catalogue: active public plans grouped by category in tree order (uncategorised
 * last), cheapest first inside a category. Only what a visitor may see: no reseller prices,
 * no node names, no counts of anything but a plan's own nodes.
 */
export async function storefrontCatalogue(categories: Array<{ id: number; name: string; depth: number; exclusive: boolean }>): Promise<StoreSection[]> {
	const plans = await prisma.plan.findMany({
		where: { active: true, visibility: 'public' },
		orderBy: [{ publicPrice: 'asc' }, { id: 'asc' }],
		select: { id: true, name: true, days: true, dataLimitBytes: true, publicPrice: true, trial: true, categoryId: true, _count: { select: { nodes: { where: { node: { deletedAt: null } } } } } },
	})
	const byCategory = new Map<number | null, StorePlan[]>()
	for (const p of plans) {
		const key = p.categoryId
		byCategory.set(key, [...(byCategory.get(key) ?? []), { id: p.id, name: p.name, days: p.days, dataLimitBytes: p.dataLimitBytes, price: p.publicPrice, trial: p.trial, nodeCount: p._count.nodes }])
	}
	const sections: StoreSection[] = categories.map((c) => ({ id: c.id, name: c.name, depth: c.depth, exclusive: c.exclusive, plans: byCategory.get(c.id) ?? [] }))
	sections.push({ id: null, name: null, depth: 0, exclusive: false, plans: byCategory.get(null) ?? [] })
	// A parent with no plans of its own still heads its children; a leaf with none is hidden.
	return sections.filter((s, i) => s.plans.length || sections.slice(i + 1).some((n) => n.depth > s.depth && n.plans.length && isUnder(sections, i, sections.indexOf(n))))
}

function isUnder(sections: StoreSection[], parentIdx: number, childIdx: number) {
	for (let i = parentIdx + 1; i <= childIdx; i++) if (sections[i]!.depth <= sections[parentIdx]!.depth) return false
	return true
}
