import { useTranslation } from 'react-i18next'
import type { CandidatePeer, RouterListing } from '~/services/routers/import.server'
import { formatBytes, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { StatusPill } from '../ui/status-pill'

/** The wizard's peer table: a checkbox per peer, outbound ones unchecked, imported ones marked. */
export function PeerImportTable({ peers, gone }: { peers: CandidatePeer[]; gone: RouterListing['gone'] }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	if (!peers.length && !gone.length) return <p className="text-sm text-gray-500">{t('routers.wizard.noPeers')}</p>
	return (
		<div className="-mx-4 overflow-x-auto px-4">
			<table className="w-full min-w-[640px] text-sm" data-testid="import-table">
				<thead className="text-xs text-gray-500">
					<tr>
						<th className="py-1 text-start font-medium"><span className="sr-only">{t('routers.wizard.select')}</span></th>
						<th className="py-1 text-start font-medium">{t('routers.peer.name')}</th>
						<th className="py-1 text-start font-medium">{t('routers.peer.allowedAddress')}</th>
						<th className="py-1 text-start font-medium">{t('routers.peer.endpoint')}</th>
						<th className="py-1 text-start font-medium">{t('routers.peer.lastHandshake')}</th>
						<th className="py-1 text-end font-medium">{t('routers.peer.counters')}</th>
					</tr>
				</thead>
				<tbody>
					{peers.map((p) => {
						const value = `${p.interface}\t${p.publicKey}`
						const label = p.name || p.comment || `${p.publicKey.slice(0, 10)}…`
						return (
							<tr key={value} className="border-t border-gray-100 align-top dark:border-gray-800" data-peer={label}>
								<td className="py-2 pe-2">
									{p.importedId ? (
										<StatusPill tone="gray" label={t('routers.wizard.imported')} pulse={false} />
									) : (
										<input type="checkbox" name="peers" value={value} defaultChecked={!p.outbound} aria-label={t('routers.wizard.importPeer', { name: label })} />
									)}
								</td>
								<td className="py-2 pe-2">
									<span className="font-medium">{label}</span>
									<span className="block text-xs text-gray-500" dir="ltr">{p.interface}{p.comment && p.name ? ` · ${p.comment}` : ''}</span>
									{p.outbound ? <span className="mt-1 inline-block"><StatusPill tone="amber" label={t('routers.wizard.outbound')} pulse={false} /></span> : null}
								</td>
								<td className="py-2 pe-2 font-mono text-xs" dir="ltr">{p.allowedAddress}</td>
								<td className="py-2 pe-2 font-mono text-xs" dir="ltr">{p.endpoint || p.currentEndpoint || '—'}</td>
								<td className="py-2 pe-2 text-xs">{p.lastHandshakeSec === null ? t('routers.peer.never') : t('routers.peer.ago', { value: formatNumber(lang, p.lastHandshakeSec) })}</td>
								<td className="py-2 text-end text-xs tabular-nums">{formatBytes(lang, BigInt(p.rx))} / {formatBytes(lang, BigInt(p.tx))}</td>
							</tr>
						)
					})}
					{gone.map((g) => (
						<tr key={g.id} className="border-t border-gray-100 dark:border-gray-800">
							<td className="py-2 pe-2"><StatusPill tone="red" label={t('routers.wizard.gone')} pulse={false} /></td>
							<td className="py-2 pe-2" colSpan={5}>{g.name ?? `${g.publicKey.slice(0, 10)}…`} <span className="text-xs text-gray-500" dir="ltr">{g.interface}</span></td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	)
}
