// In-app notifications (issue 5). A row per event with a unique dedupeKey, inserted with
// ON CONFLICT DO NOTHING, so the periodic pass can re-find the same condition every minute and
// still notify once. `data` carries translation values only (ids, names, numbers, ISO dates,
// byte counts as decimal strings); the text lives in automation.notifications.<kind>.
// Each kind belongs to one event of the catalogue (app/services/telegram/events.ts). Telegram
// delivery needs nothing here: a trigger on notifications queues telegram_fanout for every new row
// whose audience has a linked chat (migration 20261202130000), whoever inserted it.
import { Prisma } from '~/generated/prisma/client'
import { prisma, type Tx } from '~/utils/db.server'
import type { AutomationSettings } from './settings.server'

export type NotificationKind =
	| 'expiring'
	| 'usage_threshold'
	| 'node_unreachable'
	| 'job_failing'
	| 'pool_low'
	| 'pool_exhausted'
	| 'pool_window_over'
	| 'balance_negative'
	| 'credit_disabled'
	| 'drift'
	| 'foreign_account'
	| 'payment_method_limit'
	| 'payment_method_exhausted'
	| 'router_quota'
	| 'payment_submitted'
	| 'payment_approved'
	| 'payment_rejected'
	| 'payment_reversed'
	| 'backup_succeeded'
	| 'backup_failed'
	| 'node_back'
	| 'sync_stale'
	| 'usage_exhausted'
	| 'expiring_1d'
	| 'balance_low'

export interface NotifyInput {
	audience: 'admin' | 'reseller' | 'user'
	resellerId?: number | null
	/** audience 'user': the end user (his services, his receipts). */
	userId?: number | null
	kind: NotificationKind
	data: Record<string, string | number | boolean | null>
	dedupeKey: string
}

/** true when this call created the notification, false when its dedupeKey already existed. */
export async function notify(n: NotifyInput, db: Tx | typeof prisma = prisma): Promise<boolean> {
	const count = await db.$executeRaw`
		insert into notifications (audience, reseller_id, user_id, kind, data, dedupe_key)
		values (${n.audience}, ${n.resellerId ?? null}::int, ${n.userId ?? null}::int, ${n.kind}, ${JSON.stringify(n.data)}::jsonb, ${n.dedupeKey})
		on conflict (dedupe_key) do nothing`
	return count > 0
}

