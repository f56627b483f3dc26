// /admin/gateways — the online gateways' settings, one form per provider (told apart by intent),
// and where receipt files are stored (db or an S3-compatible bucket, with a connection test).
// Keys are sealed on save and never shown again: a blank key field keeps the stored key.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CheckboxField, FormSection, SelectField } from '~/components/billing-fields'
import { ErrorList, Field } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { ReceiptStorageForm } from '~/components/payments/receipt-storage-form'
import { Button } from '~/components/ui/button'
import { StatusPill } from '~/components/ui/status-pill'
import { NOWPAYMENTS_FIATS, NowPaymentsFormSchema, ZarinpalFormSchema } from '~/models/gateway-settings-form'
import { ReceiptStorageFormSchema, RECEIPT_STORAGE_INTENTS } from '~/models/receipt-storage-form'
import { getGatewaySettings, isUsable, publicSettings, saveGatewaySettings } from '~/services/payments/gateway-settings.server'
import { getReceiptStorageSettings, publicReceiptStorageSettings, submitReceiptStorageForm } from '~/services/payments/receipt-storage-settings.server'
import { requireAdmin } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { clientIp } from '~/utils/request.server'
import { redirectWithToast } from '~/utils/toast.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const zarinpal = await getGatewaySettings('zarinpal')
	const nowpayments = await getGatewaySettings('nowpayments')
	return {
		zarinpal: { ...publicSettings(zarinpal), usable: isUsable(zarinpal) },
		nowpayments: { ...publicSettings(nowpayments), usable: isUsable(nowpayments) },
		receiptStorage: publicReceiptStorageSettings(await getReceiptStorageSettings()),
	}
}

export async function action({ request, context }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const formData = await readForm(request)
	const intent = formData.get('intent')
	if ((RECEIPT_STORAGE_INTENTS as readonly unknown[]).includes(intent)) {
		const submission = parseWithZod(formData, { schema: ReceiptStorageFormSchema })
		if (submission.status !== 'success') return data({ intent: 'receipt_storage', result: submission.reply(), probe: null }, { status: 400 })
		const { intent: which, ...input } = submission.value
		const outcome = await submitReceiptStorageForm(which === 'receipt_storage_test' ? 'test' : 'save', input, admin.id, clientIp(context))
		if (outcome.done === 'secret_missing') return data({ intent: 'receipt_storage', result: submission.reply({ fieldErrors: { secretAccessKey: ['receipts.storage.errors.secret'] } }), probe: null }, { status: 400 })
		// A test answers on the page, keeping what was typed; a refused save says why, unsaved.
		if (outcome.done !== 'saved') return data({ intent: 'receipt_storage', result: submission.reply(), probe: outcome.probe }, { status: outcome.done === 'refused' ? 400 : 200 })
		return redirectWithToast('/admin/gateways', { type: 'success', key: 'receipts.storage.saved' })
	}
	if (intent === 'zarinpal') {
		const submission = parseWithZod(formData, { schema: ZarinpalFormSchema })
		if (submission.status !== 'success') return data({ intent, result: submission.reply(), probe: null }, { status: 400 })
		const v = submission.value
		await saveGatewaySettings('zarinpal', { enabled: v.enabled, baseUrl: v.baseUrl, secrets: { merchantId: v.merchantId }, options: { currency: v.currency } }, admin.id, clientIp(context))
	} else if (intent === 'nowpayments') {
		const submission = parseWithZod(formData, { schema: NowPaymentsFormSchema })
		if (submission.status !== 'success') return data({ intent, result: submission.reply(), probe: null }, { status: 400 })
		const v = submission.value
		await saveGatewaySettings(
			'nowpayments',
			{ enabled: v.enabled, baseUrl: v.baseUrl, secrets: { apiKey: v.apiKey, ipnSecret: v.ipnSecret, email: v.email, password: v.password }, options: { priceCurrency: v.priceCurrency, rialPerUnit: v.rialPerUnit } },
			admin.id,
			clientIp(context),
		)
	} else {
		return data({ intent: null, result: null, probe: null }, { status: 400 })
	}
	return redirectWithToast('/admin/gateways', { type: 'success', key: 'gateways.admin.saved' })
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>

export default function GatewaysPage() {
	const loaded = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	const resultFor = (p: string) => (actionData?.intent === p ? (actionData.result ?? undefined) : undefined)
	return (
		<div className="mx-auto max-w-3xl space-y-6">
			<PageHeader title={t('gateways.admin.title')} />
			<p className="text-sm text-gray-600 dark:text-gray-400">{t('gateways.admin.intro')}</p>
			<ZarinpalForm s={loaded.zarinpal} lastResult={resultFor('zarinpal')} />
			<NowPaymentsForm s={loaded.nowpayments} lastResult={resultFor('nowpayments')} />
			<ReceiptStorageForm s={loaded.receiptStorage} lastResult={resultFor('receipt_storage')} probe={actionData?.intent === 'receipt_storage' ? actionData.probe : null} />
		</div>
	)
}

function Status({ usable }: { usable: boolean }) {
	const { t } = useTranslation()
	return <StatusPill tone={usable ? 'green' : 'gray'} label={t(usable ? 'gateways.admin.on' : 'gateways.admin.off')} />
}

function keyHint(t: (k: string) => string, set: boolean | undefined) {
	return set ? t('gateways.admin.keySet') : t('gateways.admin.keyUnset')
}

function ZarinpalForm({ s, lastResult }: { s: Loaded['zarinpal']; lastResult?: SubmissionResult<string[]> }) {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'gateway-zarinpal',
		lastResult,
		defaultValue: { enabled: s.enabled ? 'on' : '', baseUrl: s.baseUrl, currency: s.options.currency ?? 'IRR' },
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: ZarinpalFormSchema }),
	})
	const f = (k: string) => t(`gateways.admin.fields.${k}`)
	return (
		<Form method="post" className="space-y-4" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="zarinpal" />
			<FormSection title={t('gateways.providers.zarinpal')}>
				<Status usable={s.usable} />
				<CheckboxField label={f('enabled')} meta={fields.enabled} />
				<Field label={f('merchantId')} hint={keyHint(t, s.keysSet.merchantId)} errors={fields.merchantId.errors} inputProps={{ ...getInputProps(fields.merchantId, { type: 'password' }), autoComplete: 'off', dir: 'ltr' }} />
				<SelectField label={f('currency')} hint={t('gateways.admin.hints.currency')} meta={fields.currency} options={['IRR', 'IRT'].map((c) => ({ value: c, label: t(`gateways.admin.units.${c}`) }))} />
				<Field label={f('baseUrl')} hint={t('gateways.admin.hints.baseUrl')} errors={fields.baseUrl.errors} inputProps={{ ...getInputProps(fields.baseUrl, { type: 'text' }), dir: 'ltr', placeholder: 'https://payment.zarinpal.com' }} />
			</FormSection>
			<ErrorList id={form.errorId} errors={form.errors} />
			<Button type="submit" pending={navigation.state === 'submitting' && navigation.formData?.get('intent') === 'zarinpal'}>{t('gateways.admin.save')}</Button>
		</Form>
	)
}

