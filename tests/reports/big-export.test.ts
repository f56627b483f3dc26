// 100,000 rows through the real job (graphile-worker runOnce with the app's task list): the file
// holds every row, and the writer read and committed them page by page — the page count proves
// no query ever held more than PAGE_SIZE rows (the memory bound), without timing anything.
import ExcelJS from 'exceljs'
import { runOnce } from 'graphile-worker'
import { afterAll, expect, test } from 'vitest'
import { PAGE_SIZE, requestExport } from '~/services/reports/export.server'
import { seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { taskList } from '../../worker/tasks/index'
import { createUser } from '../factories'
import { removeExportFiles } from './fixtures'

const CUSTOMERS = 1000
const DAYS = 100

afterAll(removeExportFiles)

test('a 100k-row usage export runs as a job in keyset pages and the file holds every row', { timeout: 600_000 }, async () => {
	const admin = await createUser('admin')
	const node = await prisma.node.create({ data: { name: 'Big node', kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: seal(JSON.stringify({ username: 'a', password: 'b' })) } })
	await prisma.$executeRaw`
		insert into customers (username, data_limit_bytes, expire_at, sub_token, updated_at)
		select 'big_' || g, 1073741824, now() + interval '30 days', 'tok_big_' || g, now() from generate_series(1, ${CUSTOMERS}) g`
	await prisma.$executeRaw`
		insert into usage_daily (customer_id, node_id, day, bytes)
		select c.id, ${node.id}, date '2026-01-01' + d, 1048576 * d from customers c cross join generate_series(0, ${DAYS - 1}) d where c.username like 'big\\_%'`
	const total = CUSTOMERS * DAYS

	const row = await requestExport({ requestedBy: admin.id, resellerId: null, kind: 'node_usage', filters: { nodeId: node.id }, lang: 'fa' })
	await runOnce({ connectionString: env().DATABASE_URL, taskList })

	const done = await prisma.reportExport.findUniqueOrThrow({ where: { id: row.id } })
	expect(done.error).toBeNull()
	expect(done.status).toBe('done')
	expect(done.rowsTotal).toBe(total)
	expect(done.rowsDone).toBe(total)
	expect(done.batches).toBe(Math.ceil(total / PAGE_SIZE)) // page after page, never one query for all
	expect(PAGE_SIZE).toBeLessThan(total / 10)

	// Read back with exceljs' streaming reader (the file is too big to want whole in memory either).
	let rows = 0
	let last: unknown[] = []
	const reader = new ExcelJS.stream.xlsx.WorkbookReader(done.file!, { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' })
	for await (const ws of reader) for await (const r of ws) {
		rows++
		last = r.values as unknown[]
	}
	expect(rows).toBe(total + 1) // + the header
	// the keyset order is the primary key's: the last row is the last customer's last day
	expect(last[2]).toBe('2026-04-10')
	expect(last[7]).toBe(1048576 * (DAYS - 1))
})