const iso = (col: Prisma.Sql) => Prisma.sql`to_char((${col}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
const ms = (col: Prisma.Sql) => Prisma.sql`floor(extract(epoch from (${col})) * 1000)::bigint`
/** Customers a reseller still cares about. */
const LIVE = Prisma.sql`c.reseller_id is not null and c.status not in ('deleted', 'refunded')`
/** Services an end user owns (the storefront's customers): he hears about them himself. */
const OWNED = Prisma.sql`c.user_id is not null and c.status not in ('deleted', 'refunded')`
const ONE_DAY = Prisma.sql`now() + interval '1 day'`

/**
 * Every periodic notification, each one set-based statement (fast at 100k customers: one scan
 * each, conflicts answered by the dedupe_key index). Returns how many were created.
 */
export async function generateNotifications(s: AutomationSettings): Promise<number> {
	const statements = [
		// Expiring within N days: once per customer and expiry (an extend makes a new one due).
		Prisma.sql`
			insert into notifications (audience, reseller_id, kind, data, dedupe_key)
			select 'reseller', c.reseller_id, 'expiring',
				jsonb_build_object('customerId', c.id, 'username', c.username, 'expireAt', ${iso(Prisma.sql`c.expire_at`)},
					'days', ceil(extract(epoch from c.expire_at - now()) / 86400)::int),
				'expiring:' || c.id || ':' || ${ms(Prisma.sql`c.expire_at`)}
			from customers c
			where ${LIVE} and c.expire_at > ${ONE_DAY} and c.expire_at <= now() + make_interval(days => ${s.notifyExpiringDays}::int)
			on conflict (dedupe_key) do nothing`,
		...customerStatements(s),
		// Usage past P percent: once per customer and limit (added traffic makes a new one due).
		Prisma.sql`
			insert into notifications (audience, reseller_id, kind, data, dedupe_key)
			select 'reseller', c.reseller_id, 'usage_threshold',
				jsonb_build_object('customerId', c.id, 'username', c.username, 'percent', ${s.notifyUsagePercent}::int,
					'usedBytes', c.used_bytes::text, 'limitBytes', c.data_limit_bytes::text),
				'usage' || ${s.notifyUsagePercent}::int || ':' || c.id || ':' || c.data_limit_bytes
			from customers c
			where ${LIVE} and c.data_limit_bytes > 0 and c.used_bytes * 100 >= c.data_limit_bytes * ${s.notifyUsagePercent}::int
			on conflict (dedupe_key) do nothing`,
		// A node that is down or whose last sync failed: at most once per node and hour.
		Prisma.sql`
			insert into notifications (audience, reseller_id, kind, data, dedupe_key)
			select 'admin', null, 'node_unreachable',
				jsonb_build_object('nodeId', n.id, 'nodeName', n.name, 'error', left(coalesce(n.last_sync_error, n.last_error, ''), 300)),
				'node_down:' || n.id || ':' || to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24')
			from nodes n
			where n.deleted_at is null and (n.health = 'down' or n.last_sync_error is not null)
			on conflict (dedupe_key) do nothing`,
		// A job failing again and again: once per job and every jobFailureAlertAfter attempts.
		Prisma.sql`
			insert into notifications (audience, reseller_id, kind, data, dedupe_key)
			select 'admin', null, 'job_failing',
				jsonb_build_object('jobId', j.id::text, 'task', j.task_identifier, 'attempts', j.attempts, 'maxAttempts', j.max_attempts, 'error', left(j.last_error, 300)),
				'job:' || j.id || ':' || (j.attempts / ${s.jobFailureAlertAfter}::int)
			from graphile_worker.jobs j
			where j.attempts >= ${s.jobFailureAlertAfter}::int and j.last_error is not null
			on conflict (dedupe_key) do nothing`,
		...poolStatements(s),
		...creditStatements(s),
		...nodeStatements(),
		balanceLowStatement(),
	]
	let created = 0
	for (const sql of statements) created += await prisma.$executeRaw(sql)
	return created
}

function poolStatements(s: AutomationSettings) {
	// "Total" = traffic credited in the current window (or ever): a top-up changes it, so the same
	// condition after a new top-up notifies again.
	const pools = Prisma.sql`
		with p as (
			select r.id, r.pool_bytes, r.pool_window_end,
				coalesce((select sum(l.amount) from ledger_entries l
					where l.reseller_id = r.id and l.account = 'traffic' and l.amount > 0
						and (r.pool_window_start is null or l.created_at >= r.pool_window_start)), 0)::bigint as total
			from resellers r where r.funding_model = 'pool')`
	return [
		Prisma.sql`${pools}
			insert into notifications (audience, reseller_id, kind, data, dedupe_key)
			select 'reseller', p.id, 'pool_low',
				jsonb_build_object('remainingBytes', p.pool_bytes::text, 'totalBytes', p.total::text, 'percentLeft', floor(p.pool_bytes * 100 / p.total)::int),
				'pool_low:' || p.id || ':' || p.total
			from p where p.total > 0 and p.pool_bytes > 0 and p.pool_bytes * 100 <= p.total * (100 - ${s.notifyUsagePercent}::int)
			on conflict (dedupe_key) do nothing`,
		Prisma.sql`${pools}
			insert into notifications (audience, reseller_id, kind, data, dedupe_key)
			select 'reseller', p.id, 'pool_exhausted', jsonb_build_object('totalBytes', p.total::text), 'pool_empty:' || p.id || ':' || p.total
			from p where p.pool_bytes <= 0
			on conflict (dedupe_key) do nothing`,
		Prisma.sql`
			insert into notifications (audience, reseller_id, kind, data, dedupe_key)
			select 'reseller', r.id, 'pool_window_over', jsonb_build_object('windowEnd', ${iso(Prisma.sql`r.pool_window_end`)}),
				'pool_window:' || r.id || ':' || ${ms(Prisma.sql`r.pool_window_end`)}
			from resellers r where r.funding_model = 'pool' and r.pool_window_end <= now()
			on conflict (dedupe_key) do nothing`,
	]
}

function creditStatements(s: AutomationSettings) {
	const disableAt = Prisma.sql`r.negative_since + make_interval(hours => ${s.negativeCreditHours}::int)`
	return [
		// Negative balance: once per episode (negative_since is reset when the balance is ≥ 0 again).
		Prisma.sql`
			insert into notifications (audience, reseller_id, kind, data, dedupe_key)
			select 'reseller', r.id, 'balance_negative',
				jsonb_build_object('balance', r.balance::text, 'currency', r.currency, 'since', ${iso(Prisma.sql`r.negative_since`)}, 'disableAt', ${iso(disableAt)}),
				'negative:' || r.id || ':' || ${ms(Prisma.sql`r.negative_since`)}
			from resellers r where r.funding_model = 'wallet' and r.negative_since is not null
			on conflict (dedupe_key) do nothing`,
		Prisma.sql`
			insert into notifications (audience, reseller_id, kind, data, dedupe_key)
			select 'reseller', r.id, 'credit_disabled',
				jsonb_build_object('balance', r.balance::text, 'currency', r.currency, 'since', ${iso(Prisma.sql`r.negative_since`)}, 'hours', ${s.negativeCreditHours}::int),
				'credit_disabled:' || r.id || ':' || ${ms(Prisma.sql`r.negative_since`)}
			from resellers r where r.funding_model = 'wallet' and ${disableAt} <= now()
			on conflict (dedupe_key) do nothing`,
	]
}

/**
 * The customer events besides the reseller's "expiring within N days" and "usage past P %" above:
 * the last day before expiry and the whole quota used, to the reseller; and all four to the end
 * user who owns a storefront service (audience 'user', keys prefixed "u:").
 */
function customerStatements(s: AutomationSettings) {
	const expiringData = Prisma.sql`jsonb_build_object('customerId', c.id, 'username', c.username, 'expireAt', ${iso(Prisma.sql`c.expire_at`)},
		'days', ceil(extract(epoch from c.expire_at - now()) / 86400)::int)`
	const usageData = (percent: Prisma.Sql) => Prisma.sql`jsonb_build_object('customerId', c.id, 'username', c.username, 'percent', ${percent},
		'usedBytes', c.used_bytes::text, 'limitBytes', c.data_limit_bytes::text)`
	const expiresMs = ms(Prisma.sql`c.expire_at`)
	const within = (from: Prisma.Sql, to: Prisma.Sql) => Prisma.sql`c.expire_at > ${from} and c.expire_at <= ${to}`
	const nDays = Prisma.sql`now() + make_interval(days => ${s.notifyExpiringDays}::int)`
	const used = (percent: Prisma.Sql) => Prisma.sql`c.data_limit_bytes > 0 and c.used_bytes * 100 >= c.data_limit_bytes * ${percent}`
	const p = Prisma.sql`${s.notifyUsagePercent}::int`
	const insert = (audience: 'reseller' | 'user', kind: string, data: Prisma.Sql, key: Prisma.Sql, where: Prisma.Sql) => Prisma.sql`
		insert into notifications (audience, reseller_id, user_id, kind, data, dedupe_key)
		select ${audience}, ${audience === 'reseller' ? Prisma.sql`c.reseller_id` : Prisma.sql`null::int`}, ${audience === 'user' ? Prisma.sql`c.user_id` : Prisma.sql`null::int`},
			${kind}, ${data}, ${key}
		from customers c where ${audience === 'reseller' ? LIVE : OWNED} and ${where}
		on conflict (dedupe_key) do nothing`
	return [
		// The last day: once per customer and expiry, like the N-day one (which leaves this day to it).
		insert('reseller', 'expiring_1d', expiringData, Prisma.sql`'expiring1d:' || c.id || ':' || ${expiresMs}`, within(Prisma.sql`now()`, ONE_DAY)),
		insert('reseller', 'usage_exhausted', usageData(Prisma.sql`100`), Prisma.sql`'usage100:' || c.id || ':' || c.data_limit_bytes`, used(Prisma.sql`100`)),
		insert('user', 'expiring', expiringData, Prisma.sql`'u:expiring:' || c.id || ':' || ${expiresMs}`, within(ONE_DAY, nDays)),
		insert('user', 'expiring_1d', expiringData, Prisma.sql`'u:expiring1d:' || c.id || ':' || ${expiresMs}`, within(Prisma.sql`now()`, ONE_DAY)),
		insert('user', 'usage_threshold', usageData(p), Prisma.sql`'u:usage' || ${p} || ':' || c.id || ':' || c.data_limit_bytes`, used(p)),
		insert('user', 'usage_exhausted', usageData(Prisma.sql`100`), Prisma.sql`'u:usage100:' || c.id || ':' || c.data_limit_bytes`, used(Prisma.sql`100`)),
	]
}

function nodeStatements() {
	return [
		// Back after a "down": once per down notification (its id is the episode), when the node
		// answers and syncs again. The partial index notifications_node_down_idx finds the last one.
		Prisma.sql`
			insert into notifications (audience, reseller_id, kind, data, dedupe_key)
			select 'admin', null, 'node_back', jsonb_build_object('nodeId', n.id, 'nodeName', n.name, 'downAt', ${iso(Prisma.sql`d.created_at`)}),
				'node_back:' || n.id || ':' || d.id
			from nodes n cross join lateral (
				select x.id, x.created_at from notifications x
				where x.kind = 'node_unreachable' and (x.data->>'nodeId')::int = n.id order by x.id desc limit 1) d
			where n.deleted_at is null and n.health <> 'down' and n.last_sync_error is null
			on conflict (dedupe_key) do nothing`,
		// Counters that stopped moving (usage_stale, set by the sync): once per node and last movement.
		Prisma.sql`
			with st as (
				select n.id, n.name, (select max(coalesce(s.last_change_at, s.created_at)) from sub_accounts s where s.node_id = n.id and s.state = 'active') as moved
				from nodes n where n.deleted_at is null and n.usage_stale)
			insert into notifications (audience, reseller_id, kind, data, dedupe_key)
			select 'admin', null, 'sync_stale', jsonb_build_object('nodeId', st.id, 'nodeName', st.name, 'since', ${iso(Prisma.sql`st.moved`)}),
				'sync_stale:' || st.id || ':' || coalesce(${ms(Prisma.sql`st.moved`)}, 0)
			from st
			on conflict (dedupe_key) do nothing`,
	]
}

/**
 * A wallet that lasts under three days at the last seven days' spending on customers (charges
 * only, not admin adjustments; currency-neutral: no threshold per currency to configure). Once per top-up: the newest credit entry is the episode.
 * A negative balance is balance_negative's, not this one's.
 */
function balanceLowStatement() {
	return Prisma.sql`
		with w as (
			select r.id, r.balance, r.currency,
				coalesce((select -sum(l.amount) from ledger_entries l where l.reseller_id = r.id and l.account = 'money' and l.kind = 'charge' and l.amount < 0
					and l.created_at > now() - interval '7 days'), 0)::bigint as spent,
				coalesce((select max(l.id) from ledger_entries l where l.reseller_id = r.id and l.account = 'money' and l.amount > 0), 0) as last_credit
			from resellers r where r.funding_model = 'wallet' and r.negative_since is null and r.balance >= 0)
		insert into notifications (audience, reseller_id, kind, data, dedupe_key)
		select 'reseller', w.id, 'balance_low', jsonb_build_object('balance', w.balance::text, 'currency', w.currency, 'days', floor(w.balance * 7 / w.spent)::int),
			'balance_low:' || w.id || ':' || w.last_credit
		from w where w.spent > 0 and w.balance * 7 < w.spent * 3
		on conflict (dedupe_key) do nothing`
}
