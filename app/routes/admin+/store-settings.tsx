import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CheckboxField, FormSection, SelectField } from '~/components/billing-fields'
import { ErrorList, Field, inputClass } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { bpToPercentText, DISPLAY_CURRENCIES, StoreSettingsFormSchema } from '~/models/store-settings'
import { forgetStoreSettings, getStoreSettings, saveStoreSettings } from '~/services/settings.server'
import { audit } from '~/utils/audit.server'
import { requireAdmin } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { currencyName } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { clientIp } from '~/utils/request.server'
import { redirectWithToast } from '~/utils/toast.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const s = await getStoreSettings()
	return { defaults: { companyName: s.companyName, address: s.address, taxId: s.taxId, terms: s.terms, invoiceFooter: s.invoiceFooter, taxRate: bpToPercentText(s.taxRateBp), taxInclusive: s.taxInclusive ? 'on' : '', displayCurrency: s.displayCurrency } }
}

export async function action({ request, context }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const submission = parseWithZod(await readForm(request), { schema: StoreSettingsFormSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const { taxRate, ...rest } = submission.value
	const value = { ...rest, taxRateBp: taxRate }
	forgetStoreSettings()
	const before = await getStoreSettings()
	await saveStoreSettings(value, admin.id)
	await audit({ actorId: admin.id, action: 'settings.update', entityType: 'setting', entityId: 'store', before, after: value, ip: clientIp(context) })
	return redirectWithToast('/admin/store', { type: 'success', key: 'store.settings.saved' })
}

export default function StoreSettingsPage() {
	const { defaults } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const [form, fields] = useForm({
		id: 'store-settings',
		lastResult: actionData?.result,
		defaultValue: defaults,
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: StoreSettingsFormSchema }),
	})
	const s = (k: string) => t(`store.settings.${k}`)
	return (
		<div className="mx-auto max-w-3xl">
			<PageHeader title={s('title')} />
			<Form method="post" className="space-y-4" {...getFormProps(form)}>
				<FormSection title={s('seller')}>
					<Field label={s('companyName')} errors={fields.companyName.errors} inputProps={getInputProps(fields.companyName, { type: 'text' })} />
					<Field label={s('address')} errors={fields.address.errors} inputProps={getInputProps(fields.address, { type: 'text' })} />
					<Field label={s('taxId')} errors={fields.taxId.errors} inputProps={{ ...getInputProps(fields.taxId, { type: 'text' }), dir: 'ltr' }} />
				</FormSection>
				<FormSection title={s('tax')}>
					<div className="grid gap-3 sm:grid-cols-2">
						<Field label={s('taxRate')} hint={s('taxRateHint')} errors={fields.taxRate.errors} inputProps={{ ...getInputProps(fields.taxRate, { type: 'text' }), inputMode: 'decimal', dir: 'ltr' }} />
						<SelectField label={s('displayCurrency')} meta={fields.displayCurrency} options={DISPLAY_CURRENCIES.map((c) => ({ value: c, label: currencyName(lang, c) }))} />
					</div>
					<CheckboxField label={s('taxInclusive')} hint={s('taxInclusiveHint')} meta={fields.taxInclusive} />
				</FormSection>
				<FormSection title={s('documents')}>
					<div className="space-y-1">
						<label htmlFor={fields.terms.id} className="block text-sm font-medium text-gray-700 dark:text-gray-300">{s('terms')}</label>
						<textarea {...getTextareaProps(fields.terms)} rows={6} className={inputClass} />
						<ErrorList errors={fields.terms.errors} />
					</div>
					<Field label={s('invoiceFooter')} errors={fields.invoiceFooter.errors} inputProps={getInputProps(fields.invoiceFooter, { type: 'text' })} />
				</FormSection>
				<ErrorList id={form.errorId} errors={form.errors} />
				<Button type="submit" pending={navigation.state === 'submitting'}>{s('save')}</Button>
			</Form>
		</div>
	)
}
