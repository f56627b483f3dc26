// Customers per status without scanning customers (issue 16: a count(*) over 1M rows took ~1.6 s).
// Triggers on customers write each change as delta rows (migrations
// 20261203040000/1); the sum of the deltas is the exact count as of this query's
// snapshot, since a writer's delta commits with its rows; the same triggers keep active customers
// per hour of expiry. The compact_customer_counts job keeps both tables small.
import { CustomerStatus } from '~/generated/prisma/enums'
import { sql } from '~/utils/db.server'

export type StatusCounts = Record<CustomerStatus, number>

export async function customerCountsByStatus(): Promise<StatusCounts> {
	const rows = await sql.$queryRaw<Array<{ status: CustomerStatus; n: bigint }>>`
		select status::text as status, sum(delta)::bigint as n from customer_count_deltas group by status`
	const counts = Object.fromEntries(Object.values(CustomerStatus).map((s) => [s, 0])) as StatusCounts
	for (const r of rows) counts[r.status] = Number(r.n)
	return counts
}

const HOUR = 60 * 60_000

/**
 * Active customers whose expiry falls in [from, to], exact. The whole UTC hours inside the window
 * come from customer_expiry_deltas (migration 20261203040001); only the partial hours at its two
 * edges are counted, as ranges over the partial index on (expire_at) where active — about 2 of
 * the 72 hours of a 3-day window. One statement, so all three parts read one snapshot.
 */
export async function activeExpiringBetween(from: Date, to: Date) {
	const a = new Date(Math.floor(from.getTime() / HOUR) * HOUR + HOUR) // first whole hour
	const b = new Date(Math.floor(to.getTime() / HOUR) * HOUR) // end of the last whole hour
	const iso = (d: Date) => d.toISOString()
	// 'active' is written in the text, not bound: a generic plan (prepared statements, decision 022)
	// can use a partial index only when its predicate is implied by constants.
	const [row] =
		a < b
			? await sql.$queryRaw<Array<{ n: number }>>`
				select ((select count(*) from customers where status = 'active' and expire_at >= ${iso(from)}::timestamptz and expire_at < ${iso(a)}::timestamptz)
					+ (select coalesce(sum(delta), 0) from customer_expiry_deltas where hour >= ${iso(a)}::timestamptz and hour < ${iso(b)}::timestamptz)
					+ (select count(*) from customers where status = 'active' and expire_at >= ${iso(b)}::timestamptz and expire_at <= ${iso(to)}::timestamptz))::int as n`
			: await sql.$queryRaw<Array<{ n: number }>>`
				select count(*)::int as n from customers
				where status = 'active' and expire_at >= ${iso(from)}::timestamptz and expire_at <= ${iso(to)}::timestamptz`
	return row!.n
}
