// /admin/telegram — the bot that sends notifications: token (sealed, never shown again), Bot API
// address, HTTP proxy (filtered networks), "send backups", tested with getMe before saving; and
// the latest deliveries with their outcome.
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CheckboxField, FormSection } from '~/components/billing-fields'
import { ErrorList, Field } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { StatusPill } from '~/components/ui/status-pill'
import { checkAndSaveTelegram } from '~/services/telegram/admin.server'
import { recentDeliveries } from '~/services/telegram/deliveries.server'
import { TelegramSettingsFormSchema } from '~/services/telegram/settings-form'
import { getTelegramSettings, isTelegramUsable, publicTelegramSettings } from '~/services/telegram/settings.server'
import { requireAdmin } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { clientIp } from '~/utils/request.server'
import { redirectWithToast } from '~/utils/toast.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const s = await getTelegramSettings()
	return { settings: publicTelegramSettings(s), usable: isTelegramUsable(s), deliveries: await recentDeliveries(20) }
}

export async function action({ request, context }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const submission = parseWithZod(await readForm(request), { schema: TelegramSettingsFormSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const r = await checkAndSaveTelegram(submission.value, admin.id, clientIp(context))
	if (!r.ok) return data({ result: submission.reply(r.field ? { fieldErrors: { [r.field]: [r.error] } } : { formErrors: [r.error] }) }, { status: 400 })
	return redirectWithToast('/admin/telegram', { type: 'success', key: 'notify.admin.saved' })
}

const TONE = { pending: 'amber', sent: 'green', blocked: 'red', failed: 'red', skipped: 'gray' } as const

export default function TelegramSettingsPage() {
	const { settings: s, usable, deliveries } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const a = (k: string, v?: Record<string, string>) => t(`notify.admin.${k}`, v)
	const [form, fields] = useForm({
		id: 'telegram-settings',
		lastResult: actionData?.result,
		defaultValue: { enabled: s.enabled ? 'on' : '', apiRoot: s.apiRoot, sendBackups: s.sendBackups ? 'on' : '' },
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: TelegramSettingsFormSchema }),
	})
	return (
		<div className="mx-auto max-w-3xl space-y-6">
			<PageHeader title={a('title')} action={<Link to="/admin/notifications" className="text-sm text-accent hover:underline">{t('automation.inbox.title')}</Link>} />
			<p className="text-sm text-gray-600 dark:text-gray-400">{a('intro')}</p>
			<Form method="post" className="space-y-4" {...getFormProps(form)}>
				<input type="hidden" name="intent" value="save" />
				<FormSection title={a('title')}>
					<div className="flex flex-wrap items-center gap-2 text-sm">
						<StatusPill tone={usable ? 'green' : 'gray'} label={t(usable ? 'gateways.admin.on' : 'gateways.admin.off')} />
						{s.botUsername ? <span dir="ltr">{a('bot', { name: s.botUsername })}</span> : null}
					</div>
					<CheckboxField label={a('enabled')} meta={fields.enabled} />
					<Field label={a('token')} hint={s.tokenSet ? a('tokenSet') : a('tokenUnset')} errors={fields.token.errors} inputProps={{ ...getInputProps(fields.token, { type: 'password' }), autoComplete: 'off', dir: 'ltr' }} />
					<Field label={a('apiRoot')} hint={a('apiRootHint')} errors={fields.apiRoot.errors} inputProps={{ ...getInputProps(fields.apiRoot, { type: 'text' }), dir: 'ltr', placeholder: 'https://api.telegram.org' }} />
					<Field label={a('proxyUrl')} hint={`${s.proxySet ? `${a('proxySet')} ` : ''}${a('proxyHint')}`} errors={fields.proxyUrl.errors} inputProps={{ ...getInputProps(fields.proxyUrl, { type: 'password' }), autoComplete: 'off', dir: 'ltr' }} />
					{s.proxySet ? <CheckboxField label={a('proxyRemove')} meta={fields.proxyRemove} /> : null}
					<CheckboxField label={a('sendBackups')} meta={fields.sendBackups} />
				</FormSection>
				<ErrorList id={form.errorId} errors={form.errors} />
				<Button type="submit" pending={navigation.state === 'submitting'}>{a('save')}</Button>
			</Form>
			<section className="space-y-2">
				<h2 className="text-sm font-semibold">{a('deliveries')}</h2>
				{deliveries.length === 0 ? (
					<p className="text-sm text-gray-500">{a('noDeliveries')}</p>
				) : (
					<ul className="divide-y divide-gray-100 rounded-xl bg-white text-sm shadow-sm ring-1 ring-gray-200 dark:divide-gray-800 dark:bg-gray-900 dark:ring-gray-800" data-testid="telegram-deliveries">
						{deliveries.map((d) => (
							<li key={d.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 p-3">
								<StatusPill tone={TONE[d.status as keyof typeof TONE] ?? 'gray'} label={a(`status.${d.status}`)} />
								<span className="min-w-0 flex-1 break-words">{t(`automation.notifications.${d.notificationKind}`, { defaultValue: d.notificationKind })}</span>
								<span dir="ltr" className="text-gray-500">{d.username}</span>
								<span className="text-xs text-gray-500">{formatDate(lang, d.createdAt, 'datetime')}</span>
								{d.error ? <span className="w-full break-all text-xs text-gray-500">{d.error}</span> : null}
							</li>
						))}
					</ul>
				)}
			</section>
		</div>
	)
}
