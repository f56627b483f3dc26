import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { QrCode } from '~/components/share/qr-code'
import { IMPORT_APPS, ShareLink } from '~/components/share/share-link'
import { daysLeft, type UsageFigures, UsageSummary } from '~/components/share/usage-summary'
import { PageHeader } from '~/components/shell'
import { Card, CardTitle } from '~/components/ui/card'
import { servicesOfUser } from '~/models/end-user-services.server'
import { loadSubscription } from '~/services/subscription.server'
import { requireCustomer } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { publicUrl } from '~/utils/env.server'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

/**
 * Where renew / add traffic / upgrade go: the checkout pages of the invoices work (brief I), one
 * per operation on an existing service. Plain links, so they work without JavaScript.
 */
const checkoutLinks = (customerId: number) => ({
	renew: `/store/checkout/renew/${customerId}`,
	addTraffic: `/store/checkout/traffic/${customerId}`,
	upgrade: `/store/checkout/upgrade/${customerId}`,
})

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	// servicesOfUser carries user_id in its WHERE: only this user's store services.
	const services = await servicesOfUser(user.id)
	// A paid downgrade waiting for the renewal: the plan it switches to is its invoice's.
	const scheduled = new Map((await prisma.invoice.findMany({ where: { userId: user.id, id: { in: services.map((s) => s.scheduledInvoiceId).filter((id): id is bigint => id != null) } }, select: { id: true, planId: true } })).map((i) => [i.id, i.planId]))
	const planIds = [...new Set([...services.map((s) => s.planId), ...scheduled.values()].filter((id): id is number => id != null))]
	const plans = new Map((await prisma.plan.findMany({ where: { id: { in: planIds } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]))
	const base = publicUrl(request)
	return {
		services: await Promise.all(
			services.map(async (s) => {
				// The same cached links VPN clients get (decrypted from the sub-accounts; no panel call).
				const sub = await loadSubscription(s.subToken)
				const figures: UsageFigures = { status: s.status, used: String(s.usedBytes), limit: String(s.dataLimitBytes), expireAt: s.expireAt.toISOString(), daysLeft: daysLeft(s.expireAt) }
				return {
					id: s.id,
					name: s.username,
					plan: s.planId ? (plans.get(s.planId) ?? null) : null,
					nextPlan: s.scheduledInvoiceId != null && s.scheduledChangeAt ? { name: plans.get(scheduled.get(s.scheduledInvoiceId) ?? 0) ?? '', at: s.scheduledChangeAt.toISOString() } : null,
					figures,
					subUrl: `${base}/sub/${s.subToken}`,
					nodes:
						sub && sub.status === 'active'
							? sub.nodes.map((n) => ({ nodeId: n.nodeId, name: n.nodeName, links: n.links?.kind === 'links' ? n.links.links : [], wireguard: n.links?.kind === 'wireguard' ? { fileName: n.links.fileName, config: n.links.config } : null }))
							: [],
					actions: checkoutLinks(s.id),
				}
			}),
		),
	}
}

type Service = Awaited<ReturnType<typeof loader>>['services'][number]

export default function AccountServices() {
	const { services } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	return (
		<>
			<PageHeader title={t('services.title')} />
			{services.length === 0 ? (
				<Card className="space-y-3 text-center">
					<p className="text-sm text-gray-600 dark:text-gray-300">{t('services.none')}</p>
					<Link to="/" className="inline-block rounded-lg bg-accent px-4 py-2 text-sm font-medium text-white">{t('services.browse')}</Link>
				</Card>
			) : null}
			<div className="space-y-4">
				{services.map((s) => (
					<ServiceCard key={s.id} service={s} />
				))}
			</div>
		</>
	)
}

const ACTION_BASE = 'inline-flex flex-1 items-center justify-center rounded-lg px-3 py-2 text-sm font-medium'
const ACTION = `${ACTION_BASE} ring-1 ring-gray-300 bg-white text-gray-900 hover:bg-gray-50 dark:bg-gray-800 dark:text-gray-100 dark:ring-gray-700`
const PRIMARY = `${ACTION_BASE} bg-accent text-white hover:bg-accent-strong`

function ServiceCard({ service: s }: { service: Service }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<Card className="space-y-4" data-testid={`service-${s.id}`}>
			<div className="min-w-0">
				<h2 className="truncate font-semibold" dir="ltr">{s.name}</h2>
				{s.plan ? <p className="text-xs text-gray-500 dark:text-gray-400">{s.plan}</p> : null}
				{s.nextPlan ? <p className="mt-1 text-xs text-amber-700 dark:text-amber-300" data-testid="scheduled-plan">{t('invoices.scheduled', { plan: s.nextPlan.name, date: formatDate(lang, s.nextPlan.at) })}</p> : null}
			</div>
			<UsageSummary figures={s.figures} />
			<div className="flex flex-wrap gap-2">
				<a href={s.actions.renew} className={PRIMARY} data-testid="renew">{t('services.renew')}</a>
				<a href={s.actions.addTraffic} className={ACTION} data-testid="add-traffic">{t('services.addTraffic')}</a>
				<a href={s.actions.upgrade} className={ACTION} data-testid="upgrade">{t('services.upgrade')}</a>
			</div>
			<section className="space-y-2">
				<CardTitle>{t('services.subscription')}</CardTitle>
				<ShareLink value={s.subUrl} label={s.name} apps={IMPORT_APPS} />
			</section>
			{s.nodes.length ? (
				<details className="space-y-3">
					<summary className="cursor-pointer text-sm font-semibold">{t('services.configs')}</summary>
					{s.nodes.map((n) => (
						<div key={n.nodeId} className="space-y-2 pt-2">
							<p className="text-sm font-medium">{n.name}</p>
							{n.links.map((link, i) => (
								<ShareLink key={link} value={link} label={`${n.name} ${i + 1}`} />
							))}
							{n.wireguard ? (
								<div className="space-y-2">
									<a className="inline-block rounded-lg px-3 py-2 text-sm font-medium ring-1 ring-gray-300 dark:ring-gray-700" href={`/sub/${encodeURIComponent(s.subUrl.split('/sub/')[1]!)}/wg/${n.nodeId}`} download={n.wireguard.fileName}>
										{t('subPage.downloadWg', { file: n.wireguard.fileName })}
									</a>
									<QrCode value={n.wireguard.config} label={t('share.qrAlt', { label: n.wireguard.fileName })} className="size-56 max-w-full rounded-md ring-1 ring-gray-200" />
								</div>
							) : null}
						</div>
					))}
				</details>
			) : null}
		</Card>
	)
}
