// The only place that knows which adapter serves which node kind.
import { PanelError } from './errors'
import { createMarzbanAdapter } from './marzban.server'
import { createMarzneshinAdapter } from './marzneshin.server'
import { createPasarGuardAdapter } from './pasarguard.server'
import { createRouterOsApiAdapter } from './routeros-api.server'
import { createRouterOsRestAdapter } from './routeros-rest.server'
import type { NodeConnection, PanelAdapter } from './types'
import { createWgDashboardAdapter } from './wgdashboard.server'

export function createAdapter(conn: NodeConnection): PanelAdapter {
	switch (conn.kind) {
		case 'marzban':
			return createMarzbanAdapter(conn)
		case 'pasarguard':
			return createPasarGuardAdapter(conn)
		case 'marzneshin':
			return createMarzneshinAdapter(conn)
		case 'wgdashboard':
			return createWgDashboardAdapter(conn)
		case 'routeros':
			return conn.transport === 'api' ? createRouterOsApiAdapter(conn) : createRouterOsRestAdapter(conn)
		default: {
			const kind: never = conn.kind
			throw new PanelError('rejected', `unknown panel kind ${String(kind)}`)
		}
	}
}
