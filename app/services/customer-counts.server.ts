// Upkeep of the trigger-kept customer counts (migrations 20261203040000/1; the reads
// are in models/customer-counts.server.ts). Called by the compact_customer_counts job.
import { sql } from '~/utils/db.server'

/**
 * Replaces the delta rows by one row per status with their sum, in one statement: the DELETE takes
 * exactly the rows its snapshot sees and the INSERT writes their sums, so a delta committed
 * meanwhile stays as it is and readers see either the old rows or the folded ones, never neither.
 * Two compactions at once are exact too: the second skips the rows the first deleted. Returns the
 * number of rows folded (a status already down to one row is left alone: no churn when idle).
 */
export async function compactCustomerCounts() {
	const [row] = await sql.$queryRaw<Array<{ folded: number }>>`
		with gone as (
			delete from customer_count_deltas
			where status in (select status from customer_count_deltas group by status having count(*) > 1)
			returning status, delta),
		sums as (insert into customer_count_deltas (status, delta)
			select status, sum(delta) from gone group by status having sum(delta) <> 0 returning 1),
		-- Hours of expiry a day past are never read again (the dashboard's window starts now; a day
		-- of margin for clocks that differ): dropped, so the table holds the future hours only.
		gone_hours as (
			delete from customer_expiry_deltas
			where hour < date_trunc('hour', now(), 'UTC') - interval '1 day'
				or hour in (select hour from customer_expiry_deltas group by hour having count(*) > 1)
			returning hour, delta),
		hour_sums as (insert into customer_expiry_deltas (hour, delta)
			select hour, sum(delta) from gone_hours where hour >= date_trunc('hour', now(), 'UTC') - interval '1 day'
			group by hour having sum(delta) <> 0 returning 1)
		select ((select count(*) from gone) + (select count(*) from gone_hours))::int as folded`
	return row!.folded
}
