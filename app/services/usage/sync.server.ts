// The usage pipeline (issue 5), one for every node kind: walk the panel's bulk list (never one
// call per customer), match the accounts to our active sub-accounts by remote username (one query
// per ~1000 listed accounts), account each counter (accounting.ts) and write in batches, each batch
// one transaction (batch-writer). After each commit the customers whose new usage may cross a
// limit go to enforcement, so a quota crossing is acted on seconds later, not at the next pass.
//
// A round is complete by construction: an offset walk can skip rows (a deletion during the walk
// shifts every later offset; MySQL-backed panels may order tied rows differently per page), so
// every live sub-account the walk did not return is then read on its own (readUnlisted).
//
// Never overlaps for one node: the job runs on the node's own graphile-worker queue, and every
// counter write is a compare-and-set anyway.
import { randomUUID } from 'node:crypto'
import { connectionOf, nodeParams, openSecrets } from '~/models/node.server'
import { evaluateCustomers } from '~/services/enforcement.server'
import { enqueue } from '~/services/jobs.server'
import { isPanelError } from '~/services/panels/errors'
import { createAdapter } from '~/services/panels/index.server'
import type { AccountPage, AccountRef, PanelAdapter, RemoteAccount } from '~/services/panels/types'
import { getSettings } from '~/services/settings.server'
import { recordRun } from '~/services/task-runs.server'
import { open } from '~/utils/crypto.server'
import { prisma, sql } from '~/utils/db.server'
import { accountCounter, GIB, MIB, remoteEnabled, wantsEnabled, type AccountingRules } from './accounting'
import { writeBatch, type BatchRow, type BatchResult } from './batch-writer.server'
import { writeOnlineTimes } from './online.server'

export interface SyncOptions {
	/** Accounts per listAccounts call (a hint; Marzneshin caps at 100). */
	pageSize?: number
	/** Changed sub-accounts per transaction. */
	batchSize?: number
	/** Per-request panel timeout. */
	timeoutMs?: number
	/** Test seam: runs inside each batch's transaction right after its counters were written. */
	afterCounters?: (batchNo: number) => void | Promise<void>
}

export interface SyncResult {
	items: number
	failures: number
	/** Accounts the panel listed. */
	accounts: number
	/** …of which are our active sub-accounts. */
	matched: number
	/** Counters that moved and were written. */
	changed: number
	held: number
	poolCharged: bigint
	reconciles: number
	batches: number
	/** Live sub-accounts the bulk walk did not return, read one by one afterwards. */
	fetchedIndividually: number
	/** …of which the panel no longer has (not_found): recorded, left to reconciliation. */
	missingOnPanel: number
}

/** [id, customer_id, remote_username, last_counter (text), counter_epoch, customer status, reseller_id, pool reseller] */
type SubRow = [number, number, string, string, number, string, number | null, boolean | null]

// One row back (a JSON array) and the names in as one JSON parameter: cheap to send and to parse.
// On the raw pool as a named statement (utils/sql.server.ts): planning it took about half of
// Postgres's time for it (~7 of ~15 ms per 1000 names), paid once per connection now.
const MATCH_SQL = `
select coalesce(json_agg(json_build_array(s.id, s.customer_id, s.remote_username, s.last_counter::text, s.counter_epoch,
	c.status, c.reseller_id, r.funding_model = 'pool')), '[]') as rows
from json_array_elements_text($2::json) as n(name)
join sub_accounts s on s.remote_username = n.name and s.node_id = $1 and s.state = 'active'
join customers c on c.id = s.customer_id
left join resellers r on r.id = c.reseller_id`

// The live sub-accounts a walk did not return, as SubRow + the sealed ref. The returned ids arrive
// as one `{1,2,…}` text parameter (a compact id set, one string to send) and are anti-joined, so
// this stays one query per round. The anti-join runs on the node's sub-accounts alone, before
// any customer is read (`missed`, materialized): joined first, the planner hashed the whole
// customers table for each node — ~110 ms at 200k customers, growing with all customers, not
// with the node (decision 034). The few missed rows then find their customer by primary key
// (a lateral with a limit is never flattened into a join, so it stays one index probe per row).
const UNLISTED_SQL = `
with missed as materialized (
	select s.id, s.customer_id, s.remote_username, s.last_counter, s.counter_epoch, s.ref
	from sub_accounts s
	where s.node_id = $1 and s.state = 'active'
		and not exists (select 1 from unnest($2::text::int[]) as seen(id) where seen.id = s.id)
)
select coalesce(json_agg(json_build_array(s.id, s.customer_id, s.remote_username, s.last_counter::text, s.counter_epoch,
	c.status, c.reseller_id, c.pool, s.ref)), '[]') as rows
from missed s
cross join lateral (
	select c.status, c.reseller_id, r.funding_model = 'pool' as pool
	from customers c left join resellers r on r.id = c.reseller_id
	where c.id = s.customer_id limit 1
) c`

/** Individual reads at once for the accounts a walk missed: a few, not a second walk. */
const UNLISTED_CONCURRENCY = 4

