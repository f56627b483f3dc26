// The reseller form (create and edit) and the manual adjustment form: zod schemas shared by
// conform (client) and the actions (server). Amounts leave the schemas as minor units (bigint),
// traffic as bytes, dates as UTC instants. Messages are translation keys.
import { z } from 'zod'
import { normalizeDigits } from '~/utils/format'
import { gbToBytes, parseMoney } from '~/utils/money'
import { optionalText, text } from '~/utils/validation'
import { amountIn, checkbox, CURRENCY_CODES, dateText, dedupe, minNotAboveMax, moneyText, optionalWhole } from './billing-form'

const USERNAME = /^[a-z0-9_.-]{3,32}$/
const LIMIT = 1_000_000

const Allocation = z.object({
	nodeId: z.preprocess((v) => (typeof v === 'string' ? Number(normalizeDigits(v)) : v), z.number({ error: 'errors.invalid' }).int({ error: 'errors.invalid' }).min(1, { error: 'errors.invalid' }).max(2_147_483_647, { error: 'errors.invalid' })),
	enabled: checkbox,
	price: moneyText.optional(),
})

function fields(mode: 'create' | 'edit') {
	const password = z.string({ error: 'errors.required' }).min(10, { error: 'password.tooShort' }).max(128, { error: 'password.tooLong' })
	return z.object({
		username: text({ max: 32 })
			.transform((v) => v.toLowerCase())
			.refine((v) => USERNAME.test(v), { error: 'adminBilling.errors.username' }),
		password: mode === 'create' ? password : password.optional(),
		name: text({ max: 100 }),
		phone: optionalText(32)
			.transform((v) => (v ? normalizeDigits(v) : v))
			.refine((v) => !v || /^\+?[\d\s()-]{3,32}$/.test(v), { error: 'adminBilling.errors.phone' }),
		shopName: optionalText(100),
		address: optionalText(300),
		status: z.enum(['active', 'disabled'], { error: 'errors.required' }),
		fundingModel: z.enum(['wallet', 'pool'], { error: 'errors.required' }),
		currency: z.enum(CURRENCY_CODES, { error: 'errors.required' }),
		creditLimit: moneyText.optional(),
		poolWindowStart: dateText.optional(),
		poolWindowEnd: dateText.optional(),
		allowConfigOverrun: checkbox,
		pricingMode: z.enum(['per_node', 'bundle'], { error: 'errors.required' }),
		pricePerGb: moneyText,
		bundlePricePerGb: moneyText.optional(),
		pricePerDay: moneyText,
		maxCustomers: optionalWhole(LIMIT),
		minGb: optionalWhole(LIMIT),
		maxGb: optionalWhole(LIMIT),
		minDays: optionalWhole(3650),
		maxDays: optionalWhole(3650),
		allocations: z.array(Allocation).max(500, { error: 'errors.tooLong' }).default([]),
	})
}

export function resellerFormSchema(mode: 'create' | 'edit') {
	return fields(mode).transform((v, ctx) => {
		const money = (path: string | Array<string | number>, input: string) => amountIn(ctx, path, input, v.currency)
		minNotAboveMax(ctx, v.minGb, v.maxGb, 'maxGb')
		minNotAboveMax(ctx, v.minDays, v.maxDays, 'maxDays')
		if (v.poolWindowStart && v.poolWindowEnd && v.poolWindowStart > v.poolWindowEnd) ctx.addIssue({ code: 'custom', path: ['poolWindowEnd'], message: 'adminBilling.errors.dateOrder' })
		const enabled = v.allocations.map((a, i) => ({ ...a, i })).filter((a) => a.enabled)
		const allocations = enabled.map((a) => ({ nodeId: a.nodeId, pricePerGb: a.price ? money(['allocations', a.i, 'price'], a.price) : null }))
		return {
			username: v.username,
			password: v.password || null,
			name: v.name,
			phone: v.phone || null,
			shopName: v.shopName || null,
			address: v.address || null,
			status: v.status,
			fundingModel: v.fundingModel,
			currency: v.currency,
			creditLimit: v.creditLimit ? money('creditLimit', v.creditLimit) : 0n,
			// the window covers whole days: from the start of the first to the end of the last (UTC)
			poolWindowStart: v.poolWindowStart ? new Date(`${v.poolWindowStart}T00:00:00.000Z`) : null,
			poolWindowEnd: v.poolWindowEnd ? new Date(`${v.poolWindowEnd}T23:59:59.999Z`) : null,
			allowConfigOverrun: v.allowConfigOverrun,
			pricingMode: v.pricingMode,
			pricePerGb: money('pricePerGb', v.pricePerGb),
			bundlePricePerGb: v.bundlePricePerGb ? money('bundlePricePerGb', v.bundlePricePerGb) : null,
			pricePerDay: money('pricePerDay', v.pricePerDay),
			maxCustomers: v.maxCustomers ?? null,
			minGb: v.minGb ?? null,
			maxGb: v.maxGb ?? null,
			minDays: v.minDays ?? null,
			maxDays: v.maxDays ?? null,
			allocations: dedupeBy(allocations),
		}
	})
}

