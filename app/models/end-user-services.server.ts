// What checkout and activation (brief I: invoices) need from the catalogue, in one place.
//
// How a store service links to its end user (decision for the lead to record):
//   a store customer is a `customers` row with reseller_id NULL, user_id = the end user's users.id
//   and plan_id = the plan it was last bought or renewed on. Every query here carries user_id.
// Exclusive categories: a plan in category C is exclusive when C or any ancestor of C has
//   `exclusive`; the scope is the top-most such ancestor, and the whole subtree under it holds at
//   most one live service per user (buying there renews or upgrades that one, never a second).
// A "live" service is any status except deleted and refunded: an expired or quota-limited service
//   is renewed or upgraded, not duplicated.
// Trials: once per user per plan, by trial_uses' primary key; recordTrialUse runs in the
//   activation transaction, so two racing activations cannot both take it.
import type { Prisma } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'

type Db = Prisma.TransactionClient | typeof prisma

const LIVE_EXCLUDES = ['deleted', 'refunded'] as const

export interface CheckoutPlan {
	id: number
	name: string
	days: number
	dataLimitBytes: bigint
	/** Rial (IRR). 0n = a zero-price plan (activates at once, still a 0-total invoice). */
	price: bigint
	currency: 'IRR'
	trial: boolean
	resetOnRenew: boolean
	nodeIds: number[]
	categoryId: number | null
	/** The exclusive category whose subtree this plan counts against, or null. */
	exclusiveCategoryId: number | null
}

/** An active, public plan with everything checkout needs; null when it is not for sale in the store. */
export async function planForCheckout(planId: number, db: Db = prisma): Promise<CheckoutPlan | null> {
	const plan = await db.plan.findFirst({
		where: { id: planId, active: true, visibility: 'public' },
		select: { id: true, name: true, days: true, dataLimitBytes: true, publicPrice: true, trial: true, resetOnRenew: true, categoryId: true, nodes: { select: { nodeId: true }, where: { node: { deletedAt: null } } } },
	})
	if (!plan) return null
	return {
		id: plan.id,
		name: plan.name,
		days: plan.days,
		dataLimitBytes: plan.dataLimitBytes,
		price: plan.publicPrice,
		currency: 'IRR',
		trial: plan.trial,
		resetOnRenew: plan.resetOnRenew,
		nodeIds: plan.nodes.map((n) => n.nodeId).sort((a, b) => a - b),
		categoryId: plan.categoryId,
		exclusiveCategoryId: plan.categoryId == null ? null : await exclusiveScopeOf(plan.categoryId, db),
	}
}

/** The category itself and its ancestors, nearest first (a recursive CTE; depth is bounded by the tree). */
async function ancestry(categoryId: number, db: Db) {
	return db.$queryRaw<Array<{ id: number; exclusive: boolean; depth: number }>>`
		with recursive up as (
			select id, parent_id, exclusive, 0 as depth from plan_categories where id = ${categoryId}
			union all
			select c.id, c.parent_id, c.exclusive, up.depth + 1 from plan_categories c join up on c.id = up.parent_id where up.depth < 32
		)
		select id, exclusive, depth from up order by depth`
}

/** The top-most exclusive category among `categoryId` and its ancestors, or null. */
export async function exclusiveScopeOf(categoryId: number, db: Db = prisma): Promise<number | null> {
	const chain = await ancestry(categoryId, db)
	const exclusive = chain.filter((c) => c.exclusive)
	return exclusive.length ? exclusive[exclusive.length - 1]!.id : null
}

/** `scopeId` and every category below it. */
async function subtreeIds(scopeId: number, db: Db) {
	const rows = await db.$queryRaw<Array<{ id: number }>>`
		with recursive down as (
			select id, 0 as depth from plan_categories where id = ${scopeId}
			union all
			select c.id, down.depth + 1 from plan_categories c join down on c.parent_id = down.id where down.depth < 32
		)
		select id from down`
	return rows.map((r) => r.id)
}

/**
 * The user's live store service in the exclusive scope of `categoryId`, or null (also null when the
 * category is not exclusive: then any number of services may coexist). Checkout calls it to turn a
 * second purchase into a renewal/upgrade of this one.
 */
export async function activeServiceInExclusiveCategory(userId: number, categoryId: number, db: Db = prisma) {
	const scope = await exclusiveScopeOf(categoryId, db)
	if (scope == null) return null
	const categories = await subtreeIds(scope, db)
	return db.customer.findFirst({
		where: { userId, resellerId: null, status: { notIn: [...LIVE_EXCLUDES] }, plan: { categoryId: { in: categories } } },
		orderBy: { id: 'desc' },
		select: { id: true, username: true, planId: true, status: true, expireAt: true, dataLimitBytes: true, usedBytes: true },
	})
}

/** Whether the user already took this plan's trial. */
export async function hasUsedTrial(userId: number, planId: number, db: Db = prisma) {
	return (await db.trialUse.count({ where: { userId, planId } })) > 0
}

/**
 * Records the trial inside the activation transaction. Returns false when the user already took
 * it (the insert conflicted): the caller must then refuse the activation (roll back).
 */
export async function recordTrialUse(tx: Prisma.TransactionClient, userId: number, planId: number, customerId: number | null) {
	const inserted = await tx.$executeRaw`
		insert into trial_uses (user_id, plan_id, customer_id) values (${userId}, ${planId}, ${customerId})
		on conflict (user_id, plan_id) do nothing`
	return inserted === 1
}

/** The end user's store services (never another user's). */
export function servicesOfUser(userId: number, db: Db = prisma) {
	return db.customer.findMany({
		where: { userId, resellerId: null, status: { not: 'deleted' } },
		orderBy: { id: 'desc' },
		select: { id: true, username: true, planId: true, status: true, expireAt: true, dataLimitBytes: true, usedBytes: true, subToken: true, scheduledInvoiceId: true, scheduledChangeAt: true },
	})
}
