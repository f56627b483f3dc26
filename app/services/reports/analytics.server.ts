// Analytics (issue 14) read the LEDGER only (docs/decisions/013): revenue is the `revenue`
// account's legs — credit positive, so a charge is +, a refund or reversal −, and their sum is net
// revenue. Each leg reaches its order or invoice through its transaction's ref, which is how it is
// attributed to a plan, a reseller (the transaction's wallet leg) and nodes. Coupons never move
// money, so they are no leg: "gross" adds back the discount of the invoices those charges paid.
// Attribution to nodes:
//   - a failed node's reversal (idempotency key sub:<id>:reversal…) → that sub-account's node;
//   - an order's leg → split by the node shares its quote stored at charge time (remainder to
//     the lowest node id, as pricing splits a bundle);
//   - a store invoice's leg → evenly over the plan's nodes;
//   - anything else (a refund order priced from the ledger, no shares) → "unattributed".
// Days are Tehran days; months are Jalali months of those days.
import { Prisma } from '~/generated/prisma/client'
import { sql } from '~/utils/db.server'
import { addDays } from '~/services/routers/calendar'
import { jalaliMonth, tehranDay } from './dates'

export interface AnalyticsQuery {
	from: Date
	/** Exclusive. */
	to: Date
	currency: string
	/** The reseller's own figures (his scope, or the admin's filter). */
	resellerId: number | null
	now?: Date
}

export interface Named {
	id: number | null
	name: string | null
	net: bigint
}

export interface Analytics {
	totals: { charges: bigint; coupons: bigint; gross: bigint; refunds: bigint; credits: bigint; other: bigint; net: bigint }
	perDay: Array<{ day: string; net: bigint }>
	perMonth: Array<{ month: string; net: bigint }>
	byPlan: Named[]
	byReseller: Named[]
	byNode: Named[]
	activePaid: number
	approval: { count: number; medianSec: number | null; p90Sec: number | null }
}

/** Revenue legs of the range with what attribution needs (a CTE body). */
function legs(q: AnalyticsQuery) {
	return Prisma.sql`
		select e.id, e.amount, t.id as tx, t.kind, t.ref_type, t.ref_id, t.idempotency_key, t.created_at, w.reseller_id
		from ledger_entries e
		join ledger_transactions t on t.id = e.transaction_id
		left join lateral (
			select x.reseller_id from ledger_entries x where x.transaction_id = t.id and (x.reseller_id is not null or x.user_id is not null) limit 1
		) w on true
		where e.account_code = 'revenue' and e.currency = ${q.currency}
			and t.created_at >= ${q.from}::timestamptz and t.created_at < ${q.to}::timestamptz
			${q.resellerId == null ? Prisma.empty : Prisma.sql`and w.reseller_id = ${q.resellerId}`}`
}

const CREDIT = Prisma.sql`(l.kind = 'node_credit' or l.idempotency_key like '%:proration_excess')`

export async function analytics(q: AnalyticsQuery): Promise<Analytics> {
	const [totals, days, plans, resellers, nodes, active, approval] = await Promise.all([totalsOf(q), perDay(q), byPlan(q), byReseller(q), byNode(q), activePaid(q), approvalTimes(q)])
	const perMonth: Array<{ month: string; net: bigint }> = []
	for (const d of days) {
		const month = jalaliMonth(d.day)
		const last = perMonth[perMonth.length - 1]
		if (last?.month === month) last.net += d.net
		else perMonth.push({ month, net: d.net })
	}
	return { totals, perDay: days, perMonth, byPlan: plans, byReseller: resellers, byNode: nodes, activePaid: active, approval }
}

async function totalsOf(q: AnalyticsQuery) {
	const [r] = await sql.$queryRaw<Array<{ charges: bigint; refunds: bigint; credits: bigint; net: bigint; coupons: bigint }>>`
		with l as (${legs(q)})
		select
			coalesce(sum(l.amount) filter (where l.kind = 'charge'), 0)::bigint as charges,
			coalesce(-sum(l.amount) filter (where l.kind in ('refund', 'reversal') and not ${CREDIT}), 0)::bigint as refunds,
			coalesce(-sum(l.amount) filter (where ${CREDIT}), 0)::bigint as credits,
			coalesce(sum(l.amount), 0)::bigint as net,
			(select coalesce(sum(i.discount), 0)::bigint from invoices i
				where i.currency = ${q.currency} and i.id::text in (select l2.ref_id from l l2 where l2.kind = 'charge' and l2.ref_type = 'invoice')) as coupons
		from l`
	const charges = r!.charges
	const other = r!.net - charges + r!.refunds + r!.credits
	return { charges, coupons: r!.coupons, gross: charges + r!.coupons, refunds: r!.refunds, credits: r!.credits, other, net: r!.net }
}

async function perDay(q: AnalyticsQuery) {
	const rows = await sql.$queryRaw<Array<{ day: string; net: bigint }>>`
		with l as (${legs(q)})
		select to_char(l.created_at at time zone 'Asia/Tehran', 'YYYY-MM-DD') as day, sum(l.amount)::bigint as net from l group by 1`
	const byDay = new Map(rows.map((r) => [r.day, r.net]))
	// Every day of the range, zero-filled, so the chart's time axis has no holes.
	const out: Array<{ day: string; net: bigint }> = []
	const last = tehranDay(new Date(q.to.getTime() - 1))
	for (let d = tehranDay(q.from), n = 0; d <= last && n < 1000; d = addDays(d, 1), n++) out.push({ day: d, net: byDay.get(d) ?? 0n })
	return out
}

