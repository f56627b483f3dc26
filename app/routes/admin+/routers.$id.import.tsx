// Wizard steps 2 and 3 (issue 13): pick WireGuard interfaces (a GET form, so the choice is in the
// URL), then the peers to import — outbound / site-to-site peers (with an endpoint) unchecked by
// default, imported ones marked, vanished ones listed. Re-running it later imports new peers and
// marks peers that disappeared. Everything here works without JavaScript.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList } from '~/components/forms'
import { PeerImportTable } from '~/components/routers/peer-import-table'
import { WizardSteps } from '~/components/routers/wizard-steps'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { StatusPill } from '~/components/ui/status-pill'
import { ImportSchema } from '~/models/router-form'
import { routerFromParams } from '~/models/router-params.server'
import { isPanelError } from '~/services/panels/errors'
import { routerTransport } from '~/services/routers/connection.server'
import { importPeers, listRouter, testRouter } from '~/services/routers/import.server'
import { requireAdmin } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { redirectWithToast } from '~/utils/toast.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const router = await routerFromParams(request, params)
	const url = new URL(request.url)
	const asked = url.searchParams.getAll('iface').filter((v) => v.length > 0 && v.length <= 64).slice(0, 50)
	const chosen = asked.length ? asked : router.interfaces
	const ros = routerTransport(router)
	try {
		const facts = await testRouter(ros)
		if (!facts.ok) return { router: { id: router.id, name: router.name }, facts, listing: null, chosen }
		const listing = await listRouter(router.id, ros, chosen)
		return { router: { id: router.id, name: router.name }, facts, listing, chosen }
	} catch (e) {
		const facts = { ok: false as const, code: isPanelError(e) ? e.code : ('bad_response' as const), reason: isPanelError(e) ? e.reason : undefined }
		return { router: { id: router.id, name: router.name }, facts, listing: null, chosen }
	} finally {
		await ros.close().catch(() => {})
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const router = await routerFromParams(request, params)
	const form = await readForm(request)
	const parsed = ImportSchema.safeParse({ interfaces: form.getAll('interfaces'), peers: form.getAll('peers') })
	if (!parsed.success) return data({ errors: parsed.error.issues.map((i) => i.message) }, { status: 400 })
	const ros = routerTransport(router)
	try {
		const r = await importPeers(router.id, ros, { interfaces: parsed.data.interfaces, keys: parsed.data.peers }, admin.id)
		return redirectWithToast(`/admin/routers/${router.id}`, { type: 'success', key: 'routers.imported', values: { added: r.added, gone: r.gone } })
	} catch (e) {
		if (!isPanelError(e)) throw e
		return data({ errors: [`nodes.errors.${e.code}`, ...(e.reason ? [e.reason] : [])] }, { status: e.code === 'timeout' ? 504 : 422 })
	} finally {
		await ros.close().catch(() => {})
	}
}

export default function ImportPeers() {
	const { router, facts, listing, chosen } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const busy = useNavigation().state !== 'idle'
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('routers.wizard.importTitle', { name: router.name })} action={<Link to={`/admin/routers/${router.id}`} className="text-sm text-accent">{t('routers.backToRouter')}</Link>} />
			<WizardSteps current={listing && chosen.length ? 3 : 2} />
			<Card className="mb-4">
				{facts.ok ? (
					<dl className="grid gap-3 text-sm sm:grid-cols-4" data-testid="router-facts">
						<div><dt className="text-xs text-gray-500">{t('routers.facts.identity')}</dt><dd className="font-medium">{facts.identity}</dd></div>
						<div><dt className="text-xs text-gray-500">{t('routers.facts.version')}</dt><dd className="font-medium" dir="ltr">{facts.version}</dd></div>
						<div><dt className="text-xs text-gray-500">{t('routers.facts.uptime')}</dt><dd className="font-medium" dir="ltr">{facts.uptime}</dd></div>
						<div><dt className="text-xs text-gray-500">{t('routers.facts.status')}</dt><dd><StatusPill tone="green" label={t('routers.status.connected')} /></dd></div>
					</dl>
				) : (
					<ErrorList errors={[`nodes.errors.${facts.code}`, ...(facts.reason ? [facts.reason] : [])]} />
				)}
			</Card>
			{listing ? (
				<>
					<Card className="mb-4">
						<CardTitle>{t('routers.wizard.pickInterfaces')}</CardTitle>
						<Form method="get" className="space-y-3">
							<div className="flex flex-wrap gap-3">
								{listing.interfaces.map((i) => (
									<label key={i.name} className="flex items-center gap-2 rounded-lg px-3 py-2 text-sm ring-1 ring-gray-200 dark:ring-gray-800">
										<input type="checkbox" name="iface" value={i.name} defaultChecked={chosen.includes(i.name)} />
										<span dir="ltr" className="font-medium">{i.name}</span>
										<span className="text-xs text-gray-500">{t('routers.wizard.peerCount', { count: i.peers, n: formatNumber(lang, i.peers) })}</span>
									</label>
								))}
							</div>
							<Button type="submit" variant="secondary">{t('routers.wizard.showPeers')}</Button>
						</Form>
					</Card>
					{chosen.length ? (
						<Card>
							<CardTitle>{t('routers.wizard.pickPeers')}</CardTitle>
							<p className="mb-3 text-xs text-gray-500">{t('routers.wizard.outboundHint')}</p>
							<Form method="post" className="space-y-3">
								<ErrorList errors={actionData?.errors} />
								{chosen.map((i) => <input key={i} type="hidden" name="interfaces" value={i} />)}
								<PeerImportTable peers={listing.peers} gone={listing.gone} />
								<Button type="submit" pending={busy}>{t('routers.wizard.import')}</Button>
							</Form>
						</Card>
					) : null}
				</>
			) : null}
		</>
	)
}
