// Nodes: the panels the hub drives. Secrets are sealed at rest and only opened here, in memory,
// to build a NodeConnection; nothing in this file returns them to a caller that renders.
import type { Node } from '~/generated/prisma/client'
import { PanelError } from '~/services/panels/errors'
import { createAdapter } from '~/services/panels/index.server'
import type { NodeConnection, NodeKind, NodeOptions, PanelOption } from '~/services/panels/types'
import { open, seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'

export interface NodeSecrets {
	username?: string
	password?: string
	apiKey?: string
	proxyUrl?: string
}

/** What the admin chose from listOptions(), plus the last list seen (refreshed by each test). */
export type StoredOptions = NodeOptions & { available?: PanelOption[]; selected?: string[] }

export const sealSecrets = (s: NodeSecrets) => seal(JSON.stringify(s))
export const openSecrets = (sealed: string): NodeSecrets => JSON.parse(open(sealed))

export interface NodeParams {
	kind: NodeKind
	baseUrl?: string | null
	host?: string | null
	port?: number | null
	transport?: string | null
	tls: boolean
	verifyTls: boolean
	options: StoredOptions
}

export function connectionOf(params: NodeParams, secrets: NodeSecrets, timeoutMs = 10_000): NodeConnection {
	return {
		kind: params.kind,
		baseUrl: params.baseUrl ?? undefined,
		host: params.host ?? undefined,
		port: params.port ?? undefined,
		transport: params.transport === 'api' ? 'api' : 'rest',
		tls: params.tls,
		verifyTls: params.verifyTls,
		username: secrets.username,
		password: secrets.password,
		apiKey: secrets.apiKey,
		proxyUrl: secrets.proxyUrl,
		timeoutMs,
		options: toAdapterOptions(params.kind, params.options),
	}
}

/** Turns the admin's selection into the adapter's per-kind options. */
export function toAdapterOptions(kind: NodeKind, o: StoredOptions): NodeOptions {
	const { available = [], selected, ...rest } = o
	const chosen = available.filter((a) => selected?.includes(a.id))
	switch (kind) {
		case 'marzban': {
			// {} = every inbound of every protocol (Marzban's own default).
			if (!selected?.length) return { ...rest, inbounds: {} }
			const inbounds: Record<string, string[]> = {}
			for (const a of chosen) (inbounds[a.meta?.protocol ?? 'vless'] ??= []).push(a.id)
			return { ...rest, inbounds }
		}
		case 'pasarguard':
			return { ...rest, groupIds: (selected?.length ? chosen : available).map((a) => Number(a.id)) }
		case 'marzneshin':
			return { ...rest, serviceIds: (selected?.length ? chosen : available).map((a) => Number(a.id)) }
		default:
			return { ...rest, wgInterface: rest.wgInterface ?? available[0]?.id }
	}
}

export type CheckResult =
	| { ok: true; version: string; latencyMs: number; options: PanelOption[] }
	| { ok: false; code: PanelError['code']; reason?: string }

/** testConnection + listOptions. A network call: never inside a DB transaction. */
export async function checkConnection(conn: NodeConnection): Promise<CheckResult> {
	const adapter = createAdapter(conn)
	try {
		const info = await adapter.testConnection()
		const options = await adapter.listOptions()
		return { ok: true, version: info.version, latencyMs: Math.round(info.latencyMs), options }
	} catch (e) {
		if (e instanceof PanelError) return { ok: false, code: e.code, reason: e.reason }
		return { ok: false, code: 'bad_response', reason: e instanceof Error ? e.message.slice(0, 200) : undefined }
	} finally {
		await adapter.close?.().catch(() => {})
	}
}

export function healthData(result: CheckResult) {
	return result.ok
		? { health: 'ok' as const, lastCheckAt: new Date(), lastError: null, lastVersion: result.version, lastLatencyMs: result.latencyMs }
		: { health: 'down' as const, lastCheckAt: new Date(), lastError: `${result.code}${result.reason ? `: ${result.reason}` : ''}`.slice(0, 500) }
}

export function nodeParams(node: Node): NodeParams {
	return { kind: node.kind, baseUrl: node.baseUrl, host: node.host, port: node.port, transport: node.transport, tls: node.tls, verifyTls: node.verifyTls, options: node.options as StoredOptions }
}

/** For jobs and services: the live connection of a (non-deleted) node. */
export async function nodeConnection(nodeId: number) {
	const node = await prisma.node.findFirstOrThrow({ where: { id: nodeId, deletedAt: null } })
	return connectionOf(nodeParams(node), openSecrets(node.secrets))
}

/** The fields a page may show. Secrets are reduced to "which ones are set". */
export function publicNode(node: Node) {
	const secrets = openSecrets(node.secrets)
	const { secrets: _sealed, options, ...rest } = node
	const { available = [], selected = [], ...choices } = options as StoredOptions
	return {
		...rest,
		options: { ...choices, available, selected },
		hasPassword: Boolean(secrets.password),
		hasApiKey: Boolean(secrets.apiKey),
		hasUsername: Boolean(secrets.username),
		hasProxy: Boolean(secrets.proxyUrl),
	}
}
