// Node management: test first (a network call, outside any transaction), then save — so a
// wrong URL, bad credentials or a refusing proxy leaves nothing half-written.
import { checkConnection, connectionOf, healthData, openSecrets, sealSecrets, type CheckResult, type NodeSecrets, type StoredOptions } from '~/models/node.server'
import { missingSecrets, toPermille, type NodeForm } from '~/models/node-form'
import { audit } from '~/utils/audit.server'
import { prisma } from '~/utils/db.server'

export type NodeResult = { ok: true; nodeId: number } | { ok: false; fieldErrors?: Record<string, string[]>; check?: Extract<CheckResult, { ok: false }> }

function paramsFrom(form: NodeForm, options: StoredOptions) {
	const api = form.kind === 'routeros' && form.transport === 'api'
	return {
		kind: form.kind,
		baseUrl: api ? null : (form.baseUrl ?? null),
		host: api ? (form.host ?? null) : null,
		port: api ? (form.port ?? null) : null,
		transport: form.kind === 'routeros' ? form.transport : null,
		tls: form.tls,
		verifyTls: form.verifyTls,
		options,
	}
}

function choicesFrom(form: NodeForm, previous: StoredOptions = {}): StoredOptions {
	return {
		...previous,
		selected: form.selected,
		wgInterface: form.wgInterface || undefined,
		wgEndpoint: form.wgEndpoint || undefined,
		wgDns: form.wgDns || undefined,
		wgTimezone: form.wgTimezone || undefined,
		publicBaseUrl: form.publicBaseUrl || undefined,
	}
}

export async function createNode(form: NodeForm, actorId: number): Promise<NodeResult> {
	const secrets: NodeSecrets = { username: form.username || undefined, password: form.password || undefined, apiKey: form.apiKey || undefined, proxyUrl: form.proxyUrl || undefined }
	const missing = missingSecrets(form.kind, secrets)
	if (missing.length) return { ok: false, fieldErrors: Object.fromEntries(missing.map((m) => [m, ['errors.required']])) }
	const options = choicesFrom(form)
	const params = paramsFrom(form, options)
	const check = await checkConnection(connectionOf(params, secrets))
	if (!check.ok) return { ok: false, check }
	options.available = check.options
	const node = await prisma.$transaction(async (tx) => {
		const created = await tx.node.create({
			data: { name: form.name, ...params, options: options as object, secrets: sealSecrets(secrets), usageMultiplierPermille: toPermille(form.usageMultiplier), ...healthData(check) },
		})
		await audit({ actorId, action: 'node.create', entityType: 'node', entityId: created.id, after: { name: form.name, kind: form.kind } }, tx)
		return created
	})
	return { ok: true, nodeId: node.id }
}

export async function updateNode(id: number, form: NodeForm, actorId: number): Promise<NodeResult> {
	const node = await prisma.node.findFirst({ where: { id, deletedAt: null } })
	if (!node) throw new Response('Not found', { status: 404 })
	const old = openSecrets(node.secrets)
	// A blank secret keeps the stored one; the proxy is cleared by an explicit empty field.
	const secrets: NodeSecrets = {
		username: form.username || old.username,
		password: form.password || old.password,
		apiKey: form.apiKey || old.apiKey,
		proxyUrl: form.proxyUrl || undefined,
	}
	const options = choicesFrom(form, node.options as StoredOptions)
	const params = { ...paramsFrom(form, options), kind: node.kind } // the kind of a node never changes
	const check = await checkConnection(connectionOf(params, secrets))
	if (!check.ok) return { ok: false, check }
	options.available = check.options
	await prisma.$transaction(async (tx) => {
		await tx.node.update({
			where: { id },
			data: { name: form.name, ...params, options: options as object, secrets: sealSecrets(secrets), usageMultiplierPermille: toPermille(form.usageMultiplier), ...healthData(check) },
		})
		await audit({ actorId, action: 'node.update', entityType: 'node', entityId: id, before: { name: node.name, baseUrl: node.baseUrl, host: node.host }, after: { name: form.name, baseUrl: params.baseUrl, host: params.host } }, tx)
	})
	return { ok: true, nodeId: id }
}

/** "Test connection": records health and refreshes the options list. */
export async function testNode(id: number) {
	const node = await prisma.node.findFirst({ where: { id, deletedAt: null } })
	if (!node) throw new Response('Not found', { status: 404 })
	const options = node.options as StoredOptions
	const check = await checkConnection(connectionOf({ ...node, options }, openSecrets(node.secrets)))
	await prisma.node.update({ where: { id }, data: { ...healthData(check), ...(check.ok ? { options: { ...options, available: check.options } as object } : {}) } })
	return check
}

/** Soft delete: hidden from selection and sync; nothing is changed on the panel; history stays. */
export async function softDeleteNode(id: number, actorId: number) {
	await prisma.$transaction(async (tx) => {
		const { count } = await tx.node.updateMany({ where: { id, deletedAt: null }, data: { deletedAt: new Date() } })
		if (!count) throw new Response('Not found', { status: 404 })
		await audit({ actorId, action: 'node.soft_delete', entityType: 'node', entityId: id }, tx)
	})
}
