import { useTranslation } from 'react-i18next'
import { ShareLink } from '~/components/share/share-link'
import { Shimmer } from '~/components/ui/shimmer'
import { Card, CardTitle } from '~/components/ui/card'
import { formatBytes } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { OnlineDot } from './presence'
import { NodeStatePill } from './status'

export interface SubAccountView {
	nodeId: number
	state: string
	remoteStatus: string | null
	/** nodePillState(): the panel's status once the account exists there. */
	pill: string
	usedBytes: bigint
	lastError: string | null
	/** The panel's last-online time as the usage sync read it. */
	onlineAt: Date | string | null
	node: { name: string; kind: string }
	links: Array<{ url: string; qr: string }>
	subscriptionUrl: string | null
	wireguard: { fileName: string; qr: string } | null
}

/** Per node: state, last error, usage, and its links / WireGuard file with QR codes. */
export function NodeAccounts({ customerId, subAccounts, now }: { customerId: number; subAccounts: SubAccountView[]; now: Date | string }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<Card className="space-y-4">
			<CardTitle>{t('customers.links.title')}</CardTitle>
			{subAccounts.length === 0 ? <p className="text-sm text-gray-500">{t('customers.links.none')}</p> : null}
			{subAccounts.map((s) => (
				<section key={s.nodeId} className="space-y-2 border-t border-gray-100 pt-3 first-of-type:border-0 first-of-type:pt-0 dark:border-gray-800" data-testid={`node-${s.nodeId}`}>
					<div className="flex flex-wrap items-center justify-between gap-2">
						<h3 className="min-w-0 truncate text-sm font-semibold">{s.node.name} <span className="text-xs font-normal text-gray-500">{t(`nodes.kinds.${s.node.kind}`)}</span></h3>
						<NodeStatePill state={s.pill} />
					</div>
					{s.state === 'active' ? (
						<div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1" data-testid="node-presence">
							<p className="text-xs text-gray-500">{t('customers.links.nodeUsage')} <bdi>{formatBytes(lang, s.usedBytes)}</bdi></p>
							<OnlineDot at={s.onlineAt} now={now} />
						</div>
					) : null}
					{s.state === 'pending' ? (
						// The page polls while the panel sets the account up: the links' place shimmers until then.
						<div className="space-y-2" data-testid="links-pending" aria-busy>
							<Shimmer className="h-9 w-full rounded-lg" />
							<Shimmer className="h-3 w-24" />
						</div>
					) : null}
					{s.lastError ? <p className="text-xs break-words text-red-600 dark:text-red-400" data-testid="node-error">{t('customers.links.lastError', { error: s.lastError })}</p> : null}
					{s.links.map((l, i) => (
						<ShareLink key={i} value={l.url} label={`${s.node.name} ${i + 1}`} />
					))}
					{s.subscriptionUrl ? <p className="text-xs text-gray-500">{t('customers.links.panelSubscription')} <a dir="ltr" href={s.subscriptionUrl} className="break-all text-accent hover:underline">{s.subscriptionUrl}</a></p> : null}
					{s.wireguard ? (
						<div className="space-y-1">
							<a href={`/reseller/customers/${customerId}/wg/${s.nodeId}`} download={s.wireguard.fileName} className="inline-block rounded-lg px-3 py-1.5 text-sm font-medium ring-1 ring-gray-300 hover:bg-gray-50 dark:ring-gray-700" data-testid="wg-download">
								{t('customers.links.downloadWg', { file: s.wireguard.fileName })}
							</a>
							<details>
								<summary className="cursor-pointer text-xs font-medium text-accent">{t('customers.links.showQr')}</summary>
								<img src={s.wireguard.qr} alt={t('customers.links.qrAlt', { label: s.wireguard.fileName })} className="mt-2 size-56 max-w-full rounded-md bg-white p-1 ring-1 ring-gray-200" />
							</details>
						</div>
					) : null}
				</section>
			))}
		</Card>
	)
}
