import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { isRouteErrorResponse, useLoaderData, useRouteError } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { LanguageSwitch } from '~/components/preferences-forms'
import { QrCode } from '~/components/share/qr-code'
import { IMPORT_APPS, ShareLink } from '~/components/share/share-link'
import { daysLeft, UsageSummary } from '~/components/share/usage-summary'
import { Card, CardTitle } from '~/components/ui/card'
import { guardedSubscription } from '~/services/sub-guard.server'
import { badFormatText, clientAnswer, wantsHtml } from '~/services/subscription.server'
import { publicUrl } from '~/utils/env.server'
import { clientIp } from '~/utils/request.server'

// Public by design: the unguessable token is the credential. Unknown or revoked → 404 (a
// translated page for people, a bare 404 for VPN clients), nothing else.
export const meta: MetaFunction = () => [{ title: 'Subscription' }, { name: 'robots', content: 'noindex' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
	const sub = await guardedSubscription(params.token ?? '', clientIp(context))
	const formatParam = new URL(request.url).searchParams.get('format')
	// PUBLIC_URL, never the Host header: a forged Host must not put another address into the QR code.
	const subUrl = `${publicUrl(request)}/sub/${params.token}`
	// Clients normally get the raw fast path (server/middleware.ts); this keeps tests identical.
	// The page's own single-fetch request (accept */*) must get the page's data, not a config.
	const pageData = (context as { subPageData?: boolean }).subPageData === true
	if (!pageData && (!wantsHtml(request.headers.get('accept')) || formatParam !== null)) {
		const answer = clientAnswer(sub, formatParam ?? undefined, request.headers.get('user-agent'), subUrl)
		if (!answer) return new Response(await badFormatText(request.headers.get('accept-language')), { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } })
		return new Response(answer.body, { headers: answer.headers })
	}
	return {
		subUrl,
		token: params.token!,
		username: sub.username,
		figures: { status: sub.status, used: String(sub.usedBytes), limit: String(sub.dataLimitBytes), expireAt: sub.expireAt.toISOString(), daysLeft: daysLeft(sub.expireAt) },
		nodes: sub.status === 'active' ? sub.nodes.map((n) => ({ nodeId: n.nodeId, name: n.nodeName, links: n.links?.kind === 'links' ? n.links.links : [], wireguard: n.links?.kind === 'wireguard' ? { fileName: n.links.fileName, config: n.links.config } : null })) : [],
	}
}

type PageData = Exclude<Awaited<ReturnType<typeof loader>>, Response>

export default function SubscriptionPage() {
	const d = useLoaderData<typeof loader>() as unknown as PageData
	const { t, i18n } = useTranslation()
	return (
		<main className="mx-auto max-w-lg space-y-4 p-4">
			<div className="flex items-center justify-between gap-2">
				<h1 className="text-lg font-semibold">{t('subPage.title')}</h1>
				<LanguageSwitch />
			</div>
			<Card className="space-y-4">
				<p className="truncate font-medium" dir="ltr" data-testid="sub-username">{d.username}</p>
				<UsageSummary figures={d.figures} />
			</Card>
			<Card className="space-y-3">
				<CardTitle>{t('subPage.link')}</CardTitle>
				<p className="text-sm text-gray-600 dark:text-gray-300">{t('subPage.linkHint')}</p>
				<ShareLink value={d.subUrl} label={d.username} apps={IMPORT_APPS} />
			</Card>
			<Card>
				<CardTitle>{t('subPage.steps')}</CardTitle>
				<ol className={`${i18n.language === 'fa' ? 'list-[persian]' : 'list-decimal'} space-y-1 ps-5 text-sm text-gray-700 dark:text-gray-200`} data-testid="steps">
					<li>{t('subPage.step1')}</li>
					<li>{t('subPage.step2')}</li>
					<li>{t('subPage.step3')}</li>
				</ol>
			</Card>
			<NodeConfigs token={d.token} nodes={d.nodes} />
		</main>
	)
}

function NodeConfigs({ token, nodes }: { token: string; nodes: PageData['nodes'] }) {
	const { t } = useTranslation()
	return (
		<Card className="space-y-4">
			<CardTitle>{t('subPage.configs')}</CardTitle>
			{nodes.length === 0 ? <p className="text-sm text-gray-500 dark:text-gray-400">{t('subPage.noConfigs')}</p> : <p className="text-xs text-gray-500 dark:text-gray-400">{t('subPage.configsHint')}</p>}
			{nodes.map((n) => (
				<section key={n.nodeId} className="space-y-3 border-t border-gray-100 pt-3 first-of-type:border-0 dark:border-gray-800" data-testid={`sub-node-${n.nodeId}`}>
					<h3 className="text-sm font-semibold">{n.name}</h3>
					{n.links.map((link, i) => (
						<ShareLink key={link} value={link} label={`${n.name} ${i + 1}`} />
					))}
					{n.wireguard ? (
						<div className="space-y-2">
							<a className="inline-block rounded-lg px-3 py-2 text-sm font-medium ring-1 ring-gray-300 hover:bg-gray-50 dark:ring-gray-700 dark:hover:bg-gray-800" href={`/sub/${encodeURIComponent(token)}/wg/${n.nodeId}`} download={n.wireguard.fileName} data-testid="wg-download">
								{t('subPage.downloadWg', { file: n.wireguard.fileName })}
							</a>
							<details>
								<summary className="cursor-pointer text-xs font-medium text-accent">{t('share.showQr')}</summary>
								<QrCode value={n.wireguard.config} label={t('share.qrAlt', { label: n.wireguard.fileName })} className="mt-2 size-56 max-w-full rounded-md ring-1 ring-gray-200" />
							</details>
						</div>
					) : null}
				</section>
			))}
		</Card>
	)
}

/** Unknown or revoked token (404) or too many misses (429): a translated page, the status kept. */
export function ErrorBoundary() {
	const error = useRouteError()
	const { t } = useTranslation()
	const status = isRouteErrorResponse(error) ? error.status : 500
	if (status !== 404 && status !== 429) return <GeneralErrorBoundary home="/" />
	const tooMany = status === 429
	return (
		<main className="mx-auto max-w-lg space-y-3 p-6 text-center" data-testid="sub-not-found">
			<h1 className="text-lg font-semibold">{tooMany ? t('subPage.tooMany') : t('subPage.notFoundTitle')}</h1>
			{tooMany ? null : <p className="text-sm text-gray-600 dark:text-gray-300">{t('subPage.notFoundBody')}</p>}
			<div className="flex justify-center">
				<LanguageSwitch />
			</div>
		</main>
	)
}
