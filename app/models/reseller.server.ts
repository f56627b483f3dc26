// Resellers as the admin manages them: a login (User, role reseller) plus a commercial profile,
// prices, limits and node allocations, saved in one transaction with an audit event. Balances are
// never written here — only the ledger (services/billing/ledger.server.ts) moves them.
import { z } from 'zod'
import type { Prisma } from '~/generated/prisma/client'
import { isUniqueViolation } from '~/services/billing/ledger.server'
import { audit } from '~/utils/audit.server'
import { prisma, type Tx } from '~/utils/db.server'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'
import { hashPassword } from '~/utils/password.server'
import { unknownNodeIds, type SaveResult } from './plan.server'
import { moneyInput } from '~/utils/money'
import type { ResellerForm, ResellerFormDefaults } from './reseller-form'
import { dbId } from '~/utils/validation'

export async function listResellers({ q, after }: { q: string; after?: number }) {
	const where: Prisma.ResellerWhereInput = {
		...(q
			? {
					OR: [
						{ name: { contains: q, mode: 'insensitive' } },
						{ shopName: { contains: q, mode: 'insensitive' } },
						{ user: { username: { contains: q.toLowerCase() } } },
					],
				}
			: {}),
		...(after ? { id: { lt: after } } : {}),
	}
	const rows = await prisma.reseller.findMany({
		where,
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: {
			id: true,
			name: true,
			shopName: true,
			fundingModel: true,
			currency: true,
			balance: true,
			creditLimit: true,
			poolBytes: true,
			user: { select: { username: true, status: true } },
		},
	})
	return paginate(rows)
}

export function findReseller(id: number) {
	return prisma.reseller.findUnique({
		where: { id },
		include: { user: { select: { id: true, username: true, status: true } }, allocations: { select: { nodeId: true, pricePerGb: true } } },
	})
}
const Params = z.object({ id: dbId })

/** The reseller named by the route's :id, or a 404 (also for ids that are not numbers). */
export async function resellerFromParams(params: unknown) {
	const parsed = Params.safeParse(params)
	const reseller = parsed.success ? await findReseller(parsed.data.id) : null
	if (!reseller) throw new Response('Not found', { status: 404 })
	return reseller
}

export type ResellerWithUser = NonNullable<Awaited<ReturnType<typeof findReseller>>>

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '')
const count = (n: number | null) => (n == null ? '' : String(n))

/** The stored reseller as the edit form shows it; one allocation row per selectable node. */
export function formDefaults(r: ResellerWithUser, nodes: Array<{ id: number }>): ResellerFormDefaults {
	const money = (v: bigint) => moneyInput(v, r.currency)
	const allocated = new Map(r.allocations.map((a) => [a.nodeId, a]))
	return {
		username: r.user.username,
		password: '',
		name: r.name,
		phone: r.phone ?? '',
		shopName: r.shopName ?? '',
		address: r.address ?? '',
		status: r.user.status,
		fundingModel: r.fundingModel,
		currency: r.currency,
		creditLimit: money(r.creditLimit),
		poolWindowStart: day(r.poolWindowStart),
		poolWindowEnd: day(r.poolWindowEnd),
		allowConfigOverrun: r.allowConfigOverrun,
		pricingMode: r.pricingMode,
		pricePerGb: money(r.pricePerGb),
		bundlePricePerGb: r.bundlePricePerGb == null ? '' : money(r.bundlePricePerGb),
		pricePerDay: money(r.pricePerDay),
		maxCustomers: count(r.maxCustomers),
		minGb: count(r.minGb),
		maxGb: count(r.maxGb),
		minDays: count(r.minDays),
		maxDays: count(r.maxDays),
		allocations: nodes.map((n) => {
			const a = allocated.get(n.id)
			return { nodeId: String(n.id), enabled: Boolean(a), price: a?.pricePerGb == null ? '' : money(a.pricePerGb) }
		}),
	}
}

/** The reseller's audit trail (profile changes and adjustments), newest first. */
export async function resellerHistory(id: number, take = 50) {
	const rows = await prisma.auditEvent.findMany({
		where: { entityType: 'reseller', entityId: String(id) },
		orderBy: { id: 'desc' },
		take,
		select: { id: true, at: true, action: true, before: true, after: true, actor: { select: { username: true } } },
	})
	return rows.map((e) => ({ id: String(e.id), at: e.at, action: e.action, actor: e.actor?.username ?? null, changed: changedKeys(e.before, e.after), after: e.after as Record<string, unknown> | null }))
}

function changedKeys(before: unknown, after: unknown) {
	if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return []
	const a = before as Record<string, unknown>
	const b = after as Record<string, unknown>
	return Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
}

