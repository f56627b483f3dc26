// Online gateway settings (docs/decisions/014): one `payment_gateways` row per provider, its keys
// sealed under MASTER_KEY like panel credentials (app/utils/crypto.server.ts), opened only here to
// build a PaymentGateway. Pages see which keys are set, never the keys.
import { z } from 'zod'
import { audit } from '~/utils/audit.server'
import { open, seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'
import { createNowPaymentsGateway } from './gateways/nowpayments.server'
import type { GatewayProviderName, PaymentGateway } from './gateways/types'
import { createZarinpalGateway } from './gateways/zarinpal.server'

export const GATEWAY_PROVIDERS = ['zarinpal', 'nowpayments'] as const satisfies readonly GatewayProviderName[]
export const isGatewayProvider = (v: unknown): v is GatewayProviderName => typeof v === 'string' && (GATEWAY_PROVIDERS as readonly string[]).includes(v)

const ZarinpalSecrets = z.object({ merchantId: z.string().default('') })
const ZarinpalOptions = z.object({ currency: z.enum(['IRR', 'IRT']).default('IRR') })
const NowSecrets = z.object({ apiKey: z.string().default(''), ipnSecret: z.string().default(''), email: z.string().optional(), password: z.string().optional() })
const NowOptions = z.object({ priceCurrency: z.string().default('usd'), rialPerUnit: z.string().regex(/^\d+$/).default('0') })

export type ZarinpalSettings = { provider: 'zarinpal'; enabled: boolean; baseUrl: string | null; secrets: z.infer<typeof ZarinpalSecrets>; options: z.infer<typeof ZarinpalOptions> }
export type NowPaymentsSettings = { provider: 'nowpayments'; enabled: boolean; baseUrl: string | null; secrets: z.infer<typeof NowSecrets>; options: z.infer<typeof NowOptions> }
export type GatewaySettings = ZarinpalSettings | NowPaymentsSettings

function parseRow(provider: GatewayProviderName, row: { enabled: boolean; baseUrl: string | null; secrets: string; options: unknown } | null): GatewaySettings {
	const secrets = row ? (JSON.parse(open(row.secrets)) as unknown) : {}
	const base = { enabled: row?.enabled ?? false, baseUrl: row?.baseUrl ?? null }
	if (provider === 'zarinpal') return { provider, ...base, secrets: ZarinpalSecrets.parse(secrets), options: ZarinpalOptions.parse(row?.options ?? {}) }
	return { provider, ...base, secrets: NowSecrets.parse(secrets), options: NowOptions.parse(row?.options ?? {}) }
}

export async function getGatewaySettings(provider: GatewayProviderName): Promise<GatewaySettings> {
	return parseRow(provider, await prisma.paymentGateway.findUnique({ where: { provider } }))
}

/** Is the provider switched on with every key it needs to take a payment? */
export function isUsable(s: GatewaySettings) {
	if (!s.enabled) return false
	if (s.provider === 'zarinpal') return s.secrets.merchantId !== ''
	return s.secrets.apiKey !== '' && s.secrets.ipnSecret !== '' && BigInt(s.options.rialPerUnit) > 0n
}

/** The providers a payer may choose now. */
export async function usableProviders(): Promise<GatewayProviderName[]> {
	// One raw round trip: this runs on every payment page, and most hubs configure no gateway at all.
	const rows = await prisma.$queryRaw<Array<{ provider: string; enabled: boolean; base_url: string | null; secrets: string; options: unknown }>>`
		select provider, enabled, base_url, secrets, options from payment_gateways where enabled`
	return GATEWAY_PROVIDERS.filter((p) => {
		const row = rows.find((r) => r.provider === p)
		return row !== undefined && isUsable(parseRow(p, { enabled: row.enabled, baseUrl: row.base_url, secrets: row.secrets, options: row.options }))
	})
}

/** For pages: the settings without the keys, only whether each one is set. */
export function publicSettings(s: GatewaySettings) {
	const set = Object.fromEntries(Object.entries(s.secrets).map(([k, v]) => [k, typeof v === 'string' && v !== ''])) as Record<string, boolean>
	return { provider: s.provider, enabled: s.enabled, baseUrl: s.baseUrl ?? '', options: s.options as Record<string, string>, keysSet: set }
}

export interface SaveGatewayInput {
	enabled: boolean
	baseUrl: string | null
	/** A blank key keeps the stored one (the form never shows stored keys). */
	secrets: Record<string, string | undefined>
	options: Record<string, string>
}

export async function saveGatewaySettings(provider: GatewayProviderName, input: SaveGatewayInput, actorId: number | null, ip: string | null = null) {
	const current = await getGatewaySettings(provider)
	const merged: Record<string, string | undefined> = { ...current.secrets }
	for (const [k, v] of Object.entries(input.secrets)) if (v) merged[k] = v
	const options = provider === 'zarinpal' ? ZarinpalOptions.parse(input.options) : NowOptions.parse(input.options)
	const data = { enabled: input.enabled, baseUrl: input.baseUrl, secrets: seal(JSON.stringify(merged)), options, updatedBy: actorId }
	await prisma.$transaction(async (tx) => {
		await tx.paymentGateway.upsert({ where: { provider }, create: { provider, ...data }, update: data })
		await audit(
			{ actorId, action: 'gateway.update', entityType: 'payment_gateway', entityId: provider, before: publicSettings(current), after: { enabled: input.enabled, baseUrl: input.baseUrl ?? '', options, keysChanged: Object.keys(input.secrets).filter((k) => input.secrets[k]) }, ip },
			tx,
		)
	})
}

/**
 * The gateway for one call. NOWPayments prices in fiat with a Rial rate: pass the rate the payment
 * was created with (its provider_data), never today's, or verify would refuse the amount.
 */
export function buildGateway(s: GatewaySettings, o: { rialPerUnit?: bigint; priceCurrency?: string; timeoutMs?: number } = {}): PaymentGateway {
	const baseUrl = s.baseUrl ?? undefined
	if (s.provider === 'zarinpal') return createZarinpalGateway({ merchantId: s.secrets.merchantId, baseUrl, currency: s.options.currency, timeoutMs: o.timeoutMs })
	return createNowPaymentsGateway({
		apiKey: s.secrets.apiKey,
		ipnSecret: s.secrets.ipnSecret,
		rialPerUnit: o.rialPerUnit ?? BigInt(s.options.rialPerUnit),
		priceCurrency: o.priceCurrency ?? s.options.priceCurrency,
		baseUrl,
		email: s.secrets.email || undefined,
		password: s.secrets.password || undefined,
		timeoutMs: o.timeoutMs,
	})
}

