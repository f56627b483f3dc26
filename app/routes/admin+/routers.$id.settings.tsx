// A router's settings (issue 13): poll interval, online threshold, reset day and time zone,
// calendar, default quota, enforcement mode, link rate, TLS verify, sample retention. Saving
// queues an enforcement pass, so a lower quota or auto-disable acts without waiting for a poll.
import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field, inputClass } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { ConfirmButton } from '~/components/ui/dialog'
import { gbOf, SettingsSchema } from '~/models/router-form'
import { routerFromParams } from '~/models/router-params.server'
import { deleteRouter, updateRouterSettings } from '~/services/routers/routers.server'
import { requireAdmin } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { redirectWithToast } from '~/utils/toast.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const r = await routerFromParams(request, params)
	return {
		router: { id: r.id, name: r.name },
		defaults: {
			name: r.name, pollIntervalSec: String(r.pollIntervalSec), onlineThresholdSec: String(r.onlineThresholdSec), resetDay: String(r.resetDay),
			timezone: r.timezone, calendar: r.calendar, defaultQuotaGb: gbOf(r.defaultQuotaBytes), enforcement: r.enforcement,
			linkRateMbps: String(r.linkRateMbps), sampleRetentionDays: String(r.sampleRetentionDays), verifyTls: r.verifyTls ? 'on' : '',
		},
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const router = await routerFromParams(request, params)
	const form = await readForm(request)
	if (form.get('intent') === 'delete') {
		await deleteRouter(router.id, admin.id)
		return redirectWithToast('/admin/routers', { type: 'success', key: 'routers.deleted' })
	}
	const submission = parseWithZod(form, { schema: SettingsSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const { defaultQuotaGb, ...v } = submission.value
	await updateRouterSettings(router.id, { ...v, defaultQuotaBytes: defaultQuotaGb ?? null }, admin.id)
	return redirectWithToast(`/admin/routers/${router.id}`, { type: 'success', key: 'routers.settings.saved' })
}

const ZONES = ['Asia/Tehran', 'UTC', 'Asia/Dubai', 'Europe/Istanbul', 'Europe/Berlin', 'Asia/Baghdad', 'Asia/Kabul']

export default function RouterSettings() {
	const { router, defaults } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const busy = useNavigation().state !== 'idle'
	const { t } = useTranslation()
	const [form, fields] = useForm({
		lastResult: actionData?.result,
		defaultValue: defaults,
		onValidate: ({ formData }) => parseWithZod(formData, { schema: SettingsSchema }),
		shouldRevalidate: 'onBlur',
	})
	const num = (f: typeof fields.pollIntervalSec) => ({ ...getInputProps(f, { type: 'text' }), inputMode: 'numeric' as const, dir: 'ltr' })
	return (
		<>
			<PageHeader title={t('routers.settings.title')} action={<Link to={`/admin/routers/${router.id}`} className="text-sm text-accent">{t('routers.backToRouter')}</Link>} />
			<Card className="max-w-2xl">
				<Form method="post" {...getFormProps(form)} className="space-y-4">
					<ErrorList errors={form.errors} id={form.errorId} />
					<Field label={t('routers.fields.name')} errors={fields.name.errors} inputProps={getInputProps(fields.name, { type: 'text' })} />
					<div className="grid gap-4 sm:grid-cols-2">
						<Field label={t('routers.settings.pollInterval')} hint={t('routers.settings.pollIntervalHint')} errors={fields.pollIntervalSec.errors} inputProps={num(fields.pollIntervalSec)} />
						<Field label={t('routers.settings.onlineThreshold')} hint={t('routers.settings.onlineThresholdHint')} errors={fields.onlineThresholdSec.errors} inputProps={num(fields.onlineThresholdSec)} />
						<Field label={t('routers.settings.resetDay')} hint={t('routers.settings.resetDayHint')} errors={fields.resetDay.errors} inputProps={num(fields.resetDay)} />
						<div className="space-y-1">
							<label htmlFor={fields.timezone.id} className="block text-sm font-medium text-gray-700 dark:text-gray-300">{t('routers.settings.timezone')}</label>
							<input {...getInputProps(fields.timezone, { type: 'text' })} list="router-zones" className={inputClass} dir="ltr" />
							<datalist id="router-zones">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
							<ErrorList errors={fields.timezone.errors} />
						</div>
						<div className="space-y-1">
							<label htmlFor={fields.calendar.id} className="block text-sm font-medium text-gray-700 dark:text-gray-300">{t('routers.settings.calendar')}</label>
							<select {...getSelectProps(fields.calendar)} className={inputClass}>
								<option value="jalali">{t('routers.settings.jalali')}</option>
								<option value="gregorian">{t('routers.settings.gregorian')}</option>
							</select>
						</div>
						<Field label={t('routers.settings.defaultQuota')} hint={t('routers.settings.defaultQuotaHint')} errors={fields.defaultQuotaGb.errors} inputProps={{ ...getInputProps(fields.defaultQuotaGb, { type: 'text' }), inputMode: 'decimal', dir: 'ltr' }} />
						<div className="space-y-1">
							<label htmlFor={fields.enforcement.id} className="block text-sm font-medium text-gray-700 dark:text-gray-300">{t('routers.settings.enforcement')}</label>
							<select {...getSelectProps(fields.enforcement)} className={inputClass}>
								<option value="monitor">{t('routers.mode.monitor')}</option>
								<option value="auto_disable">{t('routers.mode.auto_disable')}</option>
							</select>
							<p className="text-xs text-gray-500">{t('routers.settings.enforcementHint')}</p>
						</div>
						<Field label={t('routers.settings.linkRate')} hint={t('routers.settings.linkRateHint')} errors={fields.linkRateMbps.errors} inputProps={num(fields.linkRateMbps)} />
						<Field label={t('routers.settings.retention')} hint={t('routers.settings.retentionHint')} errors={fields.sampleRetentionDays.errors} inputProps={num(fields.sampleRetentionDays)} />
					</div>
					<label className="flex items-center gap-2 text-sm"><input {...getInputProps(fields.verifyTls, { type: 'checkbox' })} />{t('routers.fields.verifyTls')}</label>
					<Button type="submit" pending={busy}>{t('routers.settings.save')}</Button>
				</Form>
			</Card>
			<Card className="mt-4 max-w-2xl">
				<CardTitle>{t('routers.settings.dangerZone')}</CardTitle>
				<Form method="post">
					<ConfirmButton name="intent" value="delete" variant="danger" body={t('routers.settings.deleteBody')}>{t('routers.settings.delete')}</ConfirmButton>
				</Form>
			</Card>
		</>
	)
}
