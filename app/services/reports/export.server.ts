// Excel exports (issue 14). Reports — this folder — are read-only over the hub's data: sheets
// (sheets/*), filters, dates, the analytics of the ledger; routes and the worker import from here.
// An export is a row in report_exports plus a graphile-worker job (queued in the same
// transaction). The job streams the sheet with exceljs' WorkbookWriter to a file: rows come from
// Postgres in keyset pages of PAGE_SIZE, each page is committed to the file before the next is
// read (committing a row flushes every row above it), so memory holds one page whatever the size.
// Progress (rows done / total, pages) is written after every page; the page polls it.
import { randomBytes } from 'node:crypto'
import { createReadStream, mkdirSync } from 'node:fs'
import { rename, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { Prisma } from '~/generated/prisma/client'
import { enqueue } from '~/services/jobs.server'
import { prisma, sql } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { formatNumber } from '~/utils/format'
import { isLang, type Lang } from '~/utils/i18n'
import { getLang, getT } from '~/utils/i18n.server'
import { failAbandonedExports } from './abandoned.server'
import type { Cell } from './cells'
import { scoped, type ExportKind, type ReportFilters } from './filters'
import type { Row, SheetDef } from './sheet'
import { SHEETS } from './sheets/index'

export const PAGE_SIZE = 2000

/**
 * Attempts of an export's job. A failure inside runExport is recorded on the row and not thrown,
 * so it is never retried (asking again is one click); the further attempts are for a worker
 * killed mid-export, whose job graphile-worker runs again once it unlocks it (abandoned.server.ts).
 * With 1, such a job was spent on the attempt that died and its row stayed "running" forever.
 */
export const EXPORT_ATTEMPTS = 3

export function reportsDir() {
	return resolve(env().REPORTS_DIR)
}

export interface ExportRequest {
	requestedBy: number
	/** The reseller whose export this is (his rows only), or null for the admin's. */
	resellerId: number | null
	kind: ExportKind
	filters: ReportFilters
	lang: Lang
}

/** The row and its job, in one transaction: a job exists exactly when its row does. */
export async function requestExport(req: ExportRequest) {
	return prisma.$transaction(async (tx) => {
		const row = await tx.reportExport.create({ data: { requestedBy: req.requestedBy, resellerId: req.resellerId, kind: req.kind, filters: req.filters as Prisma.InputJsonObject, lang: req.lang } })
		await enqueue(tx, 'report_export', { exportId: row.id }, { jobKey: `report_export:${row.id}`, maxAttempts: EXPORT_ATTEMPTS, queueName: 'reports' })
		return row
	})
}

export interface ExportStats {
	rows: number
	batches: number
	/** The most rows any page held (≤ the page size: the memory bound). */
	largestPage: number
}

/** Runs one export to its file. A row already done is left alone; a failure is recorded, not thrown. */
export async function runExport(exportId: number, opts: { pageSize?: number } = {}): Promise<ExportStats | null> {
	const claimed = await prisma.reportExport.updateMany({ where: { id: exportId, status: { in: ['queued', 'running'] } }, data: { status: 'running', startedAt: new Date(), rowsDone: 0, batches: 0, error: null } })
	if (claimed.count !== 1) return null
	const job = await prisma.reportExport.findUniqueOrThrow({ where: { id: exportId } })
	const dir = reportsDir()
	const file = join(dir, `${job.id}-${job.kind}-${randomBytes(8).toString('hex')}.xlsx`)
	const part = `${file}.part`
	try {
		mkdirSync(dir, { recursive: true, mode: 0o700 })
		const lang: Lang = isLang(job.lang) ? job.lang : 'en'
		const def = SHEETS[job.kind as ExportKind]
		if (!def) throw new Error(`unknown export kind ${job.kind}`)
		const filters = scoped(job.filters as ReportFilters, { resellerId: job.resellerId })
		const stats = await writeWorkbook(part, def, filters, { lang, kind: job.kind as ExportKind, reseller: job.resellerId != null, pageSize: opts.pageSize ?? PAGE_SIZE }, async (p) => {
			await prisma.reportExport.update({ where: { id: job.id }, data: p })
		})
		await rename(part, file)
		const { size } = await stat(file)
		await prisma.reportExport.update({ where: { id: job.id }, data: { status: 'done', file, bytes: BigInt(size), rowsDone: stats.rows, batches: stats.batches, finishedAt: new Date() } })
		return stats
	} catch (e) {
		await rm(part, { force: true }).catch(() => {})
		await prisma.reportExport.update({ where: { id: job.id }, data: { status: 'failed', error: (e as Error).message.slice(0, 1000), finishedAt: new Date() } })
		return null
	}
}

interface WriteOptions {
	lang: Lang
	kind: ExportKind
	reseller: boolean
	pageSize: number
}

type Progress = { rowsTotal?: number; rowsDone?: number; batches?: number }

async function writeWorkbook(path: string, def: SheetDef, f: ReportFilters, o: WriteOptions, progress: (p: Progress) => Promise<void>): Promise<ExportStats> {
	const t = await getT(o.lang)
	const [{ n }] = await sql.$queryRaw<Array<{ n: number }>>`select count(*)::int as n ${def.from(f)}`
	await progress({ rowsTotal: n })
	const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false })
	wb.creator = 'Guardino Hub'
	const ws = wb.addWorksheet(t(`reports.kinds.${o.kind}`).slice(0, 31), { views: [{ rightToLeft: o.lang === 'fa', state: 'frozen', ySplit: 1 }] })
	ws.columns = def.columns.map((c) => ({ header: t(`reports.columns.${c.key}`), key: c.key, width: c.width ?? 12 }))
	ws.getRow(1).font = { bold: true }
	ws.getRow(1).commit()
	// An enum value without a label yet shows as itself rather than as its key.
	const ctx = { lang: o.lang, t: (k: string) => t(k, { defaultValue: k.split('.').pop() }), reseller: o.reseller }
	const keys = def.keys.map((k) => Prisma.raw(k.expr))
	const keyCols = def.keys.map((k, i) => Prisma.raw(`${k.expr}::text as k${i}`))
	let cursor: string[] | null = null
	const stats: ExportStats = { rows: 0, batches: 0, largestPage: 0 }
	for (;;) {
		const after = cursor
			? Prisma.sql`and (${Prisma.join(keys)}) > (${Prisma.join(cursor.map((v, i) => Prisma.sql`${v}::${Prisma.raw(def.keys[i]!.type)}`))})`
			: Prisma.empty
		const page: Row[] = await sql.$queryRaw<Row[]>`select ${def.select}, ${Prisma.join(keyCols)} ${def.from(f)} ${after} order by ${Prisma.join(keys)} limit ${o.pageSize}`
		if (page.length === 0) break
		for (const r of page) addRow(ws, def.cells(r, ctx))
		ws.lastRow?.commit() // writes the whole page to the file and lets it go
		stats.rows += page.length
		stats.batches++
		stats.largestPage = Math.max(stats.largestPage, page.length)
		await progress({ rowsDone: stats.rows, batches: stats.batches })
		const last = page[page.length - 1]!
		cursor = def.keys.map((_, i) => last[`k${i}`] as string)
		if (page.length < o.pageSize) break
	}
	ws.commit()
	await wb.commit()
	return stats
}

