// The automation settings form: every field of AutomationSettingsSchema, Persian digits, audit,
// and bad input answered with 400 and translated messages while nothing is saved.
import { beforeAll, describe, expect, test } from 'vitest'
import { SETTING_FIELDS } from '~/models/automation-settings.server'
import * as settings from '~/routes/admin+/settings'
import { AutomationSettingsSchema, forgetSettings, getSettings } from '~/services/settings.server'
import { prisma } from '~/utils/db.server'
import { resources } from '~/utils/i18n'
import { loginAs } from '../factories'
import { call, get, post } from './helpers'

let admin: { cookie: string; user: { id: number } }
beforeAll(async () => {
	admin = await loginAs('admin')
})

const DEFAULTS = AutomationSettingsSchema.parse({})
const asForm = (s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)]))
const save = (fields: Record<string, string>) => call(settings.action, post('/admin/settings', fields, admin.cookie))

describe('settings form', () => {
	test('shows every setting with the schema bounds, starting from the defaults; every field has a label in both languages', async () => {
		const page = await call(settings.loader, get('/admin/settings', admin.cookie))
		expect(page.data.fields.map((f: { key: string }) => f.key).sort()).toEqual(Object.keys(AutomationSettingsSchema.shape).sort())
		expect(page.data.fields.find((f: { key: string }) => f.key === 'syncIntervalSec')).toEqual({ key: 'syncIntervalSec', kind: 'number', min: 10, max: 3600, default: 60 })
		expect(page.data.fields.find((f: { key: string }) => f.key === 'wgExpiryAction')).toEqual({ key: 'wgExpiryAction', kind: 'choice', options: ['restrict', 'delete'], default: 'restrict' })
		expect(page.data.defaults).toEqual(asForm(DEFAULTS))
		for (const lang of ['en', 'fa'] as const) {
			const fields = (resources[lang].common.automation.settings.fields as Record<string, { label: string; hint: string }>)
			for (const f of SETTING_FIELDS) expect([lang, f.key, Boolean(fields[f.key]?.label)]).toEqual([lang, f.key, true])
		}
	})

	test('saves valid values (Persian digits too), audited with before and after', async () => {
		const r = await save({ ...asForm(DEFAULTS), syncIntervalSec: '۱۲۰', staleAfterMin: '٩٠', notifyUsagePercent: '90', wgExpiryAction: 'delete' })
		expect(r).toMatchObject({ status: 302, location: '/admin/settings' })
		forgetSettings()
		expect(await getSettings()).toEqual({ ...DEFAULTS, syncIntervalSec: 120, staleAfterMin: 90, notifyUsagePercent: 90, wgExpiryAction: 'delete' })
		const row = await prisma.setting.findUniqueOrThrow({ where: { key: 'automation' } })
		expect(row.updatedBy).toBe(admin.user.id)
		const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'settings.update' }, orderBy: { id: 'desc' } })
		expect(event).toMatchObject({ actorId: admin.user.id, entityType: 'setting', entityId: 'automation' })
		expect(event.before).toMatchObject({ syncIntervalSec: 60 })
		expect(event.after).toMatchObject({ syncIntervalSec: 120, wgExpiryAction: 'delete' })
		const page = await call(settings.loader, get('/admin/settings', admin.cookie))
		expect(page.data.defaults.syncIntervalSec).toBe('120')
	})

	test('bad input: 400 with translated messages, nothing saved', async () => {
		const saved = await prisma.setting.findUnique({ where: { key: 'automation' } })
		const events = await prisma.auditEvent.count({ where: { action: 'settings.update' } })
		const cases: Array<[Record<string, string>, string, string]> = [
			[{ syncIntervalSec: '5' }, 'syncIntervalSec', 'automation.settings.errors.range'],
			[{ syncIntervalSec: '999999' }, 'syncIntervalSec', 'automation.settings.errors.range'],
			[{ staleAfterMin: '-3' }, 'staleAfterMin', 'automation.settings.errors.range'],
			[{ jumpHoldGb: 'lots' }, 'jumpHoldGb', 'errors.number'],
			[{ notifyUsagePercent: '80.5' }, 'notifyUsagePercent', 'errors.integer'],
			[{ notifyUsagePercent: '101' }, 'notifyUsagePercent', 'automation.settings.errors.range'],
			[{ remoteOpsPerSec: '' }, 'remoteOpsPerSec', 'errors.number'],
			[{ wgExpiryAction: 'explode' }, 'wgExpiryAction', 'errors.invalid'],
			[{ refundRemoteAction: '' }, 'refundRemoteAction', 'errors.invalid'],
		]
		for (const [over, field, message] of cases) {
			const r = await save({ ...asForm(DEFAULTS), ...over })
			expect([over, r.status]).toEqual([over, 400])
			expect([over, r.data.result.error[field]]).toEqual([over, [message]])
			for (const key of r.data.result.error[field]) expect(resources.en.common).toHaveProperty(key.split('.'))
		}
		const { jobFailureAlertAfter: _, ...missingOne } = asForm(DEFAULTS)
		expect((await save(missingOne)).status).toBe(400)
		expect(await prisma.setting.findUnique({ where: { key: 'automation' } })).toEqual(saved)
		expect(await prisma.auditEvent.count({ where: { action: 'settings.update' } })).toBe(events)
	})
})
