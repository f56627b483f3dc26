// Issue 16, decisions 034 and 037: the three tables a usage round rewrites keep room on every page
// for a row's next version (fillfactor 50: HOT updates), and are not vacuumed and analyzed after
// every round. A full round leaves up to one prunable old version per row (n_dead_tup ≈ 1 × the
// table, pruned on the next visit), so the vacuum threshold must lie above one table's worth of
// rows, and analyze waits for several rounds' worth of modifications.
import { describe, expect, test } from 'vitest'
import { prisma } from '~/utils/db.server'

const options = async (table: string) => {
	const [row] = await prisma.$queryRaw<Array<{ opts: string[] | null }>>`select reloptions as opts from pg_class where oid = ${table}::regclass`
	return Object.fromEntries((row?.opts ?? []).map((o) => o.split('=') as [string, string]))
}

describe('storage settings of the usage round tables', () => {
	for (const table of ['customers', 'sub_accounts', 'usage_daily']) {
		test(`${table}: room for HOT updates, no vacuum or analyze after every round`, async () => {
			const o = await options(table)
			expect(Number(o.fillfactor)).toBe(50)
			// Above 1: a round's own prunable versions (≤ 1 × the table) alone never start a vacuum.
			expect(Number(o.autovacuum_vacuum_scale_factor)).toBeGreaterThan(1)
			expect(Number(o.autovacuum_vacuum_scale_factor)).toBeLessThanOrEqual(1.5)
			expect(Number(o.autovacuum_analyze_scale_factor)).toBeGreaterThanOrEqual(2)
			// Still vacuumed for freezing and after inserts: neither is switched off.
			expect(o.autovacuum_enabled).toBeUndefined()
			expect(o.autovacuum_vacuum_insert_scale_factor).toBeUndefined()
		})
	}
})
