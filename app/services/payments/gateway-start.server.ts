// Starting an online payment (docs/decisions/014): the payment row first (`awaiting_gateway`, its
// id is the order reference the gateway stores), then the gateway's create() outside any DB
// transaction, then the row gets the gateway's reference. A create that fails closes the row as
// failed; a crash between the two leaves a row without a reference, which the job expires.
import type { Prisma } from '~/generated/prisma/client'
import type { SessionUser } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { buildGateway, getGatewaySettings, isUsable } from './gateway-settings.server'
import type { GatewayProviderData } from './gateway-settle.server'
import { isGatewayError, type GatewayProviderName } from './gateways/types'

/** How long a gateway payment may stay open; the reconciliation job closes it after this. */
export const GATEWAY_PAYMENT_TTL_MS = 24 * 60 * 60_000
/** Integer Rial a payer may pay online in one payment (Zarinpal's own minimum is 1,000). */
import { ONLINE_MAX_RIAL, ONLINE_MIN_RIAL } from '~/models/gateway-form'

export { ONLINE_MAX_RIAL, ONLINE_MIN_RIAL }

export type StartErrorCode = 'unavailable' | 'wallet_currency' | 'not_a_payer' | 'gateway_failed' | 'not_whole_toman' | 'invoice_unpayable'
export class GatewayStartError extends Error {
	constructor(readonly code: StartErrorCode) {
		super(code)
		this.name = 'GatewayStartError'
	}
}

/** Whose wallet a signed-in user tops up: a reseller's (IRR only) or his own end-user wallet. */
export async function walletOfPayer(user: SessionUser) {
	if (user.role === 'reseller') {
		// Raw: the payment pages ask this on every render (the ORM's query compiler is most of its cost).
		const [reseller] = await prisma.$queryRaw<Array<{ id: number; currency: string }>>`select id, currency from resellers where user_id = ${user.id}`
		if (!reseller) throw new GatewayStartError('not_a_payer')
		// Gateways take Rial: only a wallet kept in Rial can be topped up with them.
		if (reseller.currency !== 'IRR') throw new GatewayStartError('wallet_currency')
		return { resellerId: reseller.id, home: '/reseller/wallet' }
	}
	if (user.role === 'customer') return { resellerId: null, home: '/account/wallet' }
	throw new GatewayStartError('not_a_payer')
}

/**
 * An end user's own open store invoice and its total, the amount a gateway payment for it must
 * carry; null when it is not his, not open, or not payable online (below the minimum).
 */
export async function payableInvoice(user: SessionUser, invoiceId: bigint) {
	if (user.role !== 'customer') return null
	const [inv] = await prisma.$queryRaw<Array<{ id: bigint; number: string | null; total: bigint }>>`
		select id, number, total from invoices where id = ${invoiceId} and user_id = ${user.id} and type = 'invoice' and status = 'open'`
	if (!inv || inv.total < ONLINE_MIN_RIAL || inv.total > ONLINE_MAX_RIAL) return null
	return inv
}

export interface StartInput {
	payer: SessionUser
	provider: GatewayProviderName
	/** A wallet top-up's amount; ignored for an invoice, which is paid at its own total. */
	amountRial: bigint
	/** Pay this open store invoice (its total) instead of topping up the wallet. */
	invoiceId?: bigint
	/** The hub's public base URL (PUBLIC_URL), where the gateway sends the payer and the IPN. */
	origin: string
	description: string
}

export async function startGatewayPayment(input: StartInput): Promise<{ paymentId: bigint; redirectUrl: string }> {
	const settings = await getGatewaySettings(input.provider)
	if (!isUsable(settings)) throw new GatewayStartError('unavailable')
	const invoice = input.invoiceId != null ? await payableInvoice(input.payer, input.invoiceId) : null
	if (input.invoiceId != null && !invoice) throw new GatewayStartError('invoice_unpayable')
	// A gateway told in Toman takes whole Toman only. An invoice (tax or a percent coupon can leave
	// Rial in its total) is charged its total rounded UP to the next Toman: the 1–9 Rial over it land
	// in the payer's wallet with the payment (pay-from-payment.server.ts), so nothing is lost or
	// rounded away. A top-up's amount is the payer's own choice: one that is not whole Toman is refused.
	const inToman = settings.provider === 'zarinpal' && settings.options.currency === 'IRT'
	const amount = invoice ? (inToman ? wholeTomanAtLeast(invoice.total) : invoice.total) : input.amountRial
	if (inToman && amount % 10n !== 0n) throw new GatewayStartError('not_whole_toman')
	const wallet = await walletOfPayer(input.payer)
	const payment = await prisma.$transaction(async (tx) => {
		const p = await tx.payment.create({
			data: {
				userId: input.payer.id, resellerId: wallet.resellerId, purpose: invoice ? 'invoice' : 'wallet_top_up', invoiceId: invoice?.id ?? null,
				channel: 'gateway', status: 'awaiting_gateway', amount, currency: 'IRR', provider: input.provider, expiresAt: new Date(Date.now() + GATEWAY_PAYMENT_TTL_MS),
			},
		})
		await tx.paymentEvent.create({ data: { paymentId: p.id, fromStatus: null, toStatus: 'awaiting_gateway', actorId: input.payer.id, data: { provider: input.provider } } })
		return p
	})

	const gw = buildGateway(settings)
	try {
		const created = await gw.create({
			amountRial: amount,
			orderRef: `gh-${payment.id}`,
			description: invoice?.number ? `${input.description} (${invoice.number})` : input.description,
			// Zarinpal returns the browser here with ?Authority=&Status=; NOWPayments POSTs its IPN here.
			callbackUrl: input.provider === 'zarinpal' ? `${input.origin}/pay/return/zarinpal` : `${input.origin}/pay/ipn/nowpayments`,
			returnUrl: input.provider === 'nowpayments' ? `${input.origin}/pay/return/nowpayments?payment=${payment.id}` : undefined,
		})
		const data: GatewayProviderData = { charged: created.charged }
		if (settings.provider === 'nowpayments') Object.assign(data, { rialPerUnit: settings.options.rialPerUnit, priceCurrency: settings.options.priceCurrency })
		await prisma.payment.update({ where: { id: payment.id }, data: { providerRef: created.providerRef, providerData: data as Prisma.InputJsonObject } })
		return { paymentId: payment.id, redirectUrl: created.redirectUrl }
	} catch (e) {
		const reason = isGatewayError(e) ? e.code : 'error'
		await prisma.$transaction(async (tx) => {
			const moved = await tx.payment.updateMany({ where: { id: payment.id, status: 'awaiting_gateway' }, data: { status: 'failed' } })
			if (moved.count) await tx.paymentEvent.create({ data: { paymentId: payment.id, fromStatus: 'awaiting_gateway', toStatus: 'failed', note: `create: ${reason}`, data: { message: (e as Error).message.slice(0, 300) } } })
		})
		if (isGatewayError(e)) throw new GatewayStartError('gateway_failed')
		throw e
	} finally {
		await gw.close()
	}
}

/** The smallest whole-Toman amount (in Rial) that covers `rial`. */
export const wholeTomanAtLeast = (rial: bigint) => (rial % 10n === 0n ? rial : rial + (10n - (rial % 10n)))
