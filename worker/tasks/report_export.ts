import type { Task } from 'graphile-worker'
import { z } from 'zod'

const payload = z.object({ exportId: z.number().int().positive() })

/** One Excel export (queued from /admin/reports or /reseller/reports). */
export const report_export: Task = async (raw, helpers) => {
	const { exportId } = payload.parse(raw)
	// Loaded on the first export: ExcelJS alone is ~17 MiB resident, in every worker that never
	// exports otherwise (decision 033).
	const { runExport } = await import('~/services/reports/export.server')
	const stats = await runExport(exportId)
	helpers.logger.info(`report_export: #${exportId} ${stats ? `${stats.rows} rows in ${stats.batches} pages` : 'not run or failed (see its row)'}`)
}