function NowPaymentsForm({ s, lastResult }: { s: Loaded['nowpayments']; lastResult?: SubmissionResult<string[]> }) {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'gateway-nowpayments',
		lastResult,
		defaultValue: { enabled: s.enabled ? 'on' : '', baseUrl: s.baseUrl, priceCurrency: s.options.priceCurrency ?? 'usd', rialPerUnit: s.options.rialPerUnit === '0' ? '' : s.options.rialPerUnit },
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: NowPaymentsFormSchema }),
	})
	const f = (k: string) => t(`gateways.admin.fields.${k}`)
	const secret = (name: 'apiKey' | 'ipnSecret' | 'email' | 'password') => (
		<Field label={f(name)} hint={keyHint(t, s.keysSet[name])} errors={fields[name].errors} inputProps={{ ...getInputProps(fields[name], { type: name === 'email' ? 'text' : 'password' }), autoComplete: 'off', dir: 'ltr' }} />
	)
	return (
		<Form method="post" className="space-y-4" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="nowpayments" />
			<FormSection title={t('gateways.providers.nowpayments')}>
				<Status usable={s.usable} />
				<CheckboxField label={f('enabled')} meta={fields.enabled} />
				<div className="grid gap-3 sm:grid-cols-2">
					{secret('apiKey')}
					{secret('ipnSecret')}
				</div>
				<p className="text-xs text-gray-500">{t('gateways.admin.hints.login')}</p>
				<div className="grid gap-3 sm:grid-cols-2">
					{secret('email')}
					{secret('password')}
				</div>
				<div className="grid gap-3 sm:grid-cols-2">
					<SelectField label={f('priceCurrency')} meta={fields.priceCurrency} options={NOWPAYMENTS_FIATS.map((c) => ({ value: c, label: c.toUpperCase() }))} />
					<Field label={f('rialPerUnit')} hint={t('gateways.admin.hints.rialPerUnit')} errors={fields.rialPerUnit.errors} inputProps={{ ...getInputProps(fields.rialPerUnit, { type: 'text' }), inputMode: 'numeric', dir: 'ltr' }} />
				</div>
				<Field label={f('baseUrl')} hint={t('gateways.admin.hints.baseUrl')} errors={fields.baseUrl.errors} inputProps={{ ...getInputProps(fields.baseUrl, { type: 'text' }), dir: 'ltr', placeholder: 'https://api.nowpayments.io' }} />
			</FormSection>
			<ErrorList id={form.errorId} errors={form.errors} />
			<Button type="submit" pending={navigation.state === 'submitting' && navigation.formData?.get('intent') === 'nowpayments'}>{t('gateways.admin.save')}</Button>
		</Form>
	)
}
