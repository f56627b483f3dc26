// The MikroTik accounting forms (issue 13): one zod schema each, shared by conform and the action.
// Numbers accept Persian/Arabic digits; errors are translation keys.
import { z } from 'zod'
import { isTimeZone } from '~/services/routers/calendar'
import { normalizeDigits } from '~/utils/format'
import { checkbox, httpUrl, optionalText, text } from '~/utils/validation'

const int = (min: number, max: number) =>
	z.preprocess(
		(v) => (v === '' || v == null ? undefined : normalizeDigits(String(v)).trim()),
		z.coerce.number({ error: 'errors.number' }).int({ error: 'errors.integer' }).min(min, { error: 'routers.errors.range' }).max(max, { error: 'routers.errors.range' }),
	)
const GB = 1024n ** 3n
/** A quota typed in GB (up to two decimals), stored as bytes; blank = none. */
export const quotaGb = z.preprocess(
	(v) => (v === '' || v == null ? undefined : normalizeDigits(String(v)).trim().replace('٫', '.')),
	z
		.string()
		.regex(/^\d{1,6}(\.\d{1,2})?$/, { error: 'routers.errors.quota' })
		.transform((v) => {
			const [whole, frac = ''] = v.split('.')
			return BigInt(whole) * GB + (BigInt(frac.padEnd(2, '0')) * GB) / 100n
		})
		.optional(),
)
export const gbOf = (bytes: bigint | null) => (bytes === null ? '' : String(Number((bytes * 100n) / GB) / 100))

export const ConnectSchema = z
	.object({
		name: text({ max: 60 }),
		transport: z.enum(['rest', 'api'], { error: 'errors.required' }),
		baseUrl: httpUrl,
		host: optionalText(253),
		port: int(1, 65535).optional(),
		tls: checkbox,
		verifyTls: checkbox,
		username: text({ max: 128 }),
		password: z.string({ error: 'errors.required' }).min(1, { error: 'errors.required' }).max(256, { error: 'errors.tooLong' }),
	})
	.superRefine((v, ctx) => {
		if (v.transport === 'rest' && !v.baseUrl) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'errors.required' })
		if (v.transport === 'api' && !v.host) ctx.addIssue({ code: 'custom', path: ['host'], message: 'errors.required' })
	})

export const SettingsSchema = z.object({
	name: text({ max: 60 }),
	pollIntervalSec: int(30, 86_400),
	onlineThresholdSec: int(15, 86_400),
	resetDay: int(1, 31),
	timezone: z.string({ error: 'errors.required' }).trim().min(1, { error: 'errors.required' }).max(64, { error: 'errors.tooLong' }).refine(isTimeZone, { error: 'routers.errors.timezone' }),
	calendar: z.enum(['gregorian', 'jalali'], { error: 'errors.required' }),
	defaultQuotaGb: quotaGb,
	enforcement: z.enum(['monitor', 'auto_disable'], { error: 'errors.required' }),
	linkRateMbps: int(1, 400_000),
	sampleRetentionDays: int(1, 365),
	verifyTls: checkbox,
})

export const PeerSettingsSchema = z.object({
	intent: z.literal('settings'),
	quotaGb: quotaGb,
	/** '' = the router's mode */
	enforcement: z.enum(['', 'monitor', 'auto_disable']).default(''),
	/** A reseller's customer, by id; blank unlinks. Nothing changes on the router. */
	customerId: int(1, 2_147_483_647).optional(),
})

export const PeerToggleSchema = z.object({ intent: z.enum(['enable', 'disable']) })

export const ImportSchema = z.object({
	interfaces: z.array(z.string().min(1).max(64)).min(1, { error: 'routers.errors.pickInterface' }).max(50),
	peers: z.array(z.string().max(200)).max(20_000).default([]),
})

export const AnomalySchema = z.object({ intent: z.enum(['approve', 'reject']), anomalyId: z.string().regex(/^\d{1,18}$/, { error: 'errors.invalid' }) })

export const idParam = z.coerce.number().int().positive().max(2_147_483_647)
