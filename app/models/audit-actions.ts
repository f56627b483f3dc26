// The audit log's event names (issue 14): every `action` the code writes to audit_events has a
// human name under the `events.` translation tree, in both languages — the audit page and the
// dashboard's "Recent activity" show those, never the raw code. tests/audit/names.test.ts collects
// the actions from the source (audit() callers, the order CTE, the audit triggers) and fails when
// one lacks a name, so the translation tree is also the list the kind filter offers.
// Client-safe: no server imports.
import type { TFunction } from 'i18next'
import { resources } from '~/utils/i18n'

/** Keys of the `events` tree that are wording, not actions. */
const NOT_ACTIONS = new Set(['system', 'separator'])

function leaves(tree: Record<string, unknown>, prefix = ''): string[] {
	return Object.entries(tree).flatMap(([k, v]) => {
		const key = prefix ? `${prefix}.${k}` : k
		return typeof v === 'string' ? (prefix || !NOT_ACTIONS.has(k) ? [key] : []) : leaves(v as Record<string, unknown>, key)
	})
}

/** Every named action, sorted: the kind filter's options. */
export const AUDIT_ACTIONS: readonly string[] = leaves(resources.en.common.events as Record<string, unknown>).sort()

/** Action groups (the part before the first dot), e.g. `ledger` = every money movement. */
export const AUDIT_GROUPS: readonly string[] = [...new Set(AUDIT_ACTIONS.map((a) => a.split('.')[0]!))].sort()

/** The human name of an action; an unknown one (an old row) shows its code rather than nothing. */
export function eventName(t: TFunction, action: string) {
	return t(`events.${action}`, { defaultValue: action })
}
