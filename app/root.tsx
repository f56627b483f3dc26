import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import type { ShouldRevalidateFunction } from '@remix-run/react'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from '@remix-run/react'
import { Direction } from 'radix-ui'
import { useEffect, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from './components/error-boundary'
import { Toast } from './components/ui/toast'
import stylesheet from './styles/tailwind.css?url'
import { getUser } from './utils/auth.server'
import { dirOf, type Lang } from './utils/i18n'
import { getLang } from './utils/i18n.server'
import { useNonce } from './utils/nonce-provider'
import { getPreferences } from './utils/preferences.server'
import { readToast } from './utils/toast.server'

export const links: LinksFunction = () => [
	{ rel: 'stylesheet', href: stylesheet },
	{ rel: 'icon', href: '/favicon.ico', sizes: '48x48' },
	{ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
	{ rel: 'apple-touch-icon', href: '/apple-touch-icon.png' },
	// Resellers add the hub to their phone's home screen (public/site.webmanifest).
	{ rel: 'manifest', href: '/site.webmanifest' },
]
export const meta: MetaFunction = () => [{ title: 'Guardino Hub' }, { name: 'theme-color', content: '#4f46e5' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
	const [user, lang, prefs, { toast, headers }] = await Promise.all([getUser(request), getLang(request), getPreferences(request), readToast(request)])
	return data({ user, lang, prefs, toast, requestId: context.requestId ?? null }, { headers })
}

// The root runs with every navigation (one extra session lookup in the same single-fetch
// request), so the request id it returns is the one the server logged if that navigation fails.
export const shouldRevalidate: ShouldRevalidateFunction = () => true

export type RootData = ReturnType<typeof useLoaderData<typeof loader>>
export function useRootData() {
	return useRouteLoaderData<typeof loader>('root')
}

function Document({ children, lang, theme, accent }: { children: ReactNode; lang: Lang; theme: string; accent: string }) {
	const dir = dirOf(lang)
	const nonce = useNonce()
	return (
		<html lang={lang} dir={dir} data-accent={accent} className={theme === 'dark' ? 'dark' : theme === 'light' ? '' : 'system-theme'}>
			<head>
				<meta charSet="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<Meta />
				<Links />
				{theme === 'system' ? (
					// Follow the OS preference before paint; without JS the light theme applies.
					<script nonce={nonce} dangerouslySetInnerHTML={{ __html: `if(matchMedia('(prefers-color-scheme: dark)').matches)document.documentElement.classList.add('dark')` }} />
				) : null}
			</head>
			<body className="min-h-dvh bg-gray-50 text-gray-900 antialiased dark:bg-gray-950 dark:text-gray-100">
				<Direction.Provider dir={dir}>{children}</Direction.Provider>
				<ScrollRestoration nonce={nonce} />
				<Scripts nonce={nonce} />
			</body>
		</html>
	)
}

export default function App() {
	const { lang, prefs, toast } = useLoaderData<typeof loader>()
	const { i18n } = useTranslation()
	useEffect(() => {
		if (i18n.language !== lang) void i18n.changeLanguage(lang)
	}, [lang, i18n])
	return (
		<Document lang={lang} theme={prefs.theme} accent={prefs.accent}>
			<Outlet />
			<Toast toast={toast} />
		</Document>
	)
}

export function ErrorBoundary() {
	const root = useRouteLoaderData<typeof loader>('root')
	return (
		<Document lang={root?.lang ?? 'en'} theme={root?.prefs.theme ?? 'system'} accent={root?.prefs.accent ?? 'indigo'}>
			<main className="mx-auto max-w-lg p-6">
				<GeneralErrorBoundary />
			</main>
		</Document>
	)
}
