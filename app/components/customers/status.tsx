import { useTranslation } from 'react-i18next'
import { StatusPill } from '~/components/ui/status-pill'
import { formatBytes } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

type Tone = 'green' | 'red' | 'amber' | 'gray'
const CUSTOMER: Record<string, Tone> = { active: 'green', disabled: 'gray', expired: 'amber', limited: 'amber', refunded: 'gray', deleted: 'red' }
const ORDER: Record<string, Tone> = { queued: 'gray', provisioning: 'amber', completed: 'green', partly_failed: 'amber', failed_refunded: 'red' }
const NODE: Record<string, Tone> = {
	pending: 'amber', active: 'green', failed: 'red', removing: 'amber', removed: 'gray',
	disabled: 'gray', limited: 'amber', expired: 'amber', on_hold: 'gray', deleted_on_expiry: 'gray',
}
/** The panel's statuses (RemoteAccount.status) a live sub-account can report. */
const REMOTE = new Set(['active', 'disabled', 'limited', 'expired', 'on_hold'])

/**
 * What a node row says: once the account lives on the panel, the panel's own status as last read
 * back (disabled after a disable or refund); before and after that, our lifecycle state.
 */
export function nodePillState(s: { state: string; remoteStatus: string | null }): string {
	if (s.state === 'active') return s.remoteStatus && REMOTE.has(s.remoteStatus) ? s.remoteStatus : 'active'
	if (s.state === 'removed' && s.remoteStatus === 'deleted_on_expiry') return 'deleted_on_expiry'
	return s.state
}

export function CustomerStatusPill({ status }: { status: string }) {
	const { t } = useTranslation()
	return <StatusPill tone={CUSTOMER[status] ?? 'gray'} label={t(`customers.status.${status}`)} />
}

/** Queued and provisioning pulse: they change by themselves. */
export function OrderStatusPill({ status }: { status: string }) {
	const { t } = useTranslation()
	return <StatusPill tone={ORDER[status] ?? 'gray'} pulse={status === 'queued' || status === 'provisioning'} label={t(`customers.orderStatus.${status}`)} />
}

export function NodeStatePill({ state }: { state: string }) {
	const { t } = useTranslation()
	return <StatusPill tone={NODE[state] ?? 'gray'} pulse={state === 'pending' || state === 'removing'} label={t(`customers.nodeState.${state}`)} />
}

/** "1.2 GB / 10 GB" with a thin bar (the bar is decoration; the text says it all). */
export function Usage({ used, limit }: { used: bigint; limit: bigint }) {
	const { i18n } = useTranslation()
	const lang = i18n.language as Lang
	const pct = limit > 0n ? Math.min(100, Number((used * 100n) / limit)) : 0
	return (
		<div className="min-w-0">
			<p className="text-xs text-gray-600 tabular-nums dark:text-gray-400" data-testid="usage">
				<bdi>{formatBytes(lang, used)}</bdi> / <bdi>{formatBytes(lang, limit)}</bdi>
			</p>
			<div className="mt-1 h-1.5 w-full overflow-hidden rounded-full bg-gray-100 dark:bg-gray-800" aria-hidden>
				<div className={pct >= 90 ? 'h-full bg-red-500' : 'h-full bg-accent'} style={{ width: `${pct}%` }} />
			</div>
		</div>
	)
}
