// The reseller row exactly as the ORM would give it, in one raw round trip. It is read on every
// reseller request and in every quote execute; skipping the ORM's query compiler in our process
// is most of that cost (see docs/decisions/009 and the burst bench).
import { Prisma, type Reseller } from '~/generated/prisma/client'
import type { SqlDb } from '~/utils/sql.server'

export async function readReseller(db: SqlDb, by: { id: number } | { userId: number }): Promise<Reseller | null> {
	const where = 'id' in by ? Prisma.sql`id = ${by.id}` : Prisma.sql`user_id = ${by.userId}`
	const [r] = await db.$queryRaw<Reseller[]>`
		select id, user_id as "userId", name, phone, shop_name as "shopName", address, funding_model::text as "fundingModel", currency,
			balance, credit_limit as "creditLimit", negative_since as "negativeSince", pool_bytes as "poolBytes",
			pool_window_start as "poolWindowStart", pool_window_end as "poolWindowEnd", allow_config_overrun as "allowConfigOverrun",
			pricing_mode::text as "pricingMode", price_per_gb as "pricePerGb", bundle_price_per_gb as "bundlePricePerGb", price_per_day as "pricePerDay",
			max_customers as "maxCustomers", min_gb as "minGb", max_gb as "maxGb", min_days as "minDays", max_days as "maxDays",
			config_version as "configVersion", created_at as "createdAt", updated_at as "updatedAt"
		from resellers where ${where}`
	return r ?? null
}