/** The job body for one node. A node that is down records its error and throws (job retried). */
export async function syncNodeUsage(nodeId: number, opts: SyncOptions = {}): Promise<SyncResult | null> {
	const node = await prisma.node.findFirst({ where: { id: nodeId, deletedAt: null } })
	if (!node) return null // soft-deleted after the job was queued: leave it alone (rule 7)
	return recordRun('sync_node_usage', nodeId, async () => {
		const started = performance.now()
		try {
			const result = await walkNode(node, opts)
			const ms = Math.round(performance.now() - started)
			const settings = await getSettings()
			// Stale: the node has accounts and none of their counters moved for staleAfterMin (an
			// account that never moved counts from its creation, so a new node is not stale at once).
			// A walk that wrote a counter has just set last_change_at = now() on an active row, so
			// the node is not stale without scanning its sub-accounts (~12 ms per 20,000; $7).
			await prisma.$executeRawUnsafe(
				`update nodes set
					usage_stale = case when $7 then false else coalesce((select max(coalesce(last_change_at, created_at)) < now() - make_interval(mins => $2)
						from sub_accounts where node_id = $1 and state = 'active'), false) end,
					last_sync_at = now(), last_sync_ms = $3, last_sync_accounts = $4, last_sync_error = null,
					last_sync_fetched = $5, last_sync_missing = $6
				where id = $1`,
				nodeId,
				settings.staleAfterMin,
				ms,
				result.accounts,
				result.fetchedIndividually,
				result.missingOnPanel,
				result.changed > 0,
			)
			return result
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e)
			await prisma.node.update({ where: { id: nodeId }, data: { lastSyncError: message.slice(0, 500), lastSyncMs: Math.round(performance.now() - started) } })
			throw e
		}
	})
}

async function walkNode(node: NonNullable<Awaited<ReturnType<typeof prisma.node.findFirst>>>, opts: SyncOptions): Promise<SyncResult> {
	const pageSize = opts.pageSize ?? 1000
	const batchSize = opts.batchSize ?? 1000
	const matchSize = Math.max(pageSize, 1000)
	const settings = await getSettings()
	const rules: AccountingRules = {
		permille: node.usageMultiplierPermille,
		jumpBytes: BigInt(settings.jumpHoldGb) * GIB,
		dropToleranceBytes: node.kind === 'wgdashboard' ? MIB : 0n,
	}
	const adapter = createAdapter(connectionOf(nodeParams(node), openSecrets(node.secrets), opts.timeoutMs ?? 30_000))
	const runId = randomUUID()
	const result: SyncResult = {
		items: 0, failures: 0, accounts: 0, matched: 0, changed: 0, held: 0, poolCharged: 0n, reconciles: 0, batches: 0,
		fetchedIndividually: 0, missingOnPanel: 0,
	}
	// Keyed by sub-account: a username listed twice in one walk is read once (the later read).
	const rows = new Map<number, BatchRow>()
	// Every sub-account the walk returned, for readUnlisted.
	const seen = new Set<number>()
	let drift = new Set<number>()
	// Sub-account → the panel's last-online time (the reseller's online dot; issue 15).
	const online = new Map<number, Date>()

	/** Writes full batches; with `all`, the remainder too. */
	const flush = async (all: boolean) => {
		if (all || online.size >= batchSize) await writeOnlineTimes(node.id, online)
		while (rows.size >= batchSize || (all && (rows.size || drift.size))) {
			const chunk: BatchRow[] = []
			for (const [id, row] of rows) {
				if (chunk.length >= batchSize) break
				chunk.push(row)
				rows.delete(id)
			}
			const batch = { nodeId: node.id, runId, batchNo: ++result.batches, rows: chunk, drift: [...drift], afterCounters: opts.afterCounters }
			drift = new Set()
			const done: BatchResult = await writeBatch(batch)
			result.changed += done.applied
			result.held += done.held
			result.poolCharged += done.poolCharged
			result.reconciles += done.reconciles
			if (done.mayCross.length) {
				// Outside the transaction: the usage is committed whatever enforcement does; a failure
				// here is caught up by the periodic enforcement pass. Only the customers whose usage
				// can have changed a decision (over their limit, or their pool emptied) are sent.
				await evaluateCustomers(done.mayCross).catch((e: unknown) => {
					result.failures++
					console.error(`usage sync node ${node.id}: evaluateCustomers failed`, e)
				})
			}
		}
	}

	// Pages are matched ~1000 accounts at a time (Marzneshin pages hold 100): one query each.
	let listed: RemoteAccount[] = []
	const match = async () => {
		const accounts = listed
		listed = []
		if (!accounts.length) return
		const byName = new Map(accounts.map((a) => [a.ref.username, a]))
		const [found] = await sql.queryText<{ rows: SubRow[] }>(MATCH_SQL, [node.id, JSON.stringify([...byName.keys()])])
		const subs = found?.rows ?? []
		result.matched += subs.length
		for (const sub of subs) account(sub, byName.get(sub[2])!)
	}

	/** One panel reading of one of our sub-accounts → drift check and, if it moved, a batch row. */
	const account = ([id, customerId, , lastText, epoch, status, resellerId, pool]: SubRow, remote: RemoteAccount) => {
		seen.add(id)
		if (remoteEnabled(remote.status) !== wantsEnabled(status)) drift.add(customerId)
		const lastCounter = BigInt(lastText)
		const r = accountCounter({ lastCounter, counterEpoch: epoch }, remote.usedBytes, rules)
		if (!r.changed) {
			// Only the online time can have moved: its own light update (online.server).
			if (remote.onlineAt) online.set(id, remote.onlineAt)
			return
		}
		rows.set(id, {
			subId: id,
			customerId,
			poolResellerId: pool ? resellerId : null,
			prevCounter: lastCounter,
			prevEpoch: epoch,
			nextCounter: r.nextCounter,
			nextEpoch: r.nextEpoch,
			counted: r.counted,
			held: r.held,
			onlineAtMs: remote.onlineAt?.getTime() ?? null,
		})
	}

	try {
		// The next page is requested while this one is matched and written: the panel's time and
		// ours overlap instead of adding up (one request in flight per node, never more).
		let next: Promise<AccountPage> | null = adapter.listAccounts(null, pageSize)
		while (next) {
			const page: AccountPage = await next
			next = page.nextCursor ? adapter.listAccounts(page.nextCursor, pageSize) : null
			next?.catch(() => {}) // awaited on the next turn; not "unhandled" if we stop before it
			result.accounts += page.accounts.length
			listed.push(...page.accounts)
			if (listed.length < matchSize && next) continue
			await match()
			await flush(false)
		}
		await readUnlisted(node.id, adapter, seen, result, account)
		await flush(true)
	} finally {
		await adapter.close?.().catch(() => {})
	}
	result.items = result.matched
	return result
}

