// The plan form: one zod schema for conform (client) and the action (server). The public (store)
// price is typed in Toman and stored in Rial (what payments take, ×10); the reseller price is typed
// in the plan's currency. Both leave the schema as integer minor units, the data limit as bytes.
import { z } from 'zod'
import { gbToBytes } from '~/utils/money'
import { dbId, optionalText, text, wholeNumber } from '~/utils/validation'
import { amountIn, checkbox, CURRENCY_CODES, dedupe, moneyText } from './billing-form'

export const PLAN_VISIBILITIES = ['public', 'resellers'] as const

/** A category select: '' (none) or a row id. */
const categoryChoice = z.preprocess((v) => (v === '' || v == null ? undefined : v), dbId.optional())

export const PlanFormSchema = z
	.object({
		name: text({ max: 80 }),
		days: wholeNumber({ min: 1, max: 3650 }),
		dataLimitGb: wholeNumber({ min: 1, max: 1_000_000 }),
		currency: z.enum(CURRENCY_CODES, { error: 'errors.required' }),
		publicPrice: moneyText,
		resellerPrice: moneyText,
		nodeIds: z.array(wholeNumber({ min: 1, max: 2_147_483_647 })).max(500, { error: 'errors.tooLong' }).default([]),
		categoryId: categoryChoice,
		visibility: z.enum(PLAN_VISIBILITIES, { error: 'errors.required' }).default('public'),
		trial: checkbox,
		resetOnRenew: checkbox,
		active: checkbox,
		// Kept for old bookmarks/scripts that still post a free-text category: ignored.
		category: optionalText(60),
	})
	.transform((v, ctx) => ({
		name: v.name,
		days: v.days,
		dataLimitBytes: gbToBytes(v.dataLimitGb),
		currency: v.currency,
		publicPrice: tomanToRial(ctx, v.publicPrice),
		resellerPrice: amountIn(ctx, 'resellerPrice', v.resellerPrice, v.currency),
		nodeIds: dedupe(v.nodeIds),
		categoryId: v.categoryId ?? null,
		visibility: v.visibility,
		trial: v.trial,
		resetOnRenew: v.resetOnRenew,
		active: v.active,
	}))

/** Toman text → Rial: whole Toman, or one decimal (a Rial); anything finer is an error. */
function tomanToRial(ctx: z.RefinementCtx, input: string) {
	// Two-decimal parsing gives hundredths of a Toman; a Rial is ten of them.
	const hundredths = amountIn(ctx, 'publicPrice', input, 'USD')
	if (hundredths % 10n !== 0n) ctx.addIssue({ code: 'custom', path: ['publicPrice'], message: 'adminBilling.errors.money' })
	return hundredths / 10n
}

export type PlanForm = z.output<typeof PlanFormSchema>

/** Every value as the form shows it (strings; money in plain decimals, the public price in Toman). */
export interface PlanFormDefaults {
	name: string
	days: string
	dataLimitGb: string
	currency: string
	publicPrice: string
	resellerPrice: string
	nodeIds: string[]
	categoryId: string
	visibility: string
	trial: boolean
	resetOnRenew: boolean
	active: boolean
}

export const emptyPlan: PlanFormDefaults = { name: '', days: '30', dataLimitGb: '', currency: 'USD', publicPrice: '', resellerPrice: '', nodeIds: [], categoryId: '', visibility: 'public', trial: false, resetOnRenew: false, active: true }

/** Rial as the Toman text the form shows (a Rial remainder keeps its decimal, so nothing is lost). */
export function rialToTomanInput(rial: bigint) {
	const whole = rial / 10n
	const rest = rial % 10n
	return rest ? `${whole}.${rest}` : String(whole)
}
