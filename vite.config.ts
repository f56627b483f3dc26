import { vitePlugin as remix } from '@remix-run/dev'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'
import tsconfigPaths from 'vite-tsconfig-paths'
import { remixConfig } from './remix.config'

export default defineConfig({
	plugins: [tailwindcss(), remix(remixConfig), tsconfigPaths()],
	build: { target: 'es2022' },
	server: { port: 3000 },
	optimizeDeps: {
		// Vite's dependency scan walks every route module, .server imports included. @node-rs/argon2
		// is server-only, and its `browser` entry needs a wasm package we do not install: the scan
		// failed, the browser's deps were then discovered one page at a time, and every discovery
		// re-optimised and answered `504 (Outdated Optimize Dep)` — the demo never hydrated.
		exclude: ['@node-rs/argon2'],
		// No discovery at all: the scan also finds server-only packages (pg, @prisma/client,
		// remix-auth …) and optimising them after the first page forced a full reload. Instead every
		// browser dependency is listed and bundled once at startup. A new client-side package goes here.
		noDiscovery: true,
		include: [
			'react',
			'react/jsx-runtime',
			'react/jsx-dev-runtime',
			'react-dom',
			'react-dom/client',
			'@remix-run/react',
			'i18next',
			'react-i18next',
			'zod',
			'@conform-to/react',
			'@conform-to/zod/v4',
			'radix-ui',
			'qrcode', // the share component draws QR codes in the browser too
		],
	},
})
