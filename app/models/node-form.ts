// The node form: one zod schema for conform (client) and the action (server). Per-kind rules in
// superRefine. Secrets left blank on edit mean "keep the stored value".
import { z } from 'zod'
import { NODE_KINDS } from '~/services/panels/types'
import { isTimeZone } from '~/services/panels/wgdashboard-jobs'
import { normalizeDigits } from '~/utils/format'
import { checkbox, httpUrl, optionalText, text } from '~/utils/validation'

export const NodeFormSchema = z
	.object({
		name: text({ max: 60 }),
		kind: z.enum(NODE_KINDS, { error: 'errors.required' }),
		baseUrl: httpUrl,
		transport: z.enum(['rest', 'api']).default('rest'),
		host: optionalText(253),
		port: z.preprocess((v) => (v === '' || v == null ? undefined : normalizeDigits(String(v))), z.coerce.number({ error: 'errors.number' }).int({ error: 'errors.integer' }).min(1, { error: 'errors.invalid' }).max(65535, { error: 'errors.invalid' }).optional()),
		tls: checkbox,
		verifyTls: checkbox,
		username: optionalText(128),
		password: z.string().max(256, { error: 'errors.tooLong' }).optional(),
		apiKey: optionalText(256),
		proxyUrl: httpUrl,
		usageMultiplier: z
			.string()
			.trim()
			.default('1')
			.transform((v) => normalizeDigits(v).replace('٫', '.'))
			.refine((v) => /^\d{1,3}(\.\d{1,3})?$/.test(v) && Number(v) > 0, { error: 'nodes.errors.multiplier' }),
		wgInterface: optionalText(64),
		wgEndpoint: optionalText(255),
		wgDns: optionalText(255),
		/** WGDashboard compares date jobs with its host's local clock; '' = UTC. */
		wgTimezone: optionalText(64).refine((v) => v === undefined || v === '' || isTimeZone(v), { error: 'nodes.errors.timeZone' }),
		publicBaseUrl: httpUrl,
		selected: z.array(z.string().max(200)).max(500).default([]),
	})
	.superRefine((v, ctx) => {
		const need = (field: 'baseUrl' | 'host' | 'port') => {
			if (v[field] === undefined || v[field] === '') ctx.addIssue({ code: 'custom', path: [field], message: 'errors.required' })
		}
		if (v.kind === 'routeros' && v.transport === 'api') {
			need('host')
			need('port')
		} else need('baseUrl')
	})

export type NodeForm = z.infer<typeof NodeFormSchema>

/** Which secrets a kind needs (checked on create; on edit a blank keeps the stored one). */
export function missingSecrets(kind: NodeForm['kind'], s: { username?: string; password?: string; apiKey?: string }) {
	const missing: Array<'username' | 'password' | 'apiKey'> = []
	if (kind === 'wgdashboard') {
		if (!s.apiKey) missing.push('apiKey')
	} else if (kind === 'pasarguard' && s.apiKey) {
		// an API key alone is enough
	} else {
		if (!s.username) missing.push('username')
		if (!s.password) missing.push('password')
	}
	return missing
}

/** "1.25" → 1250 (integer thousandths). */
export const toPermille = (v: string) => Math.round(Number(v) * 1000)
