// AutomationSettingsSchema read as form fields (bounds, choices, defaults), so the settings page
// follows the schema: a new setting appears on the form without touching it.
import { z } from 'zod'
import { AutomationSettingsSchema, type AutomationSettings } from '~/services/settings.server'
import type { SettingField } from './settings-form'

function describe(key: string, schema: z.ZodType): SettingField {
	const def = schema instanceof z.ZodDefault ? schema : null
	const inner = def ? def.unwrap() : schema
	const fallback = def ? (def._zod.def.defaultValue as unknown) : undefined
	if (inner instanceof z.ZodNumber) return { key, kind: 'number', min: inner.minValue ?? 0, max: inner.maxValue ?? Number.MAX_SAFE_INTEGER, default: Number(fallback ?? 0) }
	if (inner instanceof z.ZodEnum) {
		const options = inner.options.map(String)
		return { key, kind: 'choice', options, default: String(fallback ?? options[0]) }
	}
	throw new Error(`automation settings: no form field for ${key}`)
}

export const SETTING_FIELDS: SettingField[] = Object.entries(AutomationSettingsSchema.shape).map(([key, schema]) => describe(key, schema as z.ZodType))

/** The form's starting values: the saved settings as strings. */
export function settingsDefaults(s: AutomationSettings) {
	return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)]))
}
