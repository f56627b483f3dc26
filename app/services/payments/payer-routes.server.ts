// What the two payer areas (a reseller at /reseller/wallet/top-up, an end user at /account/wallet)
// share: the loaders' data and the actions' handling, for a payer the route has authorised and
// scoped. Routes stay thin: they authorise, call these and render.
import { parseWithZod } from '@conform-to/zod/v4'
import { data } from '@remix-run/node'
import { offeredKinds, payerPayment, payerPayments } from '~/models/payment.server'
import { ReceiptSchema, StartSchema } from '~/models/receipt-form'
import { readForm } from '~/utils/form-data.server'
import { redirectWithToast } from '~/utils/toast.server'
import { idParam } from '~/utils/validation'
import { PaymentError, paymentStatus } from './errors'
import { cancelPayment, startPayment, type Payer } from './payments.server'
import { readReceiptForm } from './receipt-upload.server'
import { submitReceipt } from './receipts.server'

export type PaymentFailure = { code: string; values: Record<string, string | number> }

/** A service refusal as the form's error (translated by the page) with its HTTP status. */
export function failure(e: unknown, extra: Record<string, unknown> = {}) {
	if (!(e instanceof PaymentError)) throw e
	return data({ failure: { code: e.code, values: e.values } as PaymentFailure, result: undefined, ...extra }, { status: paymentStatus(e.code) })
}

export async function topUpData(payer: Payer, request: Request) {
	const hidden = new URL(request.url).searchParams.getAll('hide')
	const [kinds, payments] = await Promise.all([offeredKinds(), payerPayments(payer)])
	return { kinds: kinds.filter((k) => !hidden.includes(k)), payments }
}

export async function topUpAction(payer: Payer, request: Request, base: string) {
	const submission = parseWithZod(await readForm(request), { schema: StartSchema })
	if (submission.status !== 'success') return data({ result: submission.reply(), failure: undefined }, { status: 400 })
	try {
		const p = await startPayment(payer, submission.value.kind, submission.value.amount)
		return redirectWithToast(`${base}/${p.id}`, { type: 'success', key: 'receipts.toast.started' })
	} catch (e) {
		// no method of that kind with room: the page hides it and offers the others
		return failure(e, { hide: e instanceof PaymentError && e.code === 'no_method' ? submission.value.kind : null })
	}
}

export async function paymentData(payer: Payer, params: Record<string, string | undefined>) {
	const payment = await payerPayment(payer, BigInt(idParam(params)))
	if (!payment) throw new Response('Not found', { status: 404 })
	return { payment }
}

/** multipart = a receipt (submit or resubmit); a plain form = cancel. */
export async function paymentAction(payer: Payer, request: Request, params: Record<string, string | undefined>, base: string) {
	const id = BigInt(idParam(params))
	const multipart = (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')
	if (!multipart) {
		const form = await readForm(request)
		if (form.get('intent') !== 'cancel') return data({ result: undefined, failure: { code: 'intent', values: {} } as PaymentFailure }, { status: 400 })
		try {
			await cancelPayment(payer, id)
		} catch (e) {
			return failure(e)
		}
		return redirectWithToast(base, { type: 'success', key: 'receipts.toast.cancelled' })
	}
	const { fields, file } = await readReceiptForm(request)
	const submission = parseWithZod(new URLSearchParams(fields), { schema: ReceiptSchema })
	if (submission.status !== 'success') return data({ result: submission.reply(), failure: undefined }, { status: 400 })
	if (!file) return data({ result: undefined, failure: { code: 'file_missing', values: {} } as PaymentFailure }, { status: 400 })
	try {
		await submitReceipt(payer, id, { file, amount: submission.value.amount, trackingCode: submission.value.trackingCode, payerCardLast4: submission.value.payerCardLast4, paidAt: submission.value.paidAt })
	} catch (e) {
		return failure(e)
	}
	return redirectWithToast(`${base}/${id}`, { type: 'success', key: 'receipts.toast.submitted' })
}
