// MikroTik accounting (issue 13) lives in this folder: connection, polling and rollups, quota
// enforcement, the wizard's import. Routes and worker tasks import it; it imports models/ and the
// RouterOS transports of services/panels/ (the same REST and binary API code the RouterOS node
// adapter uses), never the other way round.
import type { Router } from '~/generated/prisma/client'
import { openSecrets, sealSecrets } from '~/models/node.server'
import type { RosTransport } from '~/services/panels/routeros-common'
import { createRouterOsApiTransport } from '~/services/panels/routeros-api.server'
import { createRouterOsRestTransport } from '~/services/panels/routeros-rest.server'
import type { NodeConnection } from '~/services/panels/types'

export interface RouterAccess {
	transport: 'rest' | 'api'
	baseUrl?: string | null
	host?: string | null
	port?: number | null
	tls: boolean
	verifyTls: boolean
}

/** Credentials are sealed exactly like node secrets (same format, same key rotation). */
export const sealRouterSecrets = (username: string, password: string) => sealSecrets({ username, password })

export function routerConnection(access: RouterAccess, secrets: { username?: string; password?: string }, timeoutMs = 10_000): NodeConnection {
	return {
		kind: 'routeros',
		transport: access.transport,
		baseUrl: access.baseUrl ?? undefined,
		host: access.host ?? undefined,
		port: access.port ?? undefined,
		tls: access.tls,
		verifyTls: access.verifyTls,
		username: secrets.username,
		password: secrets.password,
		timeoutMs,
		options: {},
	}
}

export function openTransport(conn: NodeConnection): RosTransport {
	return conn.transport === 'api' ? createRouterOsApiTransport(conn) : createRouterOsRestTransport(conn)
}

/** A live transport to a stored router; the caller closes it. */
export function routerTransport(router: Pick<Router, 'transport' | 'baseUrl' | 'host' | 'port' | 'tls' | 'verifyTls' | 'secrets'>, timeoutMs?: number) {
	const access = { ...router, transport: router.transport === 'api' ? ('api' as const) : ('rest' as const) }
	return openTransport(routerConnection(access, openSecrets(router.secrets), timeoutMs))
}
