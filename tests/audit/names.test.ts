// Every audit action the code can write has a human name in English and Persian (the audit page
// and the dashboard's "Recent activity" show names, never codes like `order.create`), and so does
// every group of the kind filter. The actions are collected from the source (collect-actions.ts),
// so a new audit() call without a name fails here.
import i18next from 'i18next'
import { describe, expect, test } from 'vitest'
import { AUDIT_ACTIONS, AUDIT_GROUPS, eventName } from '~/models/audit-actions'
import { i18nOptions, resources } from '~/utils/i18n'
import { collectActions } from './collect-actions'

const lookup = (tree: unknown, key: string) => key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), tree)

describe('audit event names', () => {
	const { actions, unknown } = collectActions()

	test('every audit writer is understood by the collector', () => {
		expect(unknown).toEqual([])
		// the collector really sees the writers: literal calls, templates and every trigger
		for (const a of ['node.create', 'customer.disable', 'order.create', 'ledger.charge', 'payment.settled', 'customer.auto_disabled', 'store.created', 'router.peer.enable']) expect(actions.has(a), a).toBe(true)
	})

	test('every action has an English and a Persian name', () => {
		const missing = [...actions.keys()].flatMap((a) =>
			(['en', 'fa'] as const).flatMap((lang) => (typeof lookup(resources[lang].common.events, a) === 'string' ? [] : [`${lang}: events.${a} (${actions.get(a)![0]})`])),
		)
		expect(missing).toEqual([])
	})

	test('the kind filter offers every action the code writes, and every group has a name', () => {
		expect([...actions.keys()].filter((a) => !AUDIT_ACTIONS.includes(a))).toEqual([])
		const unnamed = AUDIT_GROUPS.flatMap((g) => (['en', 'fa'] as const).flatMap((lang) => (typeof lookup(resources[lang].common.audit.groups, g) === 'string' ? [] : [`${lang}: audit.groups.${g}`])))
		expect(unnamed).toEqual([])
	})

	test('names render in both languages (the dashboard and the audit page use the same helper)', async () => {
		const i18n = i18next.createInstance()
		await i18n.init({ ...i18nOptions, lng: 'fa' })
		expect(eventName(i18n.t, 'order.create')).toBe('مشتری‌ای ساخت')
		expect(eventName(i18n.t, 'ledger.charge')).toBe('از کیف پولی برداشت کرد')
		await i18n.changeLanguage('en')
		expect(eventName(i18n.t, 'payment.settled')).toBe('settled a payment')
		// a row from before a rename still shows something
		expect(eventName(i18n.t, 'gone.action')).toBe('gone.action')
	})
})
