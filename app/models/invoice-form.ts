// Form schemas of checkout and the invoice pages (issue 12). Messages are translation keys.
import { z } from 'zod'
import { normalizeDigits } from '~/utils/format'
import { dbId, optionalText, wholeNumber } from '~/utils/validation'
import { invoiceIdField } from './gateway-form'
import { METHOD_KINDS } from './payment-method-form'

/** Status lists shared by the pages' filters (client) and the queries (server). */
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void'] as const
export type InvoiceStatusName = (typeof INVOICE_STATUSES)[number]
export const ORDER_STATUSES = ['queued', 'provisioning', 'completed', 'partly_failed', 'failed_refunded'] as const

/** A coupon code as typed: letters, digits, dashes (Persian digits accepted), or empty. */
export const couponCode = z.preprocess(
	(v) => (typeof v === 'string' ? normalizeDigits(v).trim() : v),
	z.string().max(32, { error: 'errors.tooLong' }).regex(/^[A-Za-z0-9-]*$/, { error: 'invoices.errors.coupon_invalid' }).optional(),
)

export const formKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { error: 'errors.invalid' })

export const CheckoutSchema = z.object({
	mode: z.enum(['new', 'renew', 'change', 'add_traffic']).default('new'),
	service: dbId.optional(),
	gb: wholeNumber({ min: 1, max: 10_000 }).optional(),
	coupon: couponCode,
	formKey,
})

export const InvoiceActionSchema = z.discriminatedUnion('intent', [
	z.object({ intent: z.literal('coupon'), coupon: couponCode }),
	z.object({ intent: z.literal('remove_coupon') }),
	z.object({ intent: z.literal('issue') }),
	z.object({ intent: z.literal('pay_wallet') }),
	z.object({ intent: z.literal('void') }),
])

export const CreditNoteSchema = z.object({
	intent: z.literal('credit_note'),
	amount: wholeNumber({ min: 1, max: 1e15 }),
	reason: optionalText(500),
})

/** What an invoice action answers on failure: a translation key and its values. */
export type InvoiceFailure = { error: { key: string; values: Record<string, string | number> } }

/** /account/wallet?invoice=<id>: pay that open invoice by a transfer receipt of this kind (amount = its total). */
export const InvoiceReceiptSchema = z.object({
	intent: z.literal('pay_invoice'),
	invoice: invoiceIdField,
	kind: z.enum(METHOD_KINDS, { error: 'receipts.errors.kind' }),
})
