// The store settings an invoice needs (tax rate and mode, the seller's details for the PDF).
// The document and its admin page belong to the catalogue (models/store-settings.ts, key
// "store"); here it is read uncached inside the issuing transaction, so an invoice is taxed with
// the setting in force when it is issued, never a value cached seconds ago.
import { STORE_SETTINGS_KEY, StoreSettingsSchema, type StoreSettings } from '~/models/store-settings'
import { prisma, type Tx } from '~/utils/db.server'

/** An issued invoice left unpaid this long is voided and its coupon released. */
export const INVOICE_DUE_HOURS = 48

export type StoreBilling = StoreSettings

export async function getStoreBilling(db: Tx | typeof prisma = prisma): Promise<StoreBilling> {
	const row = await db.setting.findUnique({ where: { key: STORE_SETTINGS_KEY } })
	const parsed = StoreSettingsSchema.safeParse(row?.value ?? {})
	return parsed.success ? parsed.data : StoreSettingsSchema.parse({})
}
