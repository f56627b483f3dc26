// What a gateway sends us — the payer's browser return and NOWPayments' IPN — read only as a
// pointer to the payment to confirm (docs/decisions/012: never trusted). Both end in
// confirmGatewayPayment, which asks the gateway itself.
import type { PaymentStatus } from '~/generated/prisma/enums'
import type { SessionUser } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { buildGateway, getGatewaySettings } from './gateway-settings.server'
import { confirmGatewayPayment } from './gateway-settle.server'
import { isGatewayError, type GatewayProviderName } from './gateways/types'

/** An IPN is a few hundred bytes; anything far bigger is not one. */
export const IPN_MAX_BYTES = 64 * 1024

export type CallbackOutcome =
	| { kind: 'refused'; status: 400 | 401 | 404 | 413; key: string }
	| { kind: 'done'; paymentId: bigint; ownerId: number; status: PaymentStatus; invoiceId: bigint | null }

/** The body as text, refusing (without reading it all) one larger than `max` bytes. */
async function boundedText(request: Request, max: number): Promise<string | null> {
	const declared = Number(request.headers.get('content-length') ?? '0')
	if (declared > max) return null
	if (!request.body) return ''
	const reader = request.body.getReader()
	const chunks: Uint8Array[] = []
	let size = 0
	for (;;) {
		const { done, value } = await reader.read()
		if (done) break
		size += value.byteLength
		if (size > max) {
			await reader.cancel().catch(() => undefined)
			return null
		}
		chunks.push(value)
	}
	return Buffer.concat(chunks).toString('utf8')
}

/** POST /pay/ipn/:provider — NOWPayments only (Zarinpal has no server-to-server callback). */
export async function handleIpn(provider: GatewayProviderName, request: Request): Promise<CallbackOutcome> {
	if (provider !== 'nowpayments') return { kind: 'refused', status: 404, key: 'gateways.errors.unknownPayment' }
	const settings = await getGatewaySettings('nowpayments')
	if (settings.provider !== 'nowpayments' || !settings.secrets.ipnSecret) return { kind: 'refused', status: 404, key: 'gateways.errors.unavailable' }
	const text = await boundedText(request, IPN_MAX_BYTES)
	if (text === null) return { kind: 'refused', status: 413, key: 'gateways.errors.badCallback' }
	// Parsing checks only the signature, so any positive rate will do here; verify uses the row's.
	const gw = buildGateway(settings, { rialPerUnit: 1n })
	let parsed
	try {
		parsed = await gw.parseCallback(new Request(request.url, { method: 'POST', headers: request.headers, body: text }))
	} catch (e) {
		if (isGatewayError(e, 'bad_signature')) return { kind: 'refused', status: 401, key: 'gateways.errors.badSignature' }
		if (isGatewayError(e)) return { kind: 'refused', status: 400, key: 'gateways.errors.badCallback' }
		throw e
	} finally {
		await gw.close()
	}
	const payment = await prisma.payment.findUnique({ where: { provider_providerRef: { provider: 'nowpayments', providerRef: parsed.providerRef } }, select: { id: true, userId: true, invoiceId: true } })
	if (!payment) return { kind: 'refused', status: 404, key: 'gateways.errors.unknownPayment' }
	const r = await confirmGatewayPayment(payment.id, { source: 'ipn', hint: parsed.statusHint, providerPaymentId: parsed.providerPaymentId })
	return { kind: 'done', paymentId: payment.id, ownerId: payment.userId, status: r.status, invoiceId: payment.invoiceId }
}

/**
 * GET /pay/return/:provider — the payer's browser. Zarinpal's return names the session by its
 * Authority, which is enough to confirm it (verify asks Zarinpal; the payer need not be signed
 * in: his session may have expired while he was at the bank). NOWPayments' return carries
 * nothing signed, so it confirms only the signed-in owner's own payment.
 */
export async function handleReturn(provider: GatewayProviderName, request: Request, user: SessionUser | null): Promise<CallbackOutcome> {
	const url = new URL(request.url)
	let payment: { id: bigint; userId: number; invoiceId: bigint | null } | null
	let hint: 'ok' | 'cancelled' | 'unknown' = 'unknown'
	if (provider === 'zarinpal') {
		const settings = await getGatewaySettings('zarinpal')
		const gw = buildGateway(settings)
		let ref: string
		try {
			const parsed = await gw.parseCallback(url.searchParams)
			ref = parsed.providerRef
			hint = parsed.statusHint
		} catch (e) {
			if (isGatewayError(e)) return { kind: 'refused', status: 400, key: 'gateways.errors.badCallback' }
			throw e
		} finally {
			await gw.close()
		}
		payment = await prisma.payment.findUnique({ where: { provider_providerRef: { provider: 'zarinpal', providerRef: ref } }, select: { id: true, userId: true, invoiceId: true } })
	} else {
		const id = url.searchParams.get('payment') ?? ''
		if (!/^\d{1,18}$/.test(id) || !user) return { kind: 'refused', status: 404, key: 'gateways.errors.unknownPayment' }
		const s = url.searchParams.get('status')
		hint = s === 'cancel' ? 'cancelled' : 'unknown'
		payment = await prisma.payment.findFirst({ where: { id: BigInt(id), userId: user.id, provider: 'nowpayments' }, select: { id: true, userId: true, invoiceId: true } })
	}
	if (!payment) return { kind: 'refused', status: 404, key: 'gateways.errors.unknownPayment' }
	// A NOWPayments cancel link says nothing the API could confirm yet; the IPN or the job will.
	const r = await confirmGatewayPayment(payment.id, { source: 'return', hint })
	return { kind: 'done', paymentId: payment.id, ownerId: payment.userId, status: r.status, invoiceId: payment.invoiceId }
}
