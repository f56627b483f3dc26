import { Form, Link, NavLink, useLocation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionUser } from '~/utils/auth.server'
import { formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { LanguageSwitch, PreferencesForm } from './preferences-forms'
import { cn } from './ui/cn'

export interface NavItem {
	to: string
	label: string
	end?: boolean
	/** Paths under `to` that belong to another item (Customers is not lit on Customers › New). */
	exclude?: string[]
}

/** One item is lit at a time: the path is `to` or below it, and not below one of its excludes. */
export function isNavActive(item: NavItem, pathname: string) {
	const path = pathname.replace(/\/+$/, '') || '/'
	const under = (p: string) => path === p || path.startsWith(`${p}/`)
	if (item.end ? path !== item.to : !under(item.to)) return false
	return !item.exclude?.some(under)
}

function ShellLink({ item, className }: { item: NavItem; className: (s: { isActive: boolean }) => string }) {
	const { pathname } = useLocation()
	const isActive = isNavActive(item, pathname)
	return (
		<Link to={item.to} className={className({ isActive })} aria-current={isActive ? 'page' : undefined}>
			{item.label}
		</Link>
	)
}

/**
 * The signed-in shell. On phones: a top bar plus a bottom tab bar (thumb reach) and a <details>
 * menu for the rest (no JS needed). From md up: a side navigation.
 */
export function Shell({ user, areaTitle, nav, notifications, children }: { user: Pick<SessionUser, 'username' | 'displayName'>; areaTitle: string; nav: NavItem[]; notifications?: { to: string; unread: number }; children: ReactNode }) {
	const { t } = useTranslation()
	const linkClass = ({ isActive }: { isActive: boolean }) =>
		cn('block rounded-lg px-3 py-2 text-sm font-medium', isActive ? 'bg-accent/10 text-accent' : 'text-gray-700 hover:bg-gray-100 dark:text-gray-300 dark:hover:bg-gray-800')
	return (
		<div className="min-h-dvh md:flex">
			<a href="#main" className="sr-only focus:not-sr-only">{t('nav.skip')}</a>
			<aside className="hidden w-60 shrink-0 border-e border-gray-200 bg-white p-4 md:block dark:border-gray-800 dark:bg-gray-900">
				<p className="mb-1 text-base font-semibold">{t('app.name')}</p>
				<p className="mb-4 text-xs text-gray-500">{areaTitle}</p>
				<nav className="space-y-1" aria-label={areaTitle}>
					{nav.map((item) => (
						<ShellLink key={item.to} item={item} className={linkClass} />
					))}
				</nav>
			</aside>
			<div className="min-w-0 flex-1 pb-20 md:pb-0">
				<header className="flex items-center justify-between gap-2 border-b border-gray-200 bg-white px-4 py-2 dark:border-gray-800 dark:bg-gray-900">
					<span className="truncate text-sm font-semibold md:hidden">{t('app.name')}</span>
					<span className="hidden truncate text-sm text-gray-600 md:block dark:text-gray-400" data-testid="whoami">
						{user.displayName ?? user.username}
					</span>
					<div className="flex items-center gap-1">
						{notifications ? <NotificationsBadge {...notifications} /> : null}
						<LanguageSwitch />
						<details className="relative">
							<summary className="cursor-pointer list-none rounded-md px-2 py-1 text-sm text-gray-600 hover:bg-gray-100 dark:text-gray-300 dark:hover:bg-gray-800">{t('nav.menu')}</summary>
							<div className="absolute end-0 z-20 mt-2 w-64 space-y-3 rounded-xl bg-white p-4 shadow-lg ring-1 ring-gray-200 dark:bg-gray-900 dark:ring-gray-800">
								<p className="truncate text-sm font-medium">{user.displayName ?? user.username}</p>
								{nav.length > 4 ? (
									// Phones: the tab bar holds the first four; the rest live here.
									<nav className="space-y-1 md:hidden" aria-label={areaTitle}>
										{nav.slice(4).map((item) => (
											<ShellLink key={item.to} item={item} className={() => 'block text-sm text-gray-700 hover:underline dark:text-gray-300'} />
										))}
									</nav>
								) : null}
								<NavLink to="/password" className="block text-sm text-accent hover:underline">{t('nav.password')}</NavLink>
								<PreferencesForm />
								<Form method="post" action="/logout">
									<button type="submit" className="text-sm font-medium text-red-600 hover:underline">{t('nav.logout')}</button>
								</Form>
							</div>
						</details>
					</div>
				</header>
				<main id="main" className="mx-auto max-w-6xl p-4 md:p-6">
					{children}
				</main>
			</div>
			<nav className="fixed inset-x-0 bottom-0 z-10 flex justify-around border-t border-gray-200 bg-white px-1 py-1 md:hidden dark:border-gray-800 dark:bg-gray-900" aria-label={areaTitle}>
				{nav.slice(0, 4).map((item) => (
					<ShellLink key={item.to} item={item} className={({ isActive }) => cn('min-w-0 flex-1 truncate rounded-lg px-2 py-2 text-center text-xs font-medium', isActive ? 'text-accent' : 'text-gray-600 dark:text-gray-400')} />
				))}
			</nav>
		</div>
	)
}

export function PageHeader({ title, action }: { title: string; action?: ReactNode }) {
	return (
		<div className="mb-4 flex flex-wrap items-center justify-between gap-2">
			<h1 className="text-xl font-semibold">{title}</h1>
			{action}
		</div>
	)
}

/** The header's bell: a link to the feed with the unread count (the area layout loads it). */
function NotificationsBadge({ to, unread }: { to: string; unread: number }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<NavLink to={to} className="relative rounded-md p-1.5 text-gray-600 hover:bg-gray-100 dark:text-gray-300 dark:hover:bg-gray-800" aria-label={t('automation.inbox.badge', { n: formatNumber(lang, unread) })} data-testid="notifications-badge">
			<svg viewBox="0 0 20 20" fill="currentColor" className="size-5" aria-hidden>
				<path d="M10 2a6 6 0 0 0-6 6v3.1l-1.4 2.8A.75.75 0 0 0 3.3 15h13.4a.75.75 0 0 0 .7-1.1L16 11.1V8a6 6 0 0 0-6-6Zm0 17a2.5 2.5 0 0 1-2.45-2h4.9A2.5 2.5 0 0 1 10 19Z" />
			</svg>
			{unread > 0 ? (
				<span className="absolute -end-0.5 -top-0.5 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] leading-4 font-semibold text-white" data-testid="unread-count">
					{unread > 99 ? `${formatNumber(lang, 99)}+` : formatNumber(lang, unread)}
				</span>
			) : null}
		</NavLink>
	)
}
