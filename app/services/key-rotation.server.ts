import { needsRotation, open, seal } from '~/utils/crypto.server'
import { resealReceiptStorageSettings } from './payments/receipt-storage-settings.server'
import { resealTelegramSettings } from './telegram/settings.server'
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
	// Online gateway keys are sealed the same way (docs/decisions/014).
	const gateways = await prisma.paymentGateway.findMany({ select: { provider: true, secrets: true } })
	for (const g of gateways) {
		if (!needsRotation(g.secrets)) continue
		const { count } = await prisma.paymentGateway.updateMany({ where: { provider: g.provider, secrets: g.secrets }, data: { secrets: seal(open(g.secrets)) } })
		rotated += count
	}
	// MikroTik accounting routers (issue 13) seal their credentials the same way.
	const routers = await prisma.router.findMany({ select: { id: true, secrets: true } })
	for (const router of routers) {
		if (!needsRotation(router.secrets)) continue
		const { count } = await prisma.router.updateMany({ where: { id: router.id, secrets: router.secrets }, data: { secrets: seal(open(router.secrets)) } })
		rotated += count
	}
	// The Telegram bot token and proxy (issue 14), sealed in the "telegram" settings row.
	const telegram = await resealTelegramSettings(needsRotation)
	rotated += telegram
	// The receipt store's S3 secret key, sealed in the "receipt_storage" settings row.
	const receiptStorage = await resealReceiptStorageSettings(needsRotation)
	rotated += receiptStorage
	if (rotated) await audit({ actorId: null, action: 'secrets.rotate', entityType: 'node', after: { rotated } })
	return { rotated, total: nodes.length + gateways.length + routers.length + telegram + receiptStorage }
}
