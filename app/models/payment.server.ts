// Read side of payments by transfer (issue 11): the payer's list and page (scoped by his user id
// and reseller id in every WHERE), the admin queue with its filters, and the review card.
import type { Prisma } from '~/generated/prisma/client'
import type { PaymentStatus } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'
import { PAGE_SIZE, paginate } from '~/utils/pagination.server'
import { METHOD_KINDS, type MethodKind } from './payment-method-form'

export interface PayerScope {
	userId: number
	resellerId: number | null
}
const scope = (p: PayerScope) => ({ userId: p.userId, resellerId: p.resellerId, channel: { not: 'gateway' as const } })

/** The kinds that have at least one active method (room is only known for an amount: reserveMethod). */
export async function offeredKinds(): Promise<MethodKind[]> {
	const rows = await prisma.paymentMethod.groupBy({ by: ['kind'], where: { active: true } })
	return METHOD_KINDS.filter((k) => rows.some((r) => r.kind === k))
}

export function payerPayments(p: PayerScope, take = 20) {
	return prisma.payment.findMany({ where: scope(p), orderBy: { id: 'desc' }, take, select: { id: true, status: true, channel: true, amount: true, currency: true, createdAt: true, late: true } })
}

/** What the payer was shown: the method's details as they were when his payment started. */
type Shown = { alias?: string; details?: Record<string, string> }

export async function payerPayment(p: PayerScope, id: bigint) {
	const payment = await prisma.payment.findFirst({ where: { id, ...scope(p) }, include: { events: { orderBy: { id: 'asc' }, select: { id: true, fromStatus: true, toStatus: true, note: true, createdAt: true, data: true } } } })
	if (!payment) return null
	const first = (payment.events[0]?.data ?? {}) as Shown
	return {
		id: payment.id, status: payment.status, channel: payment.channel, amount: payment.amount, currency: payment.currency, expiresAt: payment.expiresAt, late: payment.late,
		receiptFileId: payment.receiptFileId, trackingCode: payment.trackingCode, paidAt: payment.paidAt, submittedAt: payment.submittedAt, rejectReason: payment.rejectReason,
		shown: { alias: first.alias ?? '', details: first.details ?? {} },
		// the payer sees what happened and why (a rejection's reason), never who reviewed
		events: payment.events.map((e) => ({ id: e.id, toStatus: e.toStatus, createdAt: e.createdAt, note: e.toStatus === 'rejected' || e.toStatus === 'reversed' ? e.note : null })),
	}
}

export interface QueueFilter {
	status: 'open' | 'all' | PaymentStatus
	kind: MethodKind | 'all'
	method?: number
	payer?: string
	from?: string
	to?: string
}

export async function adminQueue(f: QueueFilter, after?: bigint) {
	const where: Prisma.PaymentWhereInput = {
		channel: f.kind === 'all' ? { not: 'gateway' } : f.kind,
		...(f.status === 'open' ? { status: { in: ['submitted', 'in_review'] } } : f.status === 'all' ? {} : { status: f.status }),
		...(f.method ? { methodId: f.method } : {}),
		...(f.payer ? { user: { username: { contains: f.payer.toLowerCase() } } } : {}),
		...(f.from || f.to ? { createdAt: { ...(f.from ? { gte: new Date(`${f.from}T00:00:00Z`) } : {}), ...(f.to ? { lt: new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000) } : {}) } } : {}),
		...(after ? { id: { lt: after } } : {}),
	}
	const rows = await prisma.payment.findMany({
		where,
		orderBy: { id: 'desc' },
		take: PAGE_SIZE + 1,
		select: { id: true, status: true, channel: true, amount: true, receiptAmount: true, currency: true, flags: true, late: true, submittedAt: true, createdAt: true, claimExpiresAt: true, user: { select: { username: true } }, method: { select: { alias: true } } },
	})
	return paginate(rows)
}

export async function reviewCard(id: bigint) {
	const p = await prisma.payment.findUnique({
		where: { id },
		include: {
			user: { select: { id: true, username: true, displayName: true, createdAt: true } },
			reseller: { select: { id: true, name: true, currency: true } },
			method: { select: { id: true, alias: true, kind: true } },
			receiptFile: { select: { id: true, mime: true, size: true } },
			events: { orderBy: { id: 'asc' } },
		},
	})
	if (!p || p.channel === 'gateway') return null
	const [counts, actors] = await Promise.all([
		prisma.payment.groupBy({ by: ['status'], where: { userId: p.userId, status: { in: ['settled', 'rejected', 'reversed'] } }, _count: { _all: true } }),
		prisma.user.findMany({ where: { id: { in: [...new Set(p.events.map((e) => e.actorId).concat(p.claimedBy, p.decidedBy).filter((x): x is number => x != null))] } }, select: { id: true, username: true, displayName: true } }),
	])
	const count = (s: string) => counts.find((c) => c.status === s)?._count._all ?? 0
	const nameOf = (uid: number | null) => {
		const u = actors.find((a) => a.id === uid)
		return u ? (u.displayName ?? u.username) : null
	}
	const submittedEvents = p.events.filter((e) => e.toStatus === 'submitted')
	const lastData = (submittedEvents.at(-1)?.data ?? {}) as { nearDuplicateOf?: string[] }
	return {
		payment: { ...p, events: undefined, user: undefined, claimedByName: nameOf(p.claimedBy), decidedByName: nameOf(p.decidedBy) },
		payer: { ...p.user, reseller: p.reseller, settled: count('settled'), rejected: count('rejected'), reversed: count('reversed') },
		nearDuplicateOf: lastData.nearDuplicateOf ?? [],
		shown: ((p.events[0]?.data ?? {}) as { details?: Record<string, string> }).details ?? {},
		events: p.events.map((e) => ({ id: e.id, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, createdAt: e.createdAt, actor: nameOf(e.actorId), fileId: ((e.data ?? {}) as { fileId?: string }).fileId ?? null })),
	}
}

/** May this login see receipt file `fileId`? Admins always; otherwise only the payer of its payment. */
export async function fileVisibleTo(fileId: bigint, user: { id: number; role: string }) {
	const f = await prisma.paymentFile.findUnique({ where: { id: fileId }, select: { paymentId: true } })
	if (!f?.paymentId) return false
	if (user.role === 'admin') return true
	return (await prisma.payment.count({ where: { id: f.paymentId, userId: user.id } })) > 0
}
