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
		where: { ...(q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { category: { contains: q, mode: 'insensitive' } }] } : {}), ...(after ? { id: { lt: after } } : {}) },
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, name: true, days: true, dataLimitBytes: true, publicPrice: true, resellerPrice: true, currency: true, category: true, active: true, _count: { select: { nodes: true } } },
	})
	return paginate(rows)
}

export function findPlan(id: number) {
	return prisma.plan.findUnique({ where: { id }, include: { nodes: { select: { nodeId: true } } } })
}

const snapshot = (p: { name: string; days: number; dataLimitBytes: bigint; publicPrice: bigint; resellerPrice: bigint; currency: string; category: string | null; active: boolean }, nodeIds: number[]) => ({
	name: p.name,
	days: p.days,
	dataLimitBytes: String(p.dataLimitBytes),
	publicPrice: String(p.publicPrice),
	resellerPrice: String(p.resellerPrice),
	currency: p.currency,
	category: p.category,
	active: p.active,
	nodeIds: [...nodeIds].sort((a, b) => a - b),
})

/** Creates (no id) or updates a plan with its nodes; unknown or deleted nodes are a field error. */
export async function savePlan(form: PlanForm, actorId: number, id?: number): Promise<SaveResult> {
	if ((await unknownNodeIds(form.nodeIds)).length) return { ok: false, fieldErrors: { nodeIds: ['adminBilling.errors.unknownNode'] } }
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
