// Rotating a customer's master subscription token (rule 13). Owner-scoped: another reseller's
// customer is not found.
import { audit } from '~/utils/audit.server'
import { prisma } from '~/utils/db.server'
import { BillingError } from './billing/errors'
import { newSubToken } from './subscription.server'

export async function rotateSubToken(resellerUserId: number, customerId: number) {
	await prisma.$transaction(async (tx) => {
		const reseller = await tx.reseller.findUnique({ where: { userId: resellerUserId }, select: { id: true } })
		const { count } = await tx.customer.updateMany({ where: { id: customerId, resellerId: reseller?.id ?? -1, status: { not: 'deleted' } }, data: { subToken: newSubToken() } })
		if (!count) throw new BillingError('not_found')
		await tx.customerEvent.create({ data: { customerId, kind: 'sub_rotated', actorId: resellerUserId } })
		await audit({ actorId: resellerUserId, action: 'customer.sub_rotated', entityType: 'customer', entityId: customerId }, tx)
	})
}