/**
 * Reads one by one every live sub-account of the node the walk did not return, and accounts it
 * like a listed one. An account the panel no longer has is counted (missingOnPanel), not fatal:
 * deleting or re-creating it is reconciliation's decision, not the usage sync's.
 */
async function readUnlisted(
	nodeId: number,
	adapter: PanelAdapter,
	seen: Set<number>,
	result: SyncResult,
	account: (sub: SubRow, remote: RemoteAccount) => void,
) {
	const [found] = await sql.queryText<{ rows: Array<[...SubRow, string | null]> }>(UNLISTED_SQL, [nodeId, `{${[...seen].join(',')}}`])
	const queue = found?.rows ?? []
	result.fetchedIndividually = queue.length
	const worker = async () => {
		for (let row = queue.pop(); row; row = queue.pop()) {
			const sealedRef = row[8]
			try {
				const ref: AccountRef = sealedRef ? (JSON.parse(open(sealedRef)) as AccountRef) : { username: row[2] }
				account(row.slice(0, 8) as SubRow, await adapter.getAccount(ref))
				result.matched++
			} catch (e) {
				if (isPanelError(e, 'not_found')) result.missingOnPanel++
				else {
					result.failures++
					console.error(`usage sync node ${nodeId}: reading ${row[2]} failed`, e)
				}
			}
		}
	}
	await Promise.all(Array.from({ length: UNLISTED_CONCURRENCY }, worker))
}

/** The cron fan-out: one job per live node on the node's own queue, one pending job per node. */
export async function enqueueNodeSyncs(): Promise<number> {
	const { syncIntervalSec } = await getSettings()
	// Cron fires every minute. A longer interval skips nodes synced successfully within it (half a
	// minute of slack, since lastSyncAt is when a run finished, not when it started).
	const recent = syncIntervalSec > 60 ? { OR: [{ lastSyncAt: null }, { lastSyncAt: { lt: new Date(Date.now() - (syncIntervalSec - 30) * 1000) } }, { lastSyncError: { not: null } }] } : {}
	const nodes = await prisma.node.findMany({ where: { deletedAt: null, ...recent }, select: { id: true }, orderBy: { id: 'asc' } })
	if (!nodes.length) return 0
	await prisma.$transaction(async (tx) => {
		// preserve_run_at: a run already chained for a sub-minute interval keeps its time.
		for (const n of nodes) await enqueue(tx, 'sync_node_usage', { nodeId: n.id }, { ...syncJob(n.id), jobKeyMode: 'preserve_run_at' })
	})
	return nodes.length
}

const syncJob = (nodeId: number) => ({ queueName: `node:${nodeId}`, jobKey: `sync:${nodeId}`, maxAttempts: 3 })

/**
 * Intervals under a minute (cron's granularity): each run schedules the node's next one. The
 * chain survives failures (it is scheduled whatever the run's outcome) and cron restarts it if
 * it ever breaks. Returns when the next run is due, or null when cron alone drives the node.
 */
export async function scheduleNextSync(nodeId: number): Promise<Date | null> {
	const { syncIntervalSec } = await getSettings()
	if (syncIntervalSec >= 60) return null
	const live = await prisma.node.count({ where: { id: nodeId, deletedAt: null } })
	if (!live) return null
	const runAt = new Date(Date.now() + syncIntervalSec * 1000)
	await prisma.$transaction((tx) => enqueue(tx, 'sync_node_usage', { nodeId }, { ...syncJob(nodeId), runAt }))
	return runAt
}
