// The statements of a quote's execute, each one round trip. An execute runs on every purchase and
// 200 may arrive at once (issue 8 §3): through the ORM it took ~20 queries, each paying Prisma's
// query compiler in our process, and the process — not Postgres — was the bottleneck. Here the
// writes of one step go in one SQL statement (data-modifying CTEs); behaviour is unchanged. They
// take any SqlDb: a create's execute runs them on a plain pg connection (utils/sql.server.ts).
import { sql } from '~/utils/db.server'
import type { SqlDb } from '~/utils/sql.server'

/**
 * The order's key is scoped to the reseller, the quote and the form's key: a key replayed by
 * another reseller, or sent with another quote, can never return someone else's order or mark an
 * unexecuted quote as done. ownerAndOrder builds the same key in SQL: change both together.
 */
export const orderKey = (resellerId: number, quoteId: string, formKey: string) => `order:${resellerId}:${quoteId}:${formKey}`

/** The reseller of this login, and the order a finished submit of this very form made (key: orderKey). */
export async function ownerAndOrder(resellerUserId: number, quoteId: string, formKey: string) {
	const [row] = await sql.$queryRaw<Array<{ id: number; order_id: number | null; customer_id: number | null }>>`
		select r.id, o.id as order_id, o.customer_id
		from resellers r
		left join orders o on o.idempotency_key = 'order:' || r.id || ':' || ${quoteId}::text || ':' || ${formKey}::text and o.reseller_id = r.id
		where r.user_id = ${resellerUserId}`
	return row ?? null
}

export interface LockedQuote {
	id: string
	inputs: unknown
	items: unknown
	total: bigint
	currency: string
	expiresAt: Date
	usedAt: Date | null
	customerVersion: number | null
	resellerVersion: number | null
	twin: { id: number; customerId: number | null } | null
}

/** The quote, row-locked (submits of one quote serialise here), with the twin order if any. */
export async function lockQuote(tx: SqlDb, quoteId: string, resellerId: number, key: string): Promise<LockedQuote | null> {
	const [q] = await tx.$queryRaw<Array<{ id: string; inputs: unknown; items: unknown; total: bigint; currency: string; expires_at: Date; used_at: Date | null; customer_version: number | null; reseller_version: number | null }>>`
		select id, inputs, items, total, currency, expires_at, used_at, customer_version, reseller_version
		from quotes where id = ${quoteId}::text and reseller_id = ${resellerId} for update`
	if (!q) return null
	// A used quote may be this very submit's twin, committed while we waited for the lock. Asked
	// after the lock in a statement of its own: a join in the locking statement would read orders
	// as of before the wait and miss the twin.
	const [twin] = q.used_at ? await tx.$queryRaw<Array<{ id: number; customer_id: number | null }>>`select id, customer_id from orders where idempotency_key = ${key}::text and reseller_id = ${resellerId}` : []
	return {
		id: q.id,
		inputs: q.inputs,
		items: q.items,
		total: BigInt(q.total),
		currency: q.currency,
		expiresAt: new Date(q.expires_at),
		usedAt: q.used_at ? new Date(q.used_at) : null,
		customerVersion: q.customer_version,
		resellerVersion: q.reseller_version,
		twin: twin ? { id: twin.id, customerId: twin.customer_id } : null,
	}
}

/** A customer id taken ahead, so his remote usernames can be written with him in one statement. */
export async function nextCustomerId(tx: SqlDb) {
	const [row] = await tx.$queryRaw<Array<{ id: bigint }>>`select nextval(pg_get_serial_sequence('customers', 'id')) as id`
	return Number(row!.id)
}

export interface NewCustomer {
	id: number
	resellerId: number
	username: string
	note: string | null
	dataLimitBytes: bigint
	expireAt: Date
	subToken: string
	subs: Array<{ nodeId: number; remoteUsername: string; chargedAmount: bigint; trafficCharged: bigint }>
}

/** The customer and his pending sub-accounts, in one statement. */
export async function insertCustomer(tx: SqlDb, c: NewCustomer) {
	await tx.$executeRaw`
		with c as (
			insert into customers (id, reseller_id, username, note, data_limit_bytes, expire_at, sub_token, updated_at)
			values (${c.id}, ${c.resellerId}, ${c.username}::text, ${c.note}::text, ${c.dataLimitBytes}::bigint, ${c.expireAt}::timestamptz, ${c.subToken}::text, now())
			returning id)
		insert into sub_accounts (customer_id, node_id, remote_username, charged_amount, traffic_charged, updated_at)
		select c.id, n.node_id, n.remote_username, n.charged, n.traffic, now()
		from c, unnest(${c.subs.map((s) => s.nodeId)}::int[], ${c.subs.map((s) => s.remoteUsername)}::text[], ${c.subs.map((s) => String(s.chargedAmount))}::bigint[], ${c.subs.map((s) => String(s.trafficCharged))}::bigint[])
			as n(node_id, remote_username, charged, traffic)`
}

export interface OrderRecord {
	resellerId: number
	customerId: number
	kind: string
	amount: bigint
	currency: string
	trafficBytes: bigint
	days: number
	trafficAmount: bigint
	timeAmount: bigint
	quote: unknown
	idempotencyKey: string
	actorId: number
	quoteId: string
	now: Date
	eventKind: string
}

/**
 * The order, its pending sub-accounts linked to it, the quote marked used, the customer's event,
 * the audit record and the reconcile job (one coalescing job per customer) — one statement.
 */
export async function recordOrder(tx: SqlDb, o: OrderRecord): Promise<number> {
	const amount = String(o.amount)
	const [row] = await tx.$queryRaw<Array<{ id: number }>>`
		with o as (
			insert into orders (reseller_id, customer_id, kind, status, amount, currency, traffic_bytes, days, traffic_amount, time_amount, quote, idempotency_key, actor_id, updated_at)
			values (${o.resellerId}, ${o.customerId}, ${o.kind}::text, 'queued', ${amount}::bigint, ${o.currency}::text, ${o.trafficBytes}::bigint, ${o.days}::int,
				${o.trafficAmount}::bigint, ${o.timeAmount}::bigint, ${JSON.stringify(o.quote)}::jsonb, ${o.idempotencyKey}::text, ${o.actorId}::int, now())
			returning id),
		s as (update sub_accounts set order_id = o.id, updated_at = now() from o where customer_id = ${o.customerId} and order_id is null and state = 'pending' returning sub_accounts.id),
		q as (update quotes set used_at = ${o.now}::timestamptz, order_id = o.id from o where quotes.id = ${o.quoteId}::text returning quotes.id),
		e as (insert into customer_events (customer_id, kind, actor_id, data) select ${o.customerId}, ${o.eventKind}::text, ${o.actorId}::int, jsonb_build_object('orderId', o.id, 'amount', ${amount}::text) from o returning id),
		a as (insert into audit_events (actor_id, action, entity_type, entity_id, after) select ${o.actorId}::int, ${`order.${o.kind}`}::text, 'order', o.id::text, jsonb_build_object('customerId', ${o.customerId}::int, 'amount', ${amount}::text) from o returning id),
		j as (select graphile_worker.add_job('reconcile_customer', json_build_object('customerId', ${o.customerId}::int, 'orderId', o.id), max_attempts := 10, job_key := ${`customer:${o.customerId}`}::text, job_key_mode := 'replace') as job from o)
		select o.id from o, j, (select count(*) from s) s_, (select count(*) from q) q_, (select count(*) from e) e_, (select count(*) from a) a_`
	return row!.id
}

