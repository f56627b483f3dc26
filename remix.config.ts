// Remix plugin options in one place; vite.config.ts imports them.
import type { VitePluginConfig } from '@remix-run/dev'

declare module '@remix-run/node' {
	interface Future {
		v3_singleFetch: true
	}
}

export const remixConfig: VitePluginConfig = {
	ignoredRouteFiles: ['**/*'],
	serverModuleFormat: 'esm',
	future: {
		v3_fetcherPersist: true,
		v3_relativeSplatPath: true,
		v3_throwAbortReason: true,
		v3_lazyRouteDiscovery: true,
		v3_singleFetch: true,
		v3_routeConfig: true,
	},
}
