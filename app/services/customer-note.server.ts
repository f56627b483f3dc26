// The reseller's own note on a customer (issue 15: editable on the detail page). Owner-scoped in
// the WHERE: another reseller's customer is simply not updated. A note is not a priced fact, so
// it does not bump the customer's version (outstanding quotes stay valid).
import { audit } from '~/utils/audit.server'
import { prisma } from '~/utils/db.server'

/** False when the customer is not his (or deleted). */
export async function updateCustomerNote(actorId: number, resellerId: number, customerId: number, note: string | null) {
	return prisma.$transaction(async (tx) => {
		const { count } = await tx.customer.updateMany({ where: { id: customerId, resellerId, status: { not: 'deleted' } }, data: { note } })
		if (!count) return false
		await audit({ actorId, action: 'customer.note_updated', entityType: 'customer', entityId: customerId }, tx)
		return true
	})
}