const dedupeBy = (xs: Array<{ nodeId: number; pricePerGb: bigint | null }>) => dedupe(xs.map((x) => x.nodeId)).map((id) => xs.find((x) => x.nodeId === id)!)

export type ResellerForm = z.output<ReturnType<typeof resellerFormSchema>>

/** Every value as the form shows it (strings; money in plain decimals; dates as YYYY-MM-DD). */
export interface ResellerFormDefaults {
	username: string
	/** always blank: a password is never sent back */
	password: string
	name: string
	phone: string
	shopName: string
	address: string
	status: 'active' | 'disabled'
	fundingModel: 'wallet' | 'pool'
	currency: string
	creditLimit: string
	poolWindowStart: string
	poolWindowEnd: string
	allowConfigOverrun: boolean
	pricingMode: 'per_node' | 'bundle'
	pricePerGb: string
	bundlePricePerGb: string
	pricePerDay: string
	maxCustomers: string
	minGb: string
	maxGb: string
	minDays: string
	maxDays: string
	allocations: Array<{ nodeId: string; enabled: boolean; price: string }>
}

export function emptyReseller(nodes: Array<{ id: number }>): ResellerFormDefaults {
	return {
		username: '', password: '', name: '', phone: '', shopName: '', address: '', status: 'active', fundingModel: 'wallet', currency: 'USD', creditLimit: '0',
		poolWindowStart: '', poolWindowEnd: '', allowConfigOverrun: true, pricingMode: 'per_node', pricePerGb: '', bundlePricePerGb: '', pricePerDay: '0',
		maxCustomers: '', minGb: '', maxGb: '', minDays: '', maxDays: '',
		allocations: nodes.map((n) => ({ nodeId: String(n.id), enabled: false, price: '' })),
	}
}

/** A manual credit or debit of money (in the reseller's currency) or traffic (whole GB). */
export function adjustmentSchema(currency: string) {
	return z
		.object({
			account: z.enum(['money', 'traffic'], { error: 'errors.required' }),
			direction: z.enum(['credit', 'debit'], { error: 'errors.required' }),
			amount: moneyText,
			note: text({ max: 500 }),
			idempotencyKey: z.string({ error: 'errors.invalid' }).regex(/^[A-Za-z0-9-]{8,64}$/, { error: 'errors.invalid' }),
		})
		.transform((v, ctx) => {
			let abs: bigint | null
			if (v.account === 'money') abs = parseMoney(v.amount, currency)
			else {
				const gb = normalizeDigits(v.amount).replace(/[,٬\s]/g, '')
				abs = /^\d{1,7}$/.test(gb) ? gbToBytes(BigInt(gb)) : null
			}
			if (abs === null) ctx.addIssue({ code: 'custom', path: ['amount'], message: v.account === 'money' ? 'adminBilling.errors.money' : 'errors.integer' })
			else if (abs <= 0n) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'errors.positive' })
			return { account: v.account, amount: v.direction === 'debit' ? -(abs ?? 0n) : (abs ?? 0n), note: v.note, idempotencyKey: v.idempotencyKey }
		})
}

export type AdjustmentForm = z.output<ReturnType<typeof adjustmentSchema>>
