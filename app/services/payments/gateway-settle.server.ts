// Settling an online gateway payment (docs/decisions/014). Whoever asks — the payer's browser
// return, a NOWPayments IPN, the reconciliation job — the same steps run:
//   1. read our row; a payment no longer `awaiting_gateway` is done: nothing to ask, nothing to do;
//   2. ask the gateway server to server, with the amount from OUR row (verify; the job inquires
//      first) — no DB transaction is open during this HTTP call;
//   3. one short transaction: lock the row (SELECT … FOR UPDATE), re-check it is still waiting,
//      conditional UPDATE to its final status, the event, and for `settled` the ledger entry
//      (idempotency key payment:<id>:settle). A second concurrent caller blocks on the lock, then
//      finds it settled and does nothing: one credit however many callbacks arrive.
import type { Prisma } from '~/generated/prisma/client'
import type { PaymentStatus } from '~/generated/prisma/enums'
import { moveWalletMoney } from '~/services/billing/ledger.server'
import { payInvoiceFromPayment } from '~/services/invoices/pay-from-payment.server'
import { prisma, type Tx } from '~/utils/db.server'
import { buildGateway, getGatewaySettings, isGatewayProvider } from './gateway-settings.server'
import { isGatewayError, type CallbackHint, type PaymentGateway } from './gateways/types'

/** What provider_data holds: written at create, the NOWPayments payment id added by an IPN. */
export interface GatewayProviderData {
	charged?: { amount: string; currency: string }
	/** NOWPayments: the Rial rate and fiat the invoice was priced with; verify must reuse them. */
	rialPerUnit?: string
	priceCurrency?: string
	paymentId?: string
	cardPan?: string
	lastError?: string
}

export type Decision =
	| { kind: 'settle'; providerTxId?: string; cardPan?: string; paymentId?: string }
	| { kind: 'close'; to: Extract<PaymentStatus, 'failed' | 'cancelled' | 'expired'>; note: string }
	| { kind: 'wait'; note?: string; paymentId?: string }

export interface ConfirmInput {
	source: 'return' | 'ipn' | 'reconcile'
	hint?: CallbackHint
	/** NOWPayments: the payment id an IPN pointed at (signed, but still re-queried). */
	providerPaymentId?: string
	/** The reconciliation job past 24 h: a payment still not paid is closed as expired. */
	expireIfOpen?: boolean
}

export interface ConfirmResult {
	status: PaymentStatus
	/** Did this call move the payment (false: someone else had, or it is still waiting)? */
	changed: boolean
}

const dataOf = (v: unknown): GatewayProviderData => (v && typeof v === 'object' && !Array.isArray(v) ? (v as GatewayProviderData) : {})

/** Build the gateway the payment was created with (NOWPayments: its own rate, not today's). */
export async function gatewayForPayment(row: { provider: string | null; providerData: unknown }): Promise<PaymentGateway> {
	if (!isGatewayProvider(row.provider)) throw new Error(`payment has no known gateway provider: ${String(row.provider)}`)
	const d = dataOf(row.providerData)
	const settings = await getGatewaySettings(row.provider)
	return buildGateway(settings, { rialPerUnit: d.rialPerUnit ? BigInt(d.rialPerUnit) : undefined, priceCurrency: d.priceCurrency })
}

/** Steps 2: the gateway's word on one payment. Never throws a GatewayError: a failure to ask is "wait". */
async function ask(gw: PaymentGateway, row: { providerRef: string; amount: bigint }, input: ConfirmInput, paymentId: string | undefined): Promise<Decision> {
	try {
		if (input.source === 'reconcile') {
			// Inquiry decides only whether to verify (Zarinpal: "never use it to verify").
			const inq = await gw.inquire({ providerRef: row.providerRef, providerPaymentId: paymentId })
			if (inq.state === 'pending') return { kind: 'wait', paymentId: inq.providerPaymentId ?? paymentId }
			if (inq.state === 'failed' || inq.state === 'reversed') return { kind: 'close', to: 'failed', note: `inquiry: ${inq.state}` }
			paymentId = inq.providerPaymentId ?? paymentId
		}
		const v = await gw.verify({ providerRef: row.providerRef, amountRial: row.amount, providerPaymentId: paymentId })
		if (v.state === 'paid' || v.state === 'already_verified') return { kind: 'settle', providerTxId: v.providerTxId, cardPan: v.cardPan, paymentId }
		if (v.state === 'pending') return { kind: 'wait', paymentId }
		// Zarinpal answers -51 both for a cancelled session and one still open at the bank (the
		// payer pressed back): only an inquiry tells them apart, and an open one must stay open.
		if (input.source !== 'reconcile') {
			const inq = await gw.inquire({ providerRef: row.providerRef, providerPaymentId: paymentId }).catch(() => null)
			if (!inq || inq.state === 'pending' || inq.state === 'paid') return { kind: 'wait', paymentId }
		}
		return { kind: 'close', to: input.hint === 'cancelled' ? 'cancelled' : 'failed', note: 'verify: not paid' }
	} catch (e) {
		if (isGatewayError(e, 'amount_mismatch')) return { kind: 'close', to: 'failed', note: `amount_mismatch: ${e.reason ?? ''}`.trim() }
		if (isGatewayError(e)) return { kind: 'wait', note: e.code }
		throw e
	}
}

