// One imported peer (issue 13): status and endpoint, this cycle against its quota, daily and
// monthly history in the router's calendar, the actions log, quota / mode / customer link, and
// manual enable/disable behind a confirmation (a /confirm step without JavaScript).
import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { BarChart } from '~/components/charts'
import { ErrorList, Field, inputClass } from '~/components/forms'
import { dayLabel, instantLabel, monthLabel } from '~/components/routers/format'
import { PeerStatus } from '~/components/routers/peer-card'
import { UsageBar } from '~/components/routers/usage-bar'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { ConfirmButton } from '~/components/ui/dialog'
import { peerDaily, peerHistory } from '~/models/router.server'
import { gbOf, PeerSettingsSchema, PeerToggleSchema } from '~/models/router-form'
import { peerFromParams } from '~/models/router-params.server'
import { addDays, cycleStart, localDay } from '~/services/routers/calendar'
import { setPeerDisabled, updatePeerSettings } from '~/services/routers/routers.server'
import { requireAdmin } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { formatBytes } from '~/utils/format'
import { readForm } from '~/utils/form-data.server'
import type { Lang } from '~/utils/i18n'
import { redirectWithToast } from '~/utils/toast.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const { router, peer } = await peerFromParams(request, params)
	const now = new Date()
	const today = localDay(now, router.timezone)
	const cycle = cycleStart(now, { timezone: router.timezone, resetDay: router.resetDay, calendar: router.calendar })
	const [daily, history] = await Promise.all([peerDaily(peer.id, addDays(today, -29), today), peerHistory(peer.id)])
	const current = peer.cycleStart?.toISOString().slice(0, 10) === cycle
	return {
		router: { id: router.id, name: router.name, timezone: router.timezone, calendar: router.calendar, enforcement: router.enforcement, defaultQuota: router.defaultQuotaBytes?.toString() ?? null },
		peer: {
			id: peer.id, name: peer.name, comment: peer.comment, interface: peer.interface, publicKey: peer.publicKey, allowedAddress: peer.allowedAddress,
			endpointAddress: peer.endpointAddress, currentEndpoint: peer.currentEndpoint, online: peer.online, lastSeenAt: peer.lastSeenAt?.toISOString() ?? null,
			lastHandshakeAt: peer.lastHandshakeAt?.toISOString() ?? null, disabled: peer.disabled, disabledBy: peer.disabledBy, missing: peer.missingAt !== null,
			cycleBytes: current ? String(peer.cycleBytes) : '0', totalBytes: String(peer.totalBytes), quotaBytes: peer.quotaBytes?.toString() ?? null,
			enforcement: peer.enforcement, customer: peer.customer,
		},
		defaults: { intent: 'settings', quotaGb: gbOf(peer.quotaBytes), enforcement: peer.enforcement ?? '', customerId: peer.customerId ? String(peer.customerId) : '' },
		daily, ...history,
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const { router, peer } = await peerFromParams(request, params)
	const form = await readForm(request)
	const toggle = PeerToggleSchema.safeParse({ intent: form.get('intent') })
	const back = `/admin/routers/${router.id}/peers/${peer.id}`
	if (toggle.success) {
		const r = await setPeerDisabled(router.id, peer.id, toggle.data.intent === 'disable', admin.id)
		return redirectWithToast(back, r.ok ? { type: 'success', key: `routers.peer.${toggle.data.intent}d` } : { type: 'error', key: 'routers.peer.changeFailed', values: { result: r.result } })
	}
	const submission = parseWithZod(form, { schema: PeerSettingsSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	// Every field is optional, and conform reads '' as absent; a request that lacks the fields
	// altogether is not this form and must not clear the peer's quota, mode and link.
	if (!['quotaGb', 'enforcement', 'customerId'].every((f) => form.has(f))) {
		return data({ result: submission.reply({ formErrors: ['errors.required'] }) }, { status: 400 })
	}
	const { quotaGb, enforcement, customerId } = submission.value
	// Only a reseller's customer can be linked; a foreign or unknown id is a field error, not a 500.
	if (customerId && !(await prisma.customer.count({ where: { id: customerId, resellerId: { not: null }, status: { notIn: ['deleted', 'refunded'] } } }))) {
		return data({ result: submission.reply({ fieldErrors: { customerId: ['routers.errors.customer'] } }) }, { status: 400 })
	}
	await updatePeerSettings(router.id, peer.id, { quotaBytes: quotaGb ?? null, enforcement: enforcement || null, customerId: customerId ?? null }, admin.id)
	return redirectWithToast(back, { type: 'success', key: 'routers.peer.saved' })
}

export default function PeerDetail() {
	const { router, peer, defaults, daily, cycles, actions } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const bytes = (v: number) => formatBytes(lang, BigInt(Math.round(v)))
	const [form, fields] = useForm({ lastResult: actionData?.result, defaultValue: defaults, onValidate: ({ formData }) => parseWithZod(formData, { schema: PeerSettingsSchema }) })
	const label = peer.name || peer.comment || `${peer.publicKey.slice(0, 10)}…`
	const mode = peer.enforcement ?? router.enforcement
	return (
		<>
			<PageHeader title={label} action={<Link to={`/admin/routers/${router.id}`} className="text-sm text-accent">{router.name}</Link>} />
			<div className="grid gap-4 lg:grid-cols-3">
				<Card className="lg:col-span-2">
					<div className="flex flex-wrap items-center justify-between gap-2">
						<PeerStatus peer={peer} />
						<Form method="post">
							{peer.disabled ? (
								<ConfirmButton name="intent" value="enable" variant="secondary" body={t('routers.peer.enableBody', { name: label })}>{t('routers.peer.enable')}</ConfirmButton>
							) : (
								<ConfirmButton name="intent" value="disable" variant="danger" body={t('routers.peer.disableBody', { name: label })}>{t('routers.peer.disable')}</ConfirmButton>
							)}
						</Form>
					</div>
					<dl className="mt-3 grid gap-2 text-sm sm:grid-cols-2">
						<div><dt className="text-xs text-gray-500">{t('routers.peer.interface')}</dt><dd dir="ltr">{peer.interface}</dd></div>
						<div><dt className="text-xs text-gray-500">{t('routers.peer.allowedAddress')}</dt><dd dir="ltr" className="font-mono text-xs">{peer.allowedAddress}</dd></div>
						<div><dt className="text-xs text-gray-500">{t('routers.peer.endpoint')}</dt><dd dir="ltr" className="font-mono text-xs">{peer.currentEndpoint ?? '—'}</dd></div>
						<div><dt className="text-xs text-gray-500">{t('routers.peer.lastSeenLabel')}</dt><dd>{peer.lastSeenAt ? instantLabel(lang, peer.lastSeenAt, router.timezone, router.calendar) : t('routers.peer.neverSeen')}</dd></div>
						<div className="sm:col-span-2"><dt className="text-xs text-gray-500">{t('routers.peer.publicKey')}</dt><dd dir="ltr" className="break-all font-mono text-xs">{peer.publicKey}</dd></div>
					</dl>
					<div className="mt-4"><UsageBar used={peer.cycleBytes} quota={peer.quotaBytes ?? router.defaultQuota} /></div>
					<p className="mt-2 text-xs text-gray-500">{t('routers.peer.modeLine', { mode: t(`routers.mode.${mode}`), total: bytes(Number(peer.totalBytes)) })}</p>
				</Card>
				<Card>
					<CardTitle>{t('routers.peer.settings')}</CardTitle>
					<Form method="post" {...getFormProps(form)} className="space-y-3">
						<input type="hidden" name="intent" value="settings" />
						<ErrorList errors={form.errors} />
						<Field label={t('routers.peer.quotaGb')} hint={t('routers.peer.quotaHint')} errors={fields.quotaGb.errors} inputProps={{ ...getInputProps(fields.quotaGb, { type: 'text' }), inputMode: 'decimal', dir: 'ltr' }} />
						<div className="space-y-1">
							<label htmlFor={fields.enforcement.id} className="block text-sm font-medium text-gray-700 dark:text-gray-300">{t('routers.settings.enforcement')}</label>
							<select {...getSelectProps(fields.enforcement)} className={inputClass}>
								<option value="">{t('routers.mode.inherit', { mode: t(`routers.mode.${router.enforcement}`) })}</option>
								<option value="monitor">{t('routers.mode.monitor')}</option>
								<option value="auto_disable">{t('routers.mode.auto_disable')}</option>
							</select>
						</div>
						<Field label={t('routers.peer.customerId')} hint={peer.customer ? t('routers.peer.linked', { username: peer.customer.username }) : t('routers.peer.customerHint')} errors={fields.customerId.errors} inputProps={{ ...getInputProps(fields.customerId, { type: 'text' }), inputMode: 'numeric', dir: 'ltr' }} />
						<Button type="submit">{t('routers.peer.save')}</Button>
					</Form>
				</Card>
			</div>
			<div className="mt-4 grid gap-4 lg:grid-cols-2">
				<Card>
					<CardTitle>{t('routers.charts.peerDaily')}</CardTitle>
					<BarChart title={t('routers.charts.peerDaily')} data={daily.map((d) => ({ label: dayLabel(lang, d.day, router.calendar), value: Number(d.bytes) }))} format={bytes} highlightLast />
				</Card>
				<Card>
					<CardTitle>{t('routers.charts.monthly')}</CardTitle>
					{cycles.length ? (
						<BarChart title={t('routers.charts.monthly')} data={[...cycles].reverse().map((c) => ({ label: monthLabel(lang, c.cycleStart, router.calendar), value: Number(c.bytes) }))} format={bytes} />
					) : <p className="text-sm text-gray-500">{t('routers.noUsageYet')}</p>}
				</Card>
			</div>
			<Card className="mt-4">
				<CardTitle>{t('routers.actions.title')}</CardTitle>
				{actions.length ? (
					<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800" data-testid="peer-actions">
						{actions.map((a) => (
							<li key={a.id} className="flex flex-wrap justify-between gap-2 py-2">
								<span>{t(`routers.actions.${a.action}`)} · {t(`routers.actions.reasons.${a.reason}`)} · {a.actorId === null ? t('routers.actions.system') : t('routers.actions.admin')}</span>
								<span className="text-xs text-gray-500">{t(`routers.actions.results.${a.result}`)}{a.readBack ? ` (${t('routers.actions.readBack', { value: a.readBack })})` : ''} · {instantLabel(lang, a.at, router.timezone, router.calendar)}</span>
							</li>
						))}
					</ul>
				) : <p className="text-sm text-gray-500">{t('routers.actions.none')}</p>}
			</Card>
		</>
	)
}
