// A link someone must get into a VPN app: shown as selectable text, with Copy (and the phone's
// share sheet where the browser has one), its QR code, and optional one-tap import buttons.
// Without JavaScript the text stays selectable and the QR opens from <details>; Copy and Share
// appear once React runs, since they need the browser's clipboard / share APIs.
//
//   <ShareLink value={url} label="Germany 1" />                    a share link
//   <ShareLink value={subUrl} label={username} apps={IMPORT_APPS} /> a subscription, with import buttons
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useHydrated } from '~/utils/use-hydrated'
import { APP_NAMES, APP_PLATFORMS, type ImportApp, importLink } from './import-links'
import { QrCode } from './qr-code'

export { IMPORT_APPS, type ImportApp } from './import-links'

const SMALL_BUTTON = 'inline-flex shrink-0 items-center justify-center rounded-lg px-3 py-2 text-sm font-medium ring-1 ring-gray-300 bg-white text-gray-900 hover:bg-gray-50 dark:bg-gray-800 dark:text-gray-100 dark:ring-gray-700 dark:hover:bg-gray-700'

export function ShareLink({ value, label, apps }: { value: string; label: string; apps?: readonly ImportApp[] }) {
	const { t } = useTranslation()
	return (
		<div className="space-y-2" data-testid="share-link">
			<p className="text-xs font-medium text-gray-600 dark:text-gray-300">{label}</p>
			<div className="flex items-stretch gap-2">
				{/* The box that was white on white in dark mode: explicit colours for both themes. */}
				<input
					readOnly
					value={value}
					dir="ltr"
					aria-label={label}
					onFocus={(e) => e.currentTarget.select()}
					className="min-w-0 flex-1 rounded-lg bg-gray-50 px-2 py-2 font-mono text-xs text-gray-900 ring-1 ring-gray-200 select-all dark:bg-gray-800 dark:text-gray-100 dark:ring-gray-700"
					data-testid="share-value"
				/>
				<CopyButton value={value} />
				<ShareSheetButton value={value} label={label} />
			</div>
			<details>
				<summary className="cursor-pointer text-xs font-medium text-accent">{t('share.showQr')}</summary>
				<QrCode value={value} label={t('share.qrAlt', { label })} className="mt-2 size-56 max-w-full rounded-md ring-1 ring-gray-200" />
			</details>
			{apps?.length ? <ImportButtons url={value} name={label} apps={apps} /> : null}
		</div>
	)
}

function CopyButton({ value }: { value: string }) {
	const { t } = useTranslation()
	const hydrated = useHydrated()
	const [copied, setCopied] = useState(false)
	if (!hydrated) return null
	return (
		<button
			type="button"
			className={SMALL_BUTTON}
			data-testid="copy"
			onClick={async () => {
				try {
					await navigator.clipboard.writeText(value)
					setCopied(true)
					setTimeout(() => setCopied(false), 2000)
				} catch {
					// No clipboard permission (http, old WebView): the text is still selectable.
				}
			}}
		>
			<span aria-live="polite">{copied ? t('share.copied') : t('share.copy')}</span>
		</button>
	)
}

function ShareSheetButton({ value, label }: { value: string; label: string }) {
	const { t } = useTranslation()
	const hydrated = useHydrated()
	if (!hydrated || typeof navigator.share !== 'function') return null
	return (
		<button type="button" className={SMALL_BUTTON} onClick={() => navigator.share({ title: label, text: value }).catch(() => undefined)}>
			{t('share.share')}
		</button>
	)
}

/** Plain links (they work without JavaScript): each opens its app with the subscription filled in. */
function ImportButtons({ url, name, apps }: { url: string; name: string; apps: readonly ImportApp[] }) {
	const { t } = useTranslation()
	return (
		<div className="space-y-2 pt-1" data-testid="import-apps">
			<p className="text-xs text-gray-600 dark:text-gray-300">{t('share.importHint')}</p>
			<ul className="grid grid-cols-1 gap-2 sm:grid-cols-2">
				{apps.map((app) => (
					<li key={app}>
						<a href={importLink(app, url, name)} className={`${SMALL_BUTTON} w-full flex-col items-start gap-0.5 text-start`} data-testid={`import-${app}`}>
							<span>{t('share.importInto', { app: APP_NAMES[app] })}</span>
							<span className="text-xs font-normal text-gray-500 dark:text-gray-400" dir="ltr">{APP_PLATFORMS[app]}</span>
						</a>
					</li>
				))}
			</ul>
		</div>
	)
}
