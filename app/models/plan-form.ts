// The plan form: one zod schema for conform (client) and the action (server). Prices are typed in
// the plan's currency and leave the schema as integer minor units; the data limit as bytes.
import { z } from 'zod'
import { gbToBytes } from '~/utils/money'
import { optionalText, text, wholeNumber } from '~/utils/validation'
import { amountIn, checkbox, CURRENCY_CODES, dedupe, moneyText } from './billing-form'

export const PlanFormSchema = z
	.object({
		name: text({ max: 80 }),
		days: wholeNumber({ min: 1, max: 3650 }),
		dataLimitGb: wholeNumber({ min: 1, max: 1_000_000 }),
		currency: z.enum(CURRENCY_CODES, { error: 'errors.required' }),
		publicPrice: moneyText,
		resellerPrice: moneyText,
		nodeIds: z.array(wholeNumber({ min: 1, max: 2_147_483_647 })).max(500, { error: 'errors.tooLong' }).default([]),
		category: optionalText(60),
		active: checkbox,
	})
	.transform((v, ctx) => ({
		name: v.name,
		days: v.days,
		dataLimitBytes: gbToBytes(v.dataLimitGb),
		currency: v.currency,
		publicPrice: amountIn(ctx, 'publicPrice', v.publicPrice, v.currency),
		resellerPrice: amountIn(ctx, 'resellerPrice', v.resellerPrice, v.currency),
		nodeIds: dedupe(v.nodeIds),
		category: v.category || null,
		active: v.active,
	}))

export type PlanForm = z.output<typeof PlanFormSchema>

/** Every value as the form shows it (strings; money in plain decimals). */
export interface PlanFormDefaults {
	name: string
	days: string
	dataLimitGb: string
	currency: string
	publicPrice: string
	resellerPrice: string
	nodeIds: string[]
	category: string
	active: boolean
}

export const emptyPlan: PlanFormDefaults = { name: '', days: '30', dataLimitGb: '', currency: 'USD', publicPrice: '', resellerPrice: '', nodeIds: [], category: '', active: true }
