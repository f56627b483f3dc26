import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FormSection, SelectField } from '~/components/billing-fields'
import { ErrorList, Field } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { SETTING_FIELDS, settingsDefaults } from '~/models/automation-settings.server'
import { groupFields, settingsFormSchema } from '~/models/settings-form'
import { AutomationSettingsSchema, forgetSettings, getSettings, saveSettings } from '~/services/settings.server'
import { audit } from '~/utils/audit.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { clientIp } from '~/utils/request.server'
import { redirectWithToast } from '~/utils/toast.server'
import { readForm } from '~/utils/form-data.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	return { fields: SETTING_FIELDS, defaults: settingsDefaults(await getSettings()) }
}

export async function action({ request, context }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const submission = parseWithZod(await readForm(request), { schema: settingsFormSchema(SETTING_FIELDS) })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	// The form schema is derived from this one, so this only fails if the two ever drift apart.
	const parsed = AutomationSettingsSchema.safeParse(submission.value)
	if (!parsed.success) return data({ result: submission.reply({ formErrors: ['errors.invalid'] }) }, { status: 400 })
	forgetSettings()
	const before = await getSettings()
	await saveSettings(parsed.data, admin.id)
	await audit({ actorId: admin.id, action: 'settings.update', entityType: 'setting', entityId: 'automation', before, after: parsed.data, ip: clientIp(context) })
	return redirectWithToast('/admin/settings', { type: 'success', key: 'automation.settings.saved' })
}

export default function SettingsPage() {
	const { fields, defaults } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const [form, meta] = useForm({
		id: 'automation-settings',
		lastResult: actionData?.result,
		defaultValue: defaults,
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: settingsFormSchema(fields) }),
	})
	const s = (k: string, values?: Record<string, string>) => t(`automation.settings.${k}`, values)
	return (
		<div className="mx-auto max-w-3xl">
			<PageHeader title={s('title')} />
			<p className="mb-4 text-sm text-gray-600 dark:text-gray-400">{s('intro')}</p>
			<Form method="post" className="space-y-4" {...getFormProps(form)}>
				{groupFields(fields).map(({ group, fields: inGroup }) => (
					<FormSection key={group} title={s(`groups.${group}`)}>
						<div className="grid gap-3 sm:grid-cols-2">
							{inGroup.map((f) => {
								const label = t(`automation.settings.fields.${f.key}.label`, { defaultValue: f.key })
								const hint = t(`automation.settings.fields.${f.key}.hint`, { defaultValue: '' })
								if (f.kind === 'choice') {
									return <SelectField key={f.key} label={label} hint={hint} meta={meta[f.key]!} options={f.options.map((o) => ({ value: o, label: t(`automation.settings.options.${f.key}.${o}`, { defaultValue: o }) }))} />
								}
								const range = s('range', { min: formatNumber(lang, f.min), max: formatNumber(lang, f.max), default: formatNumber(lang, f.default) })
								const { key: _key, ...input } = getInputProps(meta[f.key]!, { type: 'text' })
								return (
									<Field
										key={f.key}
										label={<>{label} <span className="text-xs font-normal text-gray-500">{range}</span></>}
										errors={meta[f.key]!.errors}
										hint={hint || undefined}
										inputProps={{ ...input, inputMode: 'numeric', dir: 'ltr' }}
									/>
								)
							})}
						</div>
					</FormSection>
				))}
				<ErrorList id={form.errorId} errors={form.errors} />
				<Button type="submit" pending={navigation.state === 'submitting'}>{s('save')}</Button>
			</Form>
		</div>
	)
}
