// The admin's per-provider gateway settings form (/admin/gateways), told apart by intent.
// Error messages are translation keys.
import { z } from 'zod'
import { optionalText } from '~/utils/validation'
import { rial } from './gateway-form'

export const NOWPAYMENTS_FIATS = ['usd', 'eur', 'gbp', 'try', 'aed', 'cad', 'aud'] as const

/** An http(s) base URL or nothing (= the provider's production API). */
const baseUrl = z
	.string()
	.trim()
	.max(300, { error: 'errors.tooLong' })
	.optional()
	.refine((v) => !v || /^https?:\/\/[^\s/?#]+(:\d+)?(\/[^\s?#]*)?$/.test(v), { error: 'gateways.errors.baseUrl' })
	.transform((v) => (v ? v.replace(/\/+$/, '') : null))

const key = (max = 200) => optionalText(max).transform((v) => v || undefined)
const checkbox = z.preprocess((v) => v === 'on', z.boolean())

export const ZarinpalFormSchema = z.object({
	intent: z.literal('zarinpal'),
	enabled: checkbox,
	baseUrl,
	merchantId: key(64).refine((v) => !v || /^[0-9a-fA-F-]{36}$/.test(v), { error: 'gateways.errors.merchantId' }),
	currency: z.enum(['IRR', 'IRT'], { error: 'errors.invalid' }),
})

export const NowPaymentsFormSchema = z.object({
	intent: z.literal('nowpayments'),
	enabled: checkbox,
	baseUrl,
	apiKey: key(),
	ipnSecret: key(),
	email: key(),
	password: key(),
	priceCurrency: z.enum(NOWPAYMENTS_FIATS, { error: 'errors.invalid' }),
	rialPerUnit: rial(1n, 100_000_000_000n).transform(String),
})