function addRow(ws: ExcelJS.Worksheet, cells: Cell[]) {
	const row = ws.addRow(cells.map((c) => (c != null && typeof c === 'object' ? c.value : c)))
	cells.forEach((c, i) => {
		if (c != null && typeof c === 'object' && c.numFmt && c.value != null) row.getCell(i + 1).numFmt = c.numFmt
	})
}

/** Exports one may see: a reseller only his own; the admin every one. Newest first. */
export async function listExports(scope: { resellerId: number | null }, take = 20) {
	const find = () => prisma.reportExport.findMany({ where: scope.resellerId == null ? {} : { resellerId: scope.resellerId }, orderBy: { id: 'desc' }, take })
	const rows = await find()
	const open = rows.filter((r) => r.status === 'queued' || r.status === 'running').map((r) => r.id)
	// The page polls the open ones: one whose job is spent shows "failed" now, not after the daily sweep.
	if (open.length && (await failAbandonedExports(open))) return find()
	return rows
}

/**
 * The translation key of a failed export's reason: ours as stored (abandoned.server.ts); any other
 * error (from the database or the disk, in English) as the generic one — the message itself stays
 * on the row, shown to the admin on hover.
 */
export function failureReason(row: { status: string; error: string | null }) {
	if (row.status !== 'failed') return null
	return row.error?.startsWith('reports.exports.errors.') ? row.error : 'reports.exports.errors.failed'
}

/**
 * Export `id` as a download, if `scope` may see it: its file; a translated 410 when the retention
 * task deleted it (status "expired", services/retention) or the file is gone from disk; a
 * translated 404 for a foreign, unknown or unfinished one.
 */
export async function downloadExport(request: Request, id: number, scope: { resellerId: number | null }): Promise<Response> {
	const row = await prisma.reportExport.findFirst({ where: { id, status: { in: ['done', 'expired'] }, ...(scope.resellerId == null ? {} : { resellerId: scope.resellerId }) } })
	const res = row?.status === 'done' ? await fileResponse(row) : null
	if (res) return res
	const lang = await getLang(request)
	const t = await getT(lang)
	if (!row) throw new Response(t('errors.notFound.body'), { status: 404 })
	throw new Response(t('reports.exports.gone', { days: formatNumber(lang, env().REPORT_RETENTION_DAYS) }), { status: 410 })
}

/** The file as a download, streamed from disk (never read whole); null when it is gone. */
export async function fileResponse(row: { id: number; kind: string; file: string | null }): Promise<Response | null> {
	if (!row.file) return null
	const size = await stat(row.file).then((s) => s.size, () => null)
	if (size == null) return null
	const body = Readable.toWeb(createReadStream(row.file)) as unknown as ReadableStream<Uint8Array>
	return new Response(body, {
		headers: {
			'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'Content-Disposition': `attachment; filename="guardino-${row.kind}-${row.id}.xlsx"`,
			'Content-Length': String(size),
			'Cache-Control': 'private, no-store',
		},
	})
}
