// The scale seed (issue 16): N customers spread over the given nodes and over RESELLERS+1
// resellers, one of which holds a fifth of them (200k at N = 1M), each customer with one
// sub-account named like the simulator's seeded account on its node (xray kinds `b_<g>`,
// WireGuard kinds `b-<g−1>`, g = 1…N/nodes; see bench/usage-sims.ts).
//
// No dependency and no round trip per row: `insert … select … from generate_series` in chunks of
// CHUNK customers (one statement for the customers and their sub-accounts, in one transaction per
// chunk), with synchronous_commit off for this session only. pg-copy-streams is not installed, and
// COPY would still need every row built in Node; here Postgres builds them itself.
//
// `tsx bench/seed-scale.ts` seeds DATABASE_URL's database (BENCH_SCALE_N, default 50 000): nodes
// named `scale-<i>` are created pointing nowhere (soft-deleted, so no sync picks them up) unless
// the bench passes its own simulator-backed nodes.
import pg from 'pg'

export const CHUNK = 50_000
/** Resellers besides the big one; the rest of the customers are dealt to them in turn. */
export const RESELLERS = 40

export interface ScaleSeed {
	bigResellerId: number
	bigResellerUserId: number
	resellerIds: number[]
	perNode: number
	ms: number
}

export type SeedNode = { id: number; wireguard: boolean }

export async function seedScale(url: string, n: number, nodes: SeedNode[], log: (s: string) => void = () => {}): Promise<ScaleSeed> {
	const t = performance.now()
	const db = new pg.Client({ connectionString: url })
	await db.connect()
	try {
		await db.query(`set synchronous_commit = off`)
		const stamp = Date.now()
		const reseller = async (name: string) => {
			const u = await db.query<{ id: number }>(`insert into users (username, role, password_hash, updated_at) values ($1, 'reseller', 'x', now()) returning id`, [name])
			const r = await db.query<{ id: number }>(`insert into resellers (user_id, name, funding_model, updated_at) values ($1, $2, 'wallet', now()) returning id`, [u.rows[0]!.id, name])
			return { id: r.rows[0]!.id, userId: u.rows[0]!.id }
		}
		const big = await reseller(`scale_big_${stamp}`)
		const others: number[] = []
		for (let i = 0; i < RESELLERS; i++) others.push((await reseller(`scale_r${i}_${stamp}`)).id)
		const perNode = Math.floor(n / nodes.length)
		// Bulk-load practice: the secondary indexes (the trigram GINs above all) are dropped and built
		// again afterwards, which is several times faster than maintaining them row by row. Unique
		// indexes stay: they are what makes the rows valid.
		const { rows: indexes } = await db.query<{ name: string; def: string }>(
			`select indexname as name, indexdef as def from pg_indexes where schemaname = current_schema() and tablename in ('customers', 'sub_accounts') and indexdef not like 'CREATE UNIQUE%'`,
		)
		for (const ix of indexes) await db.query(`drop index "${ix.name}"`)
		try {
			await load()
		} finally {
			await db.query(`set maintenance_work_mem = '256MB'`)
			for (const ix of indexes) await db.query(ix.def)
		}
		// VACUUM too, as every table of a running install has long been: otherwise the bulk load's
		// own insert-triggered autovacuum (a one-off, and hint bits set on first touch) lands in the
		// bench's first usage round and is measured as if every round paid it.
		// (one statement per query: VACUUM cannot run in the implicit transaction of a multi-statement one)
		await db.query('vacuum analyze customers')
		await db.query('vacuum analyze sub_accounts')
		return { bigResellerId: big.id, bigResellerUserId: big.userId, resellerIds: [big.id, ...others], perNode, ms: performance.now() - t }

		async function load() {
			// Customer k (0-based over all nodes): every 5th is the big reseller's, the others go round.
			for (const [i, node] of nodes.entries()) {
				for (let from = 1; from <= perNode; from += CHUNK) {
					const to = Math.min(perNode, from + CHUNK - 1)
					await db.query('begin')
					await db.query(
						`with c as (
							insert into customers (reseller_id, username, note, data_limit_bytes, expire_at, sub_token, updated_at)
							select case when k % 5 = 0 then $1::int else ($2::int[])[1 + (k / 5) % cardinality($2::int[])] end,
								'n' || $3::int || '_' || g, case when g % 7 = 0 then 'shop ' || g else null end,
								107374182400, now() + ((g % 60) + 1) * interval '1 day', md5($4::text || k), now()
							from generate_series($5::int, $6::int) g, lateral (select $3::int * $7::int + g - 1 as k) kk
							returning id, split_part(username, '_', 2)::int as g
						)
						insert into sub_accounts (customer_id, node_id, remote_username, state, updated_at)
						select id, $8::int, case when $9::bool then 'b-' || (g - 1) else 'b_' || g end, 'active', now() from c`,
						[big.id, others, i, String(stamp), from, to, perNode, node.id, node.wireguard],
					)
					await db.query('commit')
				}
				log(`seeded node ${i + 1}/${nodes.length}`)
			}
		}
	} finally {
		await db.end()
	}
}

// Run on its own: seed DATABASE_URL's database for a look at the admin and reseller pages at scale.
if (process.argv[1]?.endsWith('seed-scale.ts')) {
	const url = process.env.DATABASE_URL
	if (!url) throw new Error('DATABASE_URL is required')
	const n = Number(process.env.BENCH_SCALE_N || 50_000)
	const db = new pg.Client({ connectionString: url })
	await db.connect()
	const nodes: SeedNode[] = []
	for (let i = 0; i < 50; i++) {
		// Soft-deleted: nothing will try to sync a panel that does not exist.
		const r = await db.query<{ id: number }>(`insert into nodes (name, kind, base_url, secrets, deleted_at, updated_at) values ($1, 'marzban', 'http://127.0.0.1:9', '', now(), now()) returning id`, [`scale-${i}-${Date.now()}`])
		nodes.push({ id: r.rows[0]!.id, wireguard: false })
	}
	await db.end()
	const s = await seedScale(url, n, nodes, console.log)
	console.log(`${n} customers in ${(s.ms / 1000).toFixed(1)} s (big reseller ${s.bigResellerId})`)
}
