// A customer's daily usage for the detail page's chart: the last 30 UTC days from usage_daily
// (the usage sync's rollup), summed over his nodes, every day present (zero when idle). Scoped to
// the reseller through the customer in the same query.
import { prisma } from '~/utils/db.server'

export const USAGE_DAYS = 30
const DAY_MS = 24 * 60 * 60_000

/** 'YYYY-MM-DD' of a UTC day. */
const dayKey = (d: Date) => d.toISOString().slice(0, 10)

export async function dailyUsage(resellerId: number, customerId: number, now = new Date()) {
	const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
	const from = new Date(today.getTime() - (USAGE_DAYS - 1) * DAY_MS)
	const rows = await prisma.$queryRaw<Array<{ day: Date; bytes: bigint }>>`
		select u.day, sum(u.bytes)::bigint as bytes
		from usage_daily u join customers c on c.id = u.customer_id
		where u.customer_id = ${customerId} and c.reseller_id = ${resellerId} and u.day >= ${from}::date
		group by u.day`
	const byDay = new Map(rows.map((r) => [dayKey(new Date(r.day)), BigInt(r.bytes)]))
	return Array.from({ length: USAGE_DAYS }, (_, i) => {
		const day = dayKey(new Date(from.getTime() + i * DAY_MS))
		return { day, bytes: byDay.get(day) ?? 0n }
	})
}
