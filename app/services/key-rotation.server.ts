import { needsRotation, open, seal } from '~/utils/crypto.server'
import { audit } from '~/utils/audit.server'
import { prisma } from '~/utils/db.server'

/** Re-seals secrets sealed under MASTER_KEY_PREVIOUS with MASTER_KEY. Idempotent. */
export async function rotateSecrets() {
	const nodes = await prisma.node.findMany({ select: { id: true, secrets: true } })
	let rotated = 0
	for (const node of nodes) {
		if (!needsRotation(node.secrets)) continue
		const resealed = seal(open(node.secrets))
		// compare-and-set: a concurrent edit that re-sealed the row first wins
		const { count } = await prisma.node.updateMany({ where: { id: node.id, secrets: node.secrets }, data: { secrets: resealed } })
		rotated += count
	}
	if (rotated) await audit({ actorId: null, action: 'secrets.rotate', entityType: 'node', after: { rotated } })
	return { rotated, total: nodes.length }
}