/** What an audit event records about a reseller (bigints as strings, JSON-safe). */
type Snapshotted = Omit<ResellerForm, 'password' | 'currency' | 'status'> & { currency: string; status: string }
function snapshot(r: Snapshotted) {
	return {
		username: r.username,
		name: r.name,
		phone: r.phone,
		shopName: r.shopName,
		address: r.address,
		status: r.status,
		fundingModel: r.fundingModel,
		currency: r.currency,
		creditLimit: String(r.creditLimit),
		poolWindowStart: r.poolWindowStart?.toISOString() ?? null,
		poolWindowEnd: r.poolWindowEnd?.toISOString() ?? null,
		allowConfigOverrun: r.allowConfigOverrun,
		pricingMode: r.pricingMode,
		pricePerGb: String(r.pricePerGb),
		bundlePricePerGb: r.bundlePricePerGb == null ? null : String(r.bundlePricePerGb),
		pricePerDay: String(r.pricePerDay),
		maxCustomers: r.maxCustomers,
		minGb: r.minGb,
		maxGb: r.maxGb,
		minDays: r.minDays,
		maxDays: r.maxDays,
		allocations: [...r.allocations].sort((a, b) => a.nodeId - b.nodeId).map((a) => ({ nodeId: a.nodeId, pricePerGb: a.pricePerGb == null ? null : String(a.pricePerGb) })),
	}
}

function profileData(form: ResellerForm) {
	const { username: _u, password: _p, status: _s, allocations: _a, ...profile } = form
	return profile
}

async function replaceAllocations(tx: Tx, resellerId: number, allocations: ResellerForm['allocations']) {
	await tx.nodeAllocation.deleteMany({ where: { resellerId } })
	await tx.nodeAllocation.createMany({ data: allocations.map((a) => ({ resellerId, nodeId: a.nodeId, pricePerGb: a.pricePerGb })) })
}

async function checkInputs(form: ResellerForm, userId?: number): Promise<Record<string, string[]> | null> {
	const errors: Record<string, string[]> = {}
	if ((await unknownNodeIds(form.allocations.map((a) => a.nodeId))).length) errors.allocations = ['adminBilling.errors.unknownNode']
	const holder = await prisma.user.findUnique({ where: { username: form.username }, select: { id: true } })
	if (holder && holder.id !== userId) errors.username = ['adminBilling.errors.usernameTaken']
	return Object.keys(errors).length ? errors : null
}

const taken: SaveResult = { ok: false, fieldErrors: { username: ['adminBilling.errors.usernameTaken'] } }

export async function createReseller(form: ResellerForm, actorId: number): Promise<SaveResult> {
	const fieldErrors = await checkInputs(form)
	if (fieldErrors) return { ok: false, fieldErrors }
	const passwordHash = await hashPassword(form.password!) // slow on purpose; outside the transaction
	try {
		const id = await prisma.$transaction(async (tx) => {
			const user = await tx.user.create({ data: { username: form.username, passwordHash, role: 'reseller', status: form.status, displayName: form.name } })
			const reseller = await tx.reseller.create({ data: { ...profileData(form), userId: user.id } })
			await replaceAllocations(tx, reseller.id, form.allocations)
			await audit({ actorId, action: 'reseller.create', entityType: 'reseller', entityId: reseller.id, after: snapshot(form) }, tx)
			return reseller.id
		})
		return { ok: true, id }
	} catch (e) {
		if (isUniqueViolation(e)) return taken // a concurrent twin took the username
		throw e
	}
}

export async function updateReseller(current: ResellerWithUser, form: ResellerForm, actorId: number): Promise<SaveResult> {
	const fieldErrors = await checkInputs(form, current.userId)
	if (fieldErrors) return { ok: false, fieldErrors }
	// Money entries are in the reseller's currency; changing it afterwards would rewrite history.
	if (form.currency !== current.currency && (await prisma.ledgerEntry.count({ where: { resellerId: current.id, account: 'money' } }))) {
		return { ok: false, fieldErrors: { currency: ['adminBilling.errors.currencyLocked'] } }
	}
	const passwordHash = form.password ? await hashPassword(form.password) : null
	const before = snapshot({ ...current, username: current.user.username, status: current.user.status, allocations: current.allocations })
	try {
		await prisma.$transaction(async (tx) => {
			await tx.user.update({
				where: { id: current.userId },
				data: { username: form.username, status: form.status, displayName: form.name, ...(passwordHash ? { passwordHash, passwordChangedAt: new Date() } : {}) },
			})
			// A new password or a disabled login ends the reseller's sessions.
			if (passwordHash || form.status === 'disabled') await tx.session.deleteMany({ where: { userId: current.userId } })
			await tx.reseller.update({ where: { id: current.id }, data: profileData(form) })
			await replaceAllocations(tx, current.id, form.allocations)
			await audit({ actorId, action: 'reseller.update', entityType: 'reseller', entityId: current.id, before, after: { ...snapshot(form), ...(passwordHash ? { password: 'changed' } : {}) } }, tx)
		})
		return { ok: true, id: current.id }
	} catch (e) {
		if (isUniqueViolation(e)) return taken
		throw e
	}
}
