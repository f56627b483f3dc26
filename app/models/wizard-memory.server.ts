// The wizard remembers the nodes he chose last time (issue 15): the nodes of his latest "create"
// quote — what he last asked a price for — kept only where he may still sell. Stored nowhere
// new: quotes already record every wizard submission, owner-scoped by reseller id.
import { prisma } from '~/utils/db.server'

export async function lastChosenNodeIds(resellerId: number, allowed: number[]): Promise<number[]> {
	const last = await prisma.quote.findFirst({ where: { resellerId, kind: 'create' }, orderBy: { createdAt: 'desc' }, select: { inputs: true } })
	const ids = (last?.inputs as { nodeIds?: unknown } | null)?.nodeIds
	if (!Array.isArray(ids)) return []
	const ok = new Set(allowed)
	return ids.filter((id): id is number => typeof id === 'number' && ok.has(id))
}
