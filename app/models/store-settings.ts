// Store settings (issue 12): who sells (company, address, tax id — printed on invoices), terms,
// invoice footer, tax and how prices are shown. One JSON document under settings key "store",
// read and written by app/services/settings.server.ts. The invoice helper reads taxRateBp
// (basis points: 900 = 9 %, an integer so tax math stays exact) and taxInclusive.
import { z } from 'zod'
import { normalizeDigits } from '~/utils/format'
import { optionalText } from '~/utils/validation'
import { checkbox } from './billing-form'

export const STORE_SETTINGS_KEY = 'store'
export const DISPLAY_CURRENCIES = ['IRT', 'IRR'] as const

/** What is stored (and the defaults when nothing is). */
export const StoreSettingsSchema = z.object({
	companyName: z.string().max(120).default(''),
	address: z.string().max(500).default(''),
	taxId: z.string().max(40).default(''),
	terms: z.string().max(5000).default(''),
	invoiceFooter: z.string().max(500).default(''),
	/** Basis points, 0..10000. */
	taxRateBp: z.number().int().min(0).max(10_000).default(0),
	/** true: prices include tax (the tax line is carved out); false: tax is added on top. */
	taxInclusive: z.boolean().default(false),
	/** How Rial amounts are shown: Toman (÷10, the market's habit) or Rial. */
	displayCurrency: z.enum(DISPLAY_CURRENCIES).default('IRT'),
})
export type StoreSettings = z.output<typeof StoreSettingsSchema>

/** "9", "9.5", "۹٫۵" percent → basis points (900, 950); at most two decimals. */
const percentText = z
	.string({ error: 'errors.required' })
	.trim()
	.max(8, { error: 'errors.tooLong' })
	.transform((v, ctx) => {
		const s = normalizeDigits(v).replace('٫', '.').replace('%', '').trim() || '0'
		const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(s)
		const bp = m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : NaN
		if (!m || bp > 10_000) {
			ctx.addIssue({ code: 'custom', message: 'store.errors.taxRate' })
			return 0
		}
		return bp
	})

/** The admin form: text as typed → the stored shape. */
export const StoreSettingsFormSchema = z.object({
	companyName: optionalText(120).transform((v) => v ?? ''),
	address: optionalText(500).transform((v) => v ?? ''),
	taxId: optionalText(40).transform((v) => (v ? normalizeDigits(v) : '')),
	// Multi-line fields: newlines allowed, other control characters are not.
	terms: z.string().max(5000, { error: 'errors.tooLong' }).refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(v), { error: 'errors.controlChars' }).optional().transform((v) => (v ?? '').trim()),
	invoiceFooter: optionalText(500).transform((v) => v ?? ''),
	taxRate: percentText,
	taxInclusive: checkbox,
	displayCurrency: z.enum(DISPLAY_CURRENCIES, { error: 'errors.required' }),
})

export function bpToPercentText(bp: number) {
	return bp % 100 ? (bp / 100).toFixed(2).replace(/0$/, '') : String(bp / 100)
}
