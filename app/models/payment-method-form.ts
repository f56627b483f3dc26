// The payment-method form (issue 11): one zod schema for conform and the action. Account numbers
// are typed the way people copy them (Persian/Arabic digits, spaces, dashes) and leave the schema
// normalised and checked: a card by Luhn, a sheba by ISO 13616 mod-97, a crypto wallet by network.
// Amounts are integer Rial. Messages are translation keys (STYLE.md rule 5).
import { z } from 'zod'
import { normalizeDigits } from '~/utils/format'
import { optionalText, text, wholeNumber } from '~/utils/validation'
import { checkbox } from './billing-form'

export const METHOD_KINDS = ['card', 'iban', 'crypto'] as const
export type MethodKind = (typeof METHOD_KINDS)[number]
export const CRYPTO_NETWORKS = ['TRC20', 'ERC20', 'BEP20', 'TON', 'BTC'] as const

/** Digits folded to ASCII; spaces, dashes and the Persian thousands mark removed. */
export const compactNumber = (v: string) => normalizeDigits(v).replace(/[\s\-\u2010-\u2015_٬,]/g, '')

/** Luhn over a string of digits (a card's last digit checks the others). */
export function luhnValid(digits: string) {
	let sum = 0
	for (let i = 0; i < digits.length; i++) {
		let d = digits.charCodeAt(digits.length - 1 - i) - 48
		if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
		sum += d
	}
	return digits.length > 0 && sum % 10 === 0
}

/** ISO 13616: the first four characters go to the end, letters become 10..35, the number mod 97 is 1. */
export function ibanValid(iban: string) {
	const moved = iban.slice(4) + iban.slice(0, 4)
	let rest = 0
	for (const ch of moved) {
		const code = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch
		for (const d of code) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97
	}
	return rest === 1
}

export const cardNumber = z
	.string({ error: 'errors.required' })
	.transform(compactNumber)
	.refine((v) => /^\d{16}$/.test(v), { error: 'payments.errors.cardLength' })
	.refine(luhnValid, { error: 'payments.errors.luhn' })

export const sheba = z
	.string({ error: 'errors.required' })
	.transform((v) => compactNumber(v).toUpperCase())
	// people often paste the 24 digits without the country code
	.transform((v) => (/^\d{24}$/.test(v) ? `IR${v}` : v))
	.refine((v) => /^IR\d{24}$/.test(v), { error: 'payments.errors.shebaFormat' })
	.refine(ibanValid, { error: 'payments.errors.shebaChecksum' })

/** Wallet addresses and memos are ASCII without spaces on every listed network. */
const cryptoToken = (max: number) => z.string().trim().max(max, { error: 'errors.tooLong' }).refine((v) => /^[\x21-\x7e]*$/.test(v), { error: 'payments.errors.address' })

/** "HH:MM" (Persian digits accepted) → minutes of the day; "24:00" ends a window at midnight. */
const clock = z
	.string()
	.transform((v) => normalizeDigits(v).trim())
	.refine((v) => /^([01]?\d|2[0-4]):[0-5]\d$/.test(v) && (!v.startsWith('24') || v.endsWith(':00')), { error: 'payments.errors.clock' })
	.transform((v) => {
		const [h, m] = v.split(':').map(Number)
		return h! * 60 + m!
	})
	.optional()

const RIAL_MAX = 1_000_000_000_000_000 // 10^18 Rial: far above any payment, still a safe bigint
const amount = wholeNumber({ min: 1, max: RIAL_MAX }).optional()