/** Step 3: one short transaction under the row lock. */
export async function applyDecision(paymentId: bigint, decision: Decision, source: ConfirmInput['source']): Promise<ConfirmResult> {
	return prisma.$transaction(async (tx) => {
		const locked = await tx.$queryRaw<Array<{ status: PaymentStatus; provider_data: unknown }>>`
			select status, provider_data from payments where id = ${paymentId} for update`
		const current = locked[0]
		if (!current) throw new Error(`payment ${paymentId} vanished`)
		if (current.status !== 'awaiting_gateway') return { status: current.status, changed: false }
		const data = dataOf(current.provider_data)
		if (decision.kind === 'wait') {
			const next = { ...data, ...(decision.paymentId ? { paymentId: decision.paymentId } : {}), ...(decision.note ? { lastError: decision.note } : {}) }
			if (JSON.stringify(next) !== JSON.stringify(data)) await tx.payment.update({ where: { id: paymentId }, data: { providerData: next as Prisma.InputJsonObject } })
			return { status: 'awaiting_gateway', changed: false }
		}
		const to: PaymentStatus = decision.kind === 'settle' ? 'settled' : decision.to
		const now = new Date()
		const nextData = { ...data, ...(decision.kind === 'settle' ? { paymentId: decision.paymentId ?? data.paymentId, cardPan: decision.cardPan } : {}) }
		const moved = await tx.payment.updateMany({
			where: { id: paymentId, status: 'awaiting_gateway' },
			data: decision.kind === 'settle'
				? { status: to, providerTxId: decision.providerTxId ?? null, paidAt: now, settledAt: now, providerData: nextData as Prisma.InputJsonObject }
				: { status: to },
		})
		if (moved.count !== 1) throw new Error(`payment ${paymentId} changed under its lock`)
		await tx.paymentEvent.create({
			data: { paymentId, fromStatus: 'awaiting_gateway', toStatus: to, note: decision.kind === 'close' ? decision.note : null, data: { source, ...(decision.kind === 'settle' ? { providerTxId: decision.providerTxId ?? null } : {}) } },
		})
		if (decision.kind === 'settle') await creditWallet(tx, paymentId)
		return { status: to, changed: true }
	})
}

async function creditWallet(tx: Tx, paymentId: bigint) {
	const p = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { id: true, userId: true, resellerId: true, amount: true, provider: true, purpose: true, invoiceId: true } })
	if (p.purpose === 'invoice' && p.invoiceId != null) return payInvoice(tx, { ...p, invoiceId: p.invoiceId })
	await moveWalletMoney(tx, {
		wallet: p.resellerId != null ? { resellerId: p.resellerId } : { userId: p.userId },
		amount: p.amount,
		counter: `gateway_clearing:${p.provider}`,
		kind: 'top_up',
		refType: 'payment',
		refId: String(p.id),
		idempotencyKey: `payment:${p.id}:settle`,
	})
}

/**
 * A store invoice paid at a gateway: the money lands in the payer's wallet (never lost) and pays
 * the invoice from there if it is still open for exactly this total — the steps receipts share
 * (app/services/invoices/pay-from-payment.server.ts).
 */
async function payInvoice(tx: Tx, p: { id: bigint; userId: number; amount: bigint; provider: string | null; invoiceId: bigint }) {
	await payInvoiceFromPayment(tx, { id: p.id, userId: p.userId, amount: p.amount, invoiceId: p.invoiceId, counter: `gateway_clearing:${p.provider}` })
}

/** Steps 1–3 for one payment. Safe to call any number of times, concurrently. */
export async function confirmGatewayPayment(paymentId: bigint, input: ConfirmInput): Promise<ConfirmResult> {
	const row = await prisma.payment.findUnique({ where: { id: paymentId }, select: { id: true, status: true, channel: true, provider: true, providerRef: true, providerData: true, amount: true } })
	if (!row || row.channel !== 'gateway') throw new Error(`payment ${paymentId} is not a gateway payment`)
	if (row.status !== 'awaiting_gateway') return { status: row.status, changed: false }
	let decision: Decision
	if (!row.providerRef) {
		// create() never answered: nothing exists at the gateway to be paid.
		decision = input.expireIfOpen ? { kind: 'close', to: 'expired', note: 'never created at the gateway' } : { kind: 'wait' }
	} else {
		const gw = await gatewayForPayment(row)
		try {
			decision = await ask(gw, { providerRef: row.providerRef, amount: row.amount }, input, input.providerPaymentId ?? dataOf(row.providerData).paymentId)
		} finally {
			await gw.close()
		}
		if (decision.kind === 'wait' && input.expireIfOpen) decision = { kind: 'close', to: 'expired', note: decision.note ? `expired (${decision.note})` : 'expired' }
	}
	return applyDecision(row.id, decision, input.source)
}
