// The automation settings form. Its fields are described from AutomationSettingsSchema on the
// server (automation-settings.server.ts) and sent with the page, so the browser validates with the
// same bounds without importing server code. Messages are translation keys; digits may be Persian.
import { z } from 'zod'
import { wholeNumber } from '~/utils/validation'

export type SettingField =
	| { key: string; kind: 'number'; min: number; max: number; default: number }
	| { key: string; kind: 'choice'; options: string[]; default: string }

/** How the form groups the fields; a field in no group still shows, under "other". */
export const SETTING_GROUPS: Record<string, string[]> = {
	sync: ['syncIntervalSec', 'staleAfterMin', 'jumpHoldGb'],
	policies: ['negativeCreditHours', 'remoteOpsPerSec', 'wgExpiryAction', 'refundRemoteAction'],
	notifications: ['notifyExpiringDays', 'notifyUsagePercent', 'jobFailureAlertAfter'],
}

export function groupFields(fields: SettingField[]) {
	const grouped = Object.entries(SETTING_GROUPS).map(([group, keys]) => ({ group, fields: fields.filter((f) => keys.includes(f.key)) }))
	const known = new Set(Object.values(SETTING_GROUPS).flat())
	const other = fields.filter((f) => !known.has(f.key))
	return [...grouped, ...(other.length ? [{ group: 'other', fields: other }] : [])].filter((g) => g.fields.length > 0)
}

const RANGE = 'automation.settings.errors.range'

export function settingsFormSchema(fields: SettingField[]) {
	return z.object(
		Object.fromEntries(
			fields.map((f) => [
				f.key,
				f.kind === 'number'
					? wholeNumber({ min: Number.MIN_SAFE_INTEGER }).pipe(z.number().min(f.min, { error: RANGE }).max(f.max, { error: RANGE }))
					: z.enum(f.options as [string, ...string[]], { error: 'errors.invalid' }),
			]),
		),
	)
}