export const PaymentMethodFormSchema = z
	.object({
		kind: z.enum(METHOD_KINDS, { error: 'errors.required' }),
		alias: text({ max: 60 }),
		priority: wholeNumber({ min: 0, max: 10_000 }).default(100),
		minAmount: amount,
		maxAmount: amount,
		dailyCountLimit: wholeNumber({ min: 1, max: 100_000 }).optional(),
		dailyAmountLimit: amount,
		activeFrom: clock,
		activeTo: clock,
		active: checkbox,
		holder: optionalText(80),
		bank: optionalText(60),
		cardNumber: z.string().max(64, { error: 'errors.tooLong' }).optional(),
		sheba: z.string().max(64, { error: 'errors.tooLong' }).optional(),
		asset: optionalText(12),
		network: z.string().optional(),
		address: cryptoToken(128).optional(),
		memo: cryptoToken(64).optional(),
	})
	.transform((v, ctx) => {
		const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
		if (v.minAmount != null && v.maxAmount != null && v.minAmount > v.maxAmount) fail('maxAmount', 'adminBilling.errors.minMax')
		if ((v.activeFrom == null) !== (v.activeTo == null)) fail(v.activeFrom == null ? 'activeFrom' : 'activeTo', 'payments.errors.hoursPair')
		else if (v.activeFrom != null && v.activeFrom === v.activeTo) fail('activeTo', 'payments.errors.hoursEmpty')
		if (v.activeFrom === 1440) fail('activeFrom', 'payments.errors.clock')
		const needed = (path: 'holder' | 'bank' | 'asset' | 'address', value: string | undefined) => {
			if (!value) fail(path, 'errors.required')
			return value ?? ''
		}
		const checked = <T>(path: string, schema: z.ZodType<T>, value: string | undefined): T | '' => {
			if (!value) return fail(path, 'errors.required'), ''
			const r = schema.safeParse(value)
			if (!r.success) return fail(path, r.error.issues[0]?.message ?? 'errors.invalid'), ''
			return r.data
		}
		let details: PaymentMethodDetails
		if (v.kind === 'card') details = { number: checked('cardNumber', cardNumber, v.cardNumber), holder: needed('holder', v.holder), bank: needed('bank', v.bank) }
		else if (v.kind === 'iban') details = { sheba: checked('sheba', sheba, v.sheba), holder: needed('holder', v.holder), bank: needed('bank', v.bank) }
		else {
			const network = (CRYPTO_NETWORKS as readonly string[]).includes(v.network ?? '') ? (v.network as CryptoNetwork) : (fail('network', 'payments.errors.network'), 'TRC20' as const)
			details = { asset: needed('asset', v.asset).toUpperCase(), network, address: needed('address', v.address), ...(v.memo ? { memo: v.memo } : {}) }
		}
		return {
			kind: v.kind,
			alias: v.alias,
			priority: v.priority,
			minAmount: v.minAmount == null ? null : BigInt(v.minAmount),
			maxAmount: v.maxAmount == null ? null : BigInt(v.maxAmount),
			dailyCountLimit: v.dailyCountLimit ?? null,
			dailyAmountLimit: v.dailyAmountLimit == null ? null : BigInt(v.dailyAmountLimit),
			activeFrom: v.activeFrom ?? null,
			activeTo: v.activeTo ?? null,
			active: v.active,
			details,
		}
	})

export type CryptoNetwork = (typeof CRYPTO_NETWORKS)[number]
export type PaymentMethodDetails =
	| { number: string; holder: string; bank: string }
	| { sheba: string; holder: string; bank: string }
	| { asset: string; network: CryptoNetwork; address: string; memo?: string }
export type PaymentMethodForm = z.output<typeof PaymentMethodFormSchema>

/** Every value as the form shows it (strings). */
export interface PaymentMethodFormDefaults {
	kind: MethodKind
	alias: string
	priority: string
	minAmount: string
	maxAmount: string
	dailyCountLimit: string
	dailyAmountLimit: string
	activeFrom: string
	activeTo: string
	active: boolean
	holder: string
	bank: string
	cardNumber: string
	sheba: string
	asset: string
	network: string
	address: string
	memo: string
}

export const emptyPaymentMethod: PaymentMethodFormDefaults = {
	kind: 'card', alias: '', priority: '100', minAmount: '', maxAmount: '', dailyCountLimit: '', dailyAmountLimit: '', activeFrom: '', activeTo: '', active: true,
	holder: '', bank: '', cardNumber: '', sheba: '', asset: 'USDT', network: 'TRC20', address: '', memo: '',
}

/** Minutes of the day → "HH:MM". */
export const clockText = (minutes: number | null) => (minutes == null ? '' : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`)

/** A card number as people read it: four groups of four (shown LTR even in Persian). */
export const groupCard = (digits: string) => digits.replace(/(\d{4})(?=\d)/g, '$1 ')