async function byPlan(q: AnalyticsQuery): Promise<Named[]> {
	return sql.$queryRaw<Named[]>`
		with l as (${legs(q)}),
		a as (
			select l.amount, case l.ref_type when 'order' then c.plan_id when 'invoice' then i.plan_id end as plan_id
			from l
			left join orders o on l.ref_type = 'order' and o.id::text = l.ref_id
			left join customers c on c.id = o.customer_id
			left join invoices i on l.ref_type = 'invoice' and i.id::text = l.ref_id)
		select a.plan_id as id, p.name, sum(a.amount)::bigint as net from a left join plans p on p.id = a.plan_id
		group by a.plan_id, p.name order by net desc, id nulls last`
}

async function byReseller(q: AnalyticsQuery): Promise<Named[]> {
	return sql.$queryRaw<Named[]>`
		with l as (${legs(q)})
		select l.reseller_id as id, r.name, sum(l.amount)::bigint as net from l left join resellers r on r.id = l.reseller_id
		group by l.reseller_id, r.name order by net desc, id nulls last`
}

async function byNode(q: AnalyticsQuery): Promise<Named[]> {
	return sql.$queryRaw<Named[]>`
		with l as (${legs(q)}),
		shares as (
			select l.id, l.amount, s.node_id, 1::numeric as share, 1::numeric as total
			from l join sub_accounts s on l.idempotency_key ~ '^sub:[0-9]+:reversal' and s.id = substring(l.idempotency_key from '^sub:([0-9]+):')::int
			union all
			select l.id, l.amount, kv.key::int, kv.value::numeric, sum(kv.value::numeric) over (partition by l.id)
			from l join orders o on l.ref_type = 'order' and o.id::text = l.ref_id
			cross join lateral jsonb_each_text(coalesce(o.quote->'items'->'nodeShares', '{}'::jsonb)) kv
			where l.idempotency_key !~ '^sub:[0-9]+:reversal'
			union all
			select l.id, l.amount, pn.node_id, 1, count(*) over (partition by l.id)
			from l join invoices i on l.ref_type = 'invoice' and i.id::text = l.ref_id join plan_nodes pn on pn.plan_id = i.plan_id
			where l.idempotency_key !~ '^sub:[0-9]+:reversal'),
		parts as (
			select id, amount, node_id, case when total = 0 then 0 else trunc(amount * share / total)::bigint end as part,
				row_number() over (partition by id order by node_id) as rn
			from shares where total > 0),
		fixed as (
			-- the lowest node takes what truncation left over, so a leg's parts sum to the leg
			select node_id, part + case when rn = 1 then amount - sum(part) over (partition by id) else 0 end as part from parts
			union all
			select null, l.amount from l where l.id not in (select id from shares where total > 0))
		select f.node_id as id, n.name, sum(f.part)::bigint as net from fixed f left join nodes n on n.id = f.node_id
		group by f.node_id, n.name order by net desc, id nulls last`
}

/** Services live now that were paid for: active, not expired, and with a positive revenue charge in the ledger. */
async function activePaid(q: AnalyticsQuery) {
	const now = q.now ?? new Date()
	const [r] = await sql.$queryRaw<Array<{ n: number }>>`
		select count(*)::int as n from customers c
		where c.status = 'active' and c.expire_at > ${now}::timestamptz
			${q.resellerId == null ? Prisma.empty : Prisma.sql`and c.reseller_id = ${q.resellerId}`}
			and exists (
				select 1 from ledger_transactions t join ledger_entries e on e.transaction_id = t.id and e.account_code = 'revenue' and e.amount > 0
				where t.kind = 'charge' and (
					(t.ref_type = 'order' and t.ref_id in (select o.id::text from orders o where o.customer_id = c.id))
					or (t.ref_type = 'invoice' and t.ref_id in (select i.id::text from invoices i where i.customer_id = c.id))))`
	return r!.n
}

/** Seconds from a receipt's submission to its approval, for receipts approved in the range. */
async function approvalTimes(q: AnalyticsQuery) {
	const [r] = await sql.$queryRaw<Array<{ n: number; median: number | null; p90: number | null }>>`
		select count(*)::int as n,
			percentile_disc(0.5) within group (order by extract(epoch from p.decided_at - p.submitted_at))::float8 as median,
			percentile_disc(0.9) within group (order by extract(epoch from p.decided_at - p.submitted_at))::float8 as p90
		from payments p
		where p.channel in ('card', 'iban', 'crypto') and p.status in ('approved', 'settled', 'reversed')
			and p.submitted_at is not null and p.decided_at is not null
			and p.decided_at >= ${q.from}::timestamptz and p.decided_at < ${q.to}::timestamptz
			${q.resellerId == null ? Prisma.empty : Prisma.sql`and p.reseller_id = ${q.resellerId}`}`
	return { count: r!.n, medianSec: r!.median, p90Sec: r!.p90 }
}

/** Currencies that have revenue legs at all (the page's currency choice), IRR first. */
export async function revenueCurrencies(resellerId: number | null) {
	const rows = await sql.$queryRaw<Array<{ currency: string }>>`
		select distinct e.currency from ledger_entries e where e.account_code = 'revenue'
		${resellerId == null ? Prisma.empty : Prisma.sql`and exists (select 1 from ledger_entries w where w.transaction_id = e.transaction_id and w.reseller_id = ${resellerId})`}`
	return rows.map((r) => r.currency).sort((a, b) => (a === 'IRR' ? -1 : b === 'IRR' ? 1 : a.localeCompare(b)))
}
