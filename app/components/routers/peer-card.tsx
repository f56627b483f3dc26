import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { PeerCard as PeerCardData } from '~/models/router.server'
import type { Lang } from '~/utils/i18n'
import { StatusPill } from '../ui/status-pill'
import { instantLabel } from './format'
import { UsageBar } from './usage-bar'

/** One imported peer: online pill or "last seen …", endpoint, cycle usage against its quota. */
export function PeerCard({ peer, routerId, timezone, calendar, projection }: { peer: PeerCardData; routerId: number; timezone: string; calendar: 'jalali' | 'gregorian'; projection?: string | null }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const label = peer.name || peer.comment || `${peer.publicKey.slice(0, 10)}…`
	return (
		<Link to={`/admin/routers/${routerId}/peers/${peer.id}`} className="block rounded-xl bg-white p-4 shadow-sm ring-1 ring-gray-200 transition hover:-translate-y-[1px] hover:shadow-md dark:bg-gray-900 dark:ring-gray-800" data-testid="peer-card" data-peer={label}>
			<div className="flex items-start justify-between gap-2">
				<div className="min-w-0">
					<p className="truncate text-sm font-semibold">{label}</p>
					<p className="truncate text-xs text-gray-500" dir="ltr">{peer.interface} · {peer.allowedAddress}</p>
				</div>
				<PeerStatus peer={peer} />
			</div>
			<p className="mt-2 text-xs text-gray-500">
				{peer.online
					? peer.currentEndpoint ? <span dir="ltr">{peer.currentEndpoint}</span> : null
					: peer.lastSeenAt ? t('routers.peer.lastSeen', { when: instantLabel(lang, peer.lastSeenAt, timezone, calendar) }) : t('routers.peer.neverSeen')}
			</p>
			<div className="mt-3"><UsageBar used={peer.cycleBytes} quota={peer.quotaBytes} /></div>
			{projection ? <p className="mt-2 text-xs text-amber-700 dark:text-amber-400">{projection}</p> : null}
		</Link>
	)
}

export function PeerStatus({ peer }: { peer: Pick<PeerCardData, 'online' | 'disabled' | 'disabledBy' | 'missing'> }) {
	const { t } = useTranslation()
	if (peer.missing) return <StatusPill tone="gray" label={t('routers.status.missing')} pulse={false} />
	if (peer.disabled) return <StatusPill tone="red" label={t(peer.disabledBy === 'system' ? 'routers.status.disabledQuota' : 'routers.status.disabled')} pulse={false} />
	return peer.online ? <StatusPill tone="green" label={t('routers.status.online')} /> : <StatusPill tone="gray" label={t('routers.status.offline')} pulse={false} />
}
