// Excel exports are kept REPORT_RETENTION_DAYS (default 7) after they finish: then their file is
// deleted and the row stays as "expired" (the list says so instead of offering a broken link; the
// download answers 410). Rows are tiny and show who exported what, so they are kept.
import { readdir, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'

const DAY = 86_400_000
/** The names runExport gives its files (and their `.part` while writing): nothing else in the directory is ours to delete. */
const EXPORT_FILE = /^\d+-[a-z_]+-[0-9a-f]{16}\.xlsx(\.part)?$/

export interface ExportRetentionResult {
	/** Finished exports whose file was deleted and whose row is now "expired". */
	expired: number
	/** Files of ours that no finished export points at (a crashed export's `.part`, a row lost to a restore), past the retention. */
	strays: number
	/** More were due than one run handles: the next run continues. */
	more: boolean
}

export async function expireReportExports(now = new Date(), opts: { days?: number; dir?: string; limit?: number } = {}): Promise<ExportRetentionResult> {
	const days = opts.days ?? env().REPORT_RETENTION_DAYS
	const limit = opts.limit ?? 500
	const cutoff = new Date(now.getTime() - days * DAY)
	const due = await prisma.reportExport.findMany({ where: { status: 'done', finishedAt: { lt: cutoff } }, select: { id: true, file: true }, orderBy: { id: 'asc' }, take: limit })
	let expired = 0
	for (const row of due) {
		// The file goes first: if deleting it fails, the row stays downloadable and the next run retries.
		if (row.file) await rm(row.file, { force: true })
		expired += (await prisma.reportExport.updateMany({ where: { id: row.id, status: 'done' }, data: { status: 'expired', file: null } })).count
	}
	const strays = await removeStrayFiles(resolve(opts.dir ?? env().REPORTS_DIR), cutoff, limit)
	return { expired, strays, more: due.length === limit }
}

async function removeStrayFiles(dir: string, cutoff: Date, limit: number): Promise<number> {
	const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
		if (e.code === 'ENOENT') return [] as string[]
		throw e
	})
	const old: string[] = []
	for (const name of names) {
		if (!EXPORT_FILE.test(name)) continue
		const path = join(dir, name)
		const s = await stat(path).catch(() => null)
		// a running export's .part is written to every page, so only an abandoned one is this old
		if (s?.isFile() && s.mtime < cutoff) old.push(path)
		if (old.length >= limit) break
	}
	if (!old.length) return 0
	const kept = new Set((await prisma.reportExport.findMany({ where: { file: { in: old }, status: 'done' }, select: { file: true } })).map((r) => r.file))
	let removed = 0
	for (const path of old) {
		if (kept.has(path)) continue // finished but not yet expired (its finishedAt is newer than the file's mtime)
		await rm(path, { force: true })
		removed++
	}
	return removed
}
