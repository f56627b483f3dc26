// Retention of what otherwise grows without bound (issues 14, 15): the daily retention_cleanup
// task deletes finished Excel exports' files past REPORT_RETENTION_DAYS (the row stays, "expired",
// and its download is a translated 410, not a broken link or a 500) and the dashboard's half-hour
// usage slots past 48 hours, in bounded batches; raw router samples are pruned by router_cleanup
// after each router's own retention. Real Postgres, real files, the task functions called directly.
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { JobHelpers } from 'graphile-worker'
import { afterAll, describe, expect, test, vi } from 'vitest'
import * as adminDownload from '~/routes/admin+/reports.$id.download'
import * as adminPage from '~/routes/admin+/reports'
import * as resellerDownload from '~/routes/reseller+/reports.$id.download'
import { pruneUsageHalfHours } from '~/services/retention/usage-slots.server'
import { createSession } from '~/utils/auth.server'
import { seal } from '~/utils/crypto.server'
import { langCookie } from '~/utils/i18n.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { taskList } from '../../worker/tasks/index'
import { call, get } from '../console/helpers'
import { createUser, loginAs } from '../factories'
import { BASE, settle } from '../helpers'

// Our own REPORTS_DIR (the default one is shared by every test file), set before env() is first read.
const dir = vi.hoisted(() => {
	const d = `${process.env.TMPDIR || '/tmp'}/guardino-retention-${process.pid}-${Date.now()}`
	process.env.REPORTS_DIR = d
	return d
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const DAY = 86_400_000
const HOUR = 3_600_000
const helpers = { logger: { info() {}, warn() {}, error() {}, debug() {} } } as unknown as JobHelpers
const runTask = (name: 'retention_cleanup' | 'router_cleanup') => taskList[name]!({}, helpers)

/** A file as runExport names it, with its modification time set to `at`. */
function exportFile(name: string, at: Date) {
	mkdirSync(dir, { recursive: true })
	const path = join(dir, name)
	writeFileSync(path, `xlsx bytes of ${name}`)
	utimesSync(path, at, at)
	return path
}

describe('retention_cleanup', () => {
	test('is scheduled daily in the crontab', () => {
		const crontab = readFileSync(join(__dirname, '../../worker/crontab'), 'utf8')
		expect(crontab).toMatch(/^\d+ \d+ \* \* \* +retention_cleanup +\?id=retention_cleanup&max=1$/m)
		expect(crontab).toMatch(/^\S+ \* \* \* \* +router_cleanup +\?id=router_cleanup/m)
	})

	test('a finished export past its retention loses its file and shows "expired"; its download is a translated 410', { timeout: 120_000 }, async () => {
		expect(env().REPORTS_DIR).toBe(dir)
		expect(env().REPORT_RETENTION_DAYS).toBe(7)
		const now = Date.now()
		const admin = await loginAs('admin')
		const resellerUser = await createUser('reseller')
		const reseller = await prisma.reseller.create({ data: { userId: resellerUser.id, name: 'Retention reseller', currency: 'IRR', creditLimit: 0n } })
		const done = async (finishedAt: Date, resellerId: number | null = null) => {
			const row = await prisma.reportExport.create({ data: { requestedBy: admin.user.id, resellerId, kind: 'orders', status: 'done', finishedAt } })
			const file = exportFile(`${row.id}-orders-${'ab'.repeat(8)}.xlsx`, finishedAt)
			return prisma.reportExport.update({ where: { id: row.id }, data: { file, bytes: BigInt(readFileSync(file).length) } })
		}
		const old = await done(new Date(now - 8 * DAY))
		const oldMine = await done(new Date(now - 30 * DAY), reseller.id)
		const fresh = await done(new Date(now - 6 * DAY))
		const failed = await prisma.reportExport.create({ data: { requestedBy: admin.user.id, kind: 'orders', status: 'failed', error: 'boom', finishedAt: new Date(now - 40 * DAY) } })
		// what a crashed export leaves behind, and files that are not ours
		const abandoned = exportFile(`999999-orders-${'cd'.repeat(8)}.xlsx.part`, new Date(now - 9 * DAY))
		const writing = exportFile(`999998-orders-${'ef'.repeat(8)}.xlsx.part`, new Date(now - 60_000))
		const foreign = exportFile('notes.txt', new Date(now - 90 * DAY))

		await runTask('retention_cleanup')

		for (const e of [old, oldMine]) {
			expect(existsSync(e.file!)).toBe(false)
			expect(await prisma.reportExport.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ status: 'expired', file: null, bytes: e.bytes })
		}
		expect(existsSync(fresh.file!)).toBe(true)
		expect((await prisma.reportExport.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe('done')
		expect((await prisma.reportExport.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe('failed')
		expect(existsSync(abandoned)).toBe(false)
		expect(existsSync(writing)).toBe(true)
		expect(existsSync(foreign)).toBe(true)

		// the list says "expired" (no link); the download is a 410 in the reader's language
		const page = await call(adminPage.loader, get('/admin/reports', admin.cookie))
		expect(page.data.exports.find((e: { id: number }) => e.id === old.id)).toMatchObject({ status: 'expired' })
		const langOf = async (lang: 'en' | 'fa') => (await langCookie.serialize(lang)).split(';')[0]!
		const adminEn = `${admin.cookie}; ${await langOf('en')}`
		const gone = await settle(() => adminDownload.loader({ request: get(`/admin/reports/${old.id}/download`, adminEn), params: { id: String(old.id) }, context: {} }))
		expect(gone.status).toBe(410)
		expect(await gone.text()).toBe('This export has expired: its file is kept 7 days after it finishes. Export it again.')
		const resellerCookie = `${(await createSession(resellerUser.id, new Request(BASE))).split(';')[0]!}; ${await langOf('fa')}`
		const goneFa = await settle(() => resellerDownload.loader({ request: get(`/reseller/reports/${oldMine.id}/download`, resellerCookie), params: { id: String(oldMine.id) }, context: {} }))
		expect(goneFa.status).toBe(410)
		expect(await goneFa.text()).toContain('۷ روز')
		// a finished export whose file vanished from disk is a 410 too, never a 500
		rmSync(fresh.file!)
		expect((await settle(() => adminDownload.loader({ request: get(`/admin/reports/${fresh.id}/download`, admin.cookie), params: { id: String(fresh.id) }, context: {} }))).status).toBe(410)
		// another reseller's, a failed or an unknown export stays a 404
		expect((await settle(() => resellerDownload.loader({ request: get(`/reseller/reports/${old.id}/download`, resellerCookie), params: { id: String(old.id) }, context: {} }))).status).toBe(404)
		expect((await settle(() => adminDownload.loader({ request: get(`/admin/reports/${failed.id}/download`, admin.cookie), params: { id: String(failed.id) }, context: {} }))).status).toBe(404)

		// a second run finds nothing more to do
		await runTask('retention_cleanup')
		expect(await prisma.reportExport.count({ where: { status: 'expired' } })).toBe(2)
	})

	test('usage_half_hours older than 48 hours are deleted in bounded batches; the last 48 hours stay', { timeout: 120_000 }, async () => {
		const node = await prisma.node.create({ data: { name: 'Retention node', kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: seal(JSON.stringify({ username: 'a', password: 'b' })) } })
		const now = Date.now()
		const slotAt = (hoursAgo: number) => new Date(Math.floor((now - hoursAgo * HOUR) / (HOUR / 2)) * (HOUR / 2))
		const oldHours = [24 * 30, 24 * 7, 72, 50, 49]
		const keptHours = [47, 24, 1, 0]
		await prisma.usageHalfHour.createMany({ data: [...oldHours, ...keptHours].map((h) => ({ nodeId: node.id, slot: slotAt(h), bytes: 1000n })) })

		// one run's work is bounded: 2 batches of 2 leave the fifth old slot for the next run
		expect(await pruneUsageHalfHours(new Date(now), { batch: 2, maxBatches: 2 })).toEqual({ deleted: 4, more: true })
		expect(await prisma.usageHalfHour.count({ where: { nodeId: node.id } })).toBe(oldHours.length + keptHours.length - 4)
		await runTask('retention_cleanup')
		const left = await prisma.usageHalfHour.findMany({ where: { nodeId: node.id }, orderBy: { slot: 'asc' } })
		expect(left.map((s) => s.slot.getTime())).toEqual(keptHours.map((h) => slotAt(h).getTime()))
	})

	test('router_cleanup prunes raw samples and polls past each router\'s retention; newer ones stay', { timeout: 120_000 }, async () => {
		const router = (name: string, sampleRetentionDays: number) => prisma.router.create({ data: { name, transport: 'rest', baseUrl: 'https://127.0.0.1:9', secrets: seal(JSON.stringify({ username: 'a', password: 'b' })), sampleRetentionDays } })
		const now = Date.now()
		const world = async (r: { id: number }) => {
			const peer = await prisma.routerPeer.create({ data: { routerId: r.id, interface: 'wg0', publicKey: `key-${r.id}` } })
			for (const days of [20, 10, 1]) {
				const at = new Date(now - days * DAY)
				const poll = await prisma.routerPoll.create({ data: { routerId: r.id, at } })
				await prisma.routerSample.create({ data: { pollId: poll.id, peerId: peer.id, at, rx: 1n, tx: 1n, rxCounter: 1n, txCounter: 1n } })
			}
			return peer
		}
		const standard = await router('Default retention', 14)
		const short = await router('Short retention', 5)
		const p1 = await world(standard)
		const p2 = await world(short)
		await runTask('router_cleanup')
		const ages = async (peerId: number, routerId: number) => ({
			samples: (await prisma.routerSample.findMany({ where: { peerId }, orderBy: { at: 'asc' } })).map((s) => Math.round((now - s.at.getTime()) / DAY)),
			polls: (await prisma.routerPoll.findMany({ where: { routerId }, orderBy: { at: 'asc' } })).map((o) => Math.round((now - o.at.getTime()) / DAY)),
		})
		expect(await ages(p1.id, standard.id)).toEqual({ samples: [10, 1], polls: [10, 1] })
		expect(await ages(p2.id, short.id)).toEqual({ samples: [1], polls: [1] })
	})
})
