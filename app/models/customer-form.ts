// The reseller's customer forms: one zod schema per form, shared by conform (client) and the
// actions (server), and the mapping from a valid form to the billing service's QuoteInput. The
// confirm form of a quote re-sends the same fields, so both steps build the input the same way.
import { z } from 'zod'
import type { QuoteInput } from '~/services/billing/quotes.server'
import { optionalText, wholeNumber } from '~/utils/validation'

export const USERNAME_RE = /^[a-z0-9_]{3,20}$/
export const CUSTOMER_STATUSES = ['active', 'disabled', 'expired', 'limited', 'refunded', 'deleted'] as const
/** The list's "expiring within N days" choices. */
export const EXPIRING_CHOICES = [3, 7, 30] as const
export const MAX_GB = 100_000
export const MAX_DAYS = 3650

const id = wholeNumber({ min: 1, max: 2_147_483_647 })
const nodeIds = z.array(id, { error: 'customers.errors.nodes' }).min(1, { error: 'customers.errors.nodes' }).max(100, { error: 'errors.tooLong' })
const gb = wholeNumber({ min: 1, max: MAX_GB })
const days = wholeNumber({ min: 1, max: MAX_DAYS })

/** Step 1 of the wizard: a plan, or custom GB + days; nodes; optional username and note. */
export const CreateCustomerSchema = z
	.object({
		planId: id.optional(),
		gb: gb.optional(),
		days: days.optional(),
		nodeIds,
		username: z
			.string()
			.trim()
			.toLowerCase()
			.refine((v) => USERNAME_RE.test(v), { error: 'customers.errors.username' })
			.optional(),
		note: optionalText(200),
	})
	.superRefine((v, ctx) => {
		if (v.planId) return
		if (v.gb === undefined) ctx.addIssue({ code: 'custom', path: ['gb'], message: 'errors.required' })
		if (v.days === undefined) ctx.addIssue({ code: 'custom', path: ['days'], message: 'errors.required' })
	})
export type CreateCustomerForm = z.infer<typeof CreateCustomerSchema>

/** What the confirm form adds to the inputs it repeats. */
const confirmFields = {
	quoteId: z.string({ error: 'errors.required' }).regex(/^[A-Za-z0-9_-]{8,64}$/, { error: 'errors.invalid' }),
	idempotencyKey: z.string({ error: 'errors.required' }).regex(/^[A-Za-z0-9_-]{16,64}$/, { error: 'errors.invalid' }),
}

export const ExecuteCreateSchema = z.object({ ...CreateCustomerSchema.shape, ...confirmFields, username: z.string().regex(USERNAME_RE, { error: 'customers.errors.username' }) })

/** The priced operations of the detail page, told apart by `op`. */
const OPERATIONS = {
	extend: z.object({ op: z.literal('extend'), days }),
	add_traffic: z.object({ op: z.literal('add_traffic'), gb }),
	change_nodes: z.object({ op: z.literal('change_nodes'), nodeIds }),
	refund: z.object({ op: z.literal('refund') }),
}
export const OperationSchema = z.discriminatedUnion('op', [OPERATIONS.extend, OPERATIONS.add_traffic, OPERATIONS.change_nodes, OPERATIONS.refund])
export type OperationForm = z.infer<typeof OperationSchema>
export type OperationKind = OperationForm['op']
export const OPERATION_KINDS = Object.keys(OPERATIONS) as OperationKind[]

export const ExecuteOperationSchema = z.discriminatedUnion('op', [
	OPERATIONS.extend.extend(confirmFields),
	OPERATIONS.add_traffic.extend(confirmFields),
	OPERATIONS.change_nodes.extend(confirmFields),
	OPERATIONS.refund.extend(confirmFields),
])

/** Manual actions: no price, no quote. */
export const ManualSchema = z.object({ action: z.enum(['disable', 'enable', 'delete'], { error: 'errors.invalid' }) })

/** `u` + 6 random [a-z0-9]: a valid username when the reseller leaves it blank. */
export function generateUsername(random: (n: number) => Uint8Array) {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
	return `u${[...random(6)].map((b) => alphabet[b % alphabet.length]).join('')}`
}

export function createInput(v: Omit<CreateCustomerForm, 'username'> & { username: string }): QuoteInput {
	const base = { kind: 'create' as const, username: v.username, nodeIds: v.nodeIds, ...(v.note ? { note: v.note } : {}) }
	return v.planId ? { ...base, planId: v.planId } : { ...base, gb: v.gb!, days: v.days! }
}

export function operationInput(customerId: number, v: OperationForm): QuoteInput {
	switch (v.op) {
		case 'extend':
			return { kind: 'extend', customerId, days: v.days }
		case 'add_traffic':
			return { kind: 'add_traffic', customerId, gb: v.gb }
		case 'change_nodes':
			return { kind: 'change_nodes', customerId, nodeIds: v.nodeIds }
		case 'refund':
			return { kind: 'refund', customerId }
	}
}

/** The fields a quote's confirm form repeats: exactly its inputs, so executing can check them. */
export function confirmFieldsOf(inputs: QuoteInput): Array<[string, string]> {
	switch (inputs.kind) {
		case 'create':
			return [
				['username', inputs.username],
				...inputs.nodeIds.map((id): [string, string] => ['nodeIds', String(id)]),
				...(inputs.planId ? [['planId', String(inputs.planId)] as [string, string]] : [['gb', String(inputs.gb)] as [string, string], ['days', String(inputs.days)] as [string, string]]),
				...(inputs.note ? [['note', inputs.note] as [string, string]] : []),
			]
		case 'extend':
			return [['op', 'extend'], ['days', String(inputs.days)]]
		case 'add_traffic':
			return [['op', 'add_traffic'], ['gb', String(inputs.gb)]]
		case 'change_nodes':
			return [['op', 'change_nodes'], ...inputs.nodeIds.map((id): [string, string] => ['nodeIds', String(id)])]
		case 'refund':
			return [['op', 'refund']]
	}
}
