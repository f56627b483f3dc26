import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import QRCode from 'qrcode'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from '~/components/preferences-forms'
import { Card } from '~/components/ui/card'
import { StatusPill } from '~/components/ui/status-pill'
import { guardedSubscription } from '~/services/sub-guard.server'
import { clientBody, clientHeaders, wantsHtml } from '~/services/subscription.server'
import { publicUrl } from '~/utils/env.server'
import { formatBytes, formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { clientIp } from '~/utils/request.server'

// Public by design: the unguessable token is the credential. Unknown or revoked → 404, nothing else.
export const meta: MetaFunction = () => [{ title: 'Subscription' }, { name: 'robots', content: 'noindex' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
	const sub = await guardedSubscription(params.token ?? '', clientIp(context))
	// Clients normally get the raw handler in server/index.ts; this keeps dev and tests identical.
	if (!wantsHtml(request.headers.get('accept'))) return new Response(clientBody(sub), { headers: clientHeaders(sub) })
	// PUBLIC_URL, never the Host header: a forged Host must not put another address into the QR code.
	const subUrl = `${publicUrl(request)}/sub/${params.token}`
	const nodes = await Promise.all(
		sub.nodes.map(async (n) => ({
			nodeId: n.nodeId,
			name: n.nodeName,
			kind: n.links?.kind ?? null,
			links: n.links?.kind === 'links' ? await Promise.all(n.links.links.map(async (l) => ({ link: l, qr: await QRCode.toDataURL(l, { margin: 1, width: 220 }) }))) : [],
		})),
	)
	return {
		subUrl,
		subQr: await QRCode.toDataURL(subUrl, { margin: 1, width: 240 }),
		username: sub.username,
		status: sub.status,
		used: String(sub.usedBytes),
		limit: String(sub.dataLimitBytes),
		expireAt: sub.expireAt.toISOString(),
		nodes,
	}
}

type PageData = Exclude<Awaited<ReturnType<typeof loader>>, Response>

export default function SubscriptionPage() {
	const d = useLoaderData<typeof loader>() as unknown as PageData
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<main className="mx-auto max-w-lg space-y-4 p-4">
			<div className="flex items-center justify-between">
				<h1 className="text-lg font-semibold">{t('sub.title')}</h1>
				<LanguageSwitch />
			</div>
			<Card className="space-y-3">
				<div className="flex items-center justify-between gap-2">
					<span className="font-medium" dir="ltr">{d.username}</span>
					<StatusPill tone={d.status === 'active' ? 'green' : 'red'} label={t(`status.${d.status}`, { defaultValue: d.status })} />
				</div>
				<dl className="grid grid-cols-3 gap-2 text-sm">
					<div><dt className="text-gray-500">{t('sub.used')}</dt><dd data-testid="sub-used">{formatBytes(lang, BigInt(d.used))}</dd></div>
					<div><dt className="text-gray-500">{t('sub.limit')}</dt><dd>{BigInt(d.limit) === 0n ? t('sub.unlimited') : formatBytes(lang, BigInt(d.limit))}</dd></div>
					<div><dt className="text-gray-500">{t('sub.expires')}</dt><dd>{formatDate(lang, d.expireAt)}</dd></div>
				</dl>
				<p className="text-sm text-gray-600">{t('sub.copy')}</p>
				<img src={d.subQr} alt="" className="mx-auto size-48" />
				<input readOnly value={d.subUrl} dir="ltr" className="w-full rounded-lg bg-gray-50 p-2 text-xs ring-1 ring-gray-200" aria-label={t('sub.title')} />
			</Card>
			<h2 className="text-sm font-semibold">{t('sub.links')}</h2>
			{d.nodes.length === 0 ? <p className="text-sm text-gray-500">{t('sub.noLinks')}</p> : null}
			{d.nodes.map((n) => (
				<Card key={n.nodeId} className="space-y-2">
					<p className="text-sm font-medium">{n.name}</p>
					{n.kind === 'wireguard' ? (
						<a className="text-sm text-accent underline" href={`/sub/${encodeURIComponent(d.subUrl.split('/sub/')[1]!)}/wg/${n.nodeId}`}>{t('sub.download')}</a>
					) : (
						n.links.map((l) => (
							<div key={l.link} className="space-y-1">
								<img src={l.qr} alt="" className="size-40" />
								<code className="block break-all text-xs" dir="ltr">{l.link}</code>
							</div>
						))
					)}
				</Card>
			))}
		</main>
	)
}

export function ErrorBoundary() {
	return (
		<main className="mx-auto max-w-lg p-6 text-center text-gray-500">
			<p className="text-4xl font-bold">404</p>
		</main>
	)
}
