// The receipt storage section of /admin/gateways: db or an S3-compatible bucket, and a "test
// connection" button. One plain form, two submit buttons told apart by their intent value, so it
// works without JavaScript. The secret key is never shown: a blank field keeps the stored one.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CheckboxField, FormSection, SelectField } from '~/components/billing-fields'
import { ErrorList, Field } from '~/components/forms'
import { Button } from '~/components/ui/button'
import { ReceiptStorageFormSchema } from '~/models/receipt-storage-form'

export interface ReceiptStorageView {
	store: 'db' | 's3'
	endpoint: string
	bucket: string
	region: string
	accessKeyId: string
	secretSet: boolean
	pathStyle: boolean
}

export type ProbeView = { ok: true } | { ok: false; step: string; kind: string; detail: string }

export function ReceiptStorageForm({ s, lastResult, probe }: { s: ReceiptStorageView; lastResult?: SubmissionResult<string[]>; probe?: ProbeView | null }) {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'receipt-storage',
		lastResult,
		defaultValue: { store: s.store, endpoint: s.endpoint, bucket: s.bucket, region: s.region, accessKeyId: s.accessKeyId, pathStyle: s.pathStyle ? 'on' : '' },
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: ReceiptStorageFormSchema }),
	})
	const f = (k: string) => t(`receipts.storage.fields.${k}`)
	const busy = (intent: string) => navigation.state === 'submitting' && navigation.formData?.get('intent') === intent
	const text = (name: 'endpoint' | 'bucket' | 'region' | 'accessKeyId', placeholder?: string) => (
		<Field label={f(name)} hint={t(`receipts.storage.hints.${name}`, { defaultValue: '' }) || undefined} errors={fields[name].errors} inputProps={{ ...getInputProps(fields[name], { type: 'text' }), autoComplete: 'off', dir: 'ltr', placeholder }} />
	)
	return (
		<Form method="post" className="space-y-4" {...getFormProps(form)}>
			<FormSection title={t('receipts.storage.title')}>
				<p className="text-sm text-gray-600 dark:text-gray-400">{t('receipts.storage.intro')}</p>
				<SelectField label={f('store')} meta={fields.store} options={(['db', 's3'] as const).map((v) => ({ value: v, label: t(`receipts.storage.stores.${v}`) }))} />
				{text('endpoint', 'https://s3.example.com')}
				<div className="grid gap-3 sm:grid-cols-2">
					{text('bucket', 'receipts')}
					{text('region', 'us-east-1')}
				</div>
				<div className="grid gap-3 sm:grid-cols-2">
					{text('accessKeyId')}
					<Field
						label={f('secretAccessKey')}
						hint={t(s.secretSet ? 'receipts.storage.secretSet' : 'receipts.storage.secretUnset')}
						errors={fields.secretAccessKey.errors}
						inputProps={{ ...getInputProps(fields.secretAccessKey, { type: 'password' }), autoComplete: 'off', dir: 'ltr' }}
					/>
				</div>
				<CheckboxField label={f('pathStyle')} hint={t('receipts.storage.hints.pathStyle')} meta={fields.pathStyle} />
				{probe ? (
					<p role="status" data-testid="probe-result" className={probe.ok ? 'text-sm text-green-700 dark:text-green-400' : 'text-sm text-red-600 dark:text-red-400'}>
						{probe.ok ? t('receipts.storage.probe.ok') : t(`receipts.storage.probe.${probe.kind}`, { detail: probe.detail, step: t(`receipts.storage.probe.steps.${probe.step}`) })}
					</p>
				) : null}
			</FormSection>
			<ErrorList id={form.errorId} errors={form.errors} />
			<div className="flex flex-wrap gap-2">
				<Button type="submit" name="intent" value="receipt_storage" pending={busy('receipt_storage')}>{t('receipts.storage.save')}</Button>
				<Button type="submit" name="intent" value="receipt_storage_test" variant="secondary" pending={busy('receipt_storage_test')}>{t('receipts.storage.test')}</Button>
			</div>
		</Form>
	)
}
