// The payment-method form. The kind is chosen before the form (links on the new page, fixed when
// editing) and sent as a hidden field, so only that kind's fields are shown, without JavaScript.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CRYPTO_NETWORKS, PaymentMethodFormSchema, type PaymentMethodFormDefaults } from '~/models/payment-method-form'
import { CheckboxField, FormSection, SelectField } from './billing-fields'
import { ErrorList, Field } from './forms'
import { Button } from './ui/button'

export function PaymentMethodForm({ defaults, lastResult, submitLabel }: { defaults: PaymentMethodFormDefaults; lastResult?: SubmissionResult<string[]> | null; submitLabel: string }) {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: `payment-method-${defaults.kind}`,
		lastResult: lastResult ?? undefined,
		defaultValue: { ...defaults, active: defaults.active ? 'on' : '' },
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: PaymentMethodFormSchema }),
	})
	const k = 'payments.methods.fields'
	const ltr = (name: Exclude<keyof PaymentMethodFormDefaults, 'active' | 'kind'>, inputMode: 'numeric' | 'text' = 'numeric') => ({ ...getInputProps(fields[name], { type: 'text' }), inputMode, dir: 'ltr' as const })
	return (
		<Form method="post" className="space-y-4" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="save" />
			<input type="hidden" name="kind" value={defaults.kind} />
			<FormSection title={t(`payments.methods.kinds.${defaults.kind}`)}>
				<Field label={t(`${k}.alias`)} hint={t('payments.methods.hints.alias')} errors={fields.alias.errors} inputProps={getInputProps(fields.alias, { type: 'text' })} />
				{defaults.kind === 'card' ? <Field label={t(`${k}.cardNumber`)} errors={fields.cardNumber.errors} inputProps={{ ...ltr('cardNumber'), autoComplete: 'off' }} /> : null}
				{defaults.kind === 'iban' ? <Field label={t(`${k}.sheba`)} hint={t('payments.methods.hints.sheba')} errors={fields.sheba.errors} inputProps={{ ...ltr('sheba', 'text'), autoComplete: 'off' }} /> : null}
				{defaults.kind === 'crypto' ? (
					<>
						<div className="grid gap-3 sm:grid-cols-2">
							<Field label={t(`${k}.asset`)} errors={fields.asset.errors} inputProps={ltr('asset', 'text')} />
							<SelectField label={t(`${k}.network`)} meta={fields.network} options={CRYPTO_NETWORKS.map((n) => ({ value: n, label: n }))} />
						</div>
						<Field label={t(`${k}.address`)} errors={fields.address.errors} inputProps={{ ...ltr('address', 'text'), autoComplete: 'off' }} />
						<Field label={t(`${k}.memo`)} hint={t('payments.methods.hints.memo')} errors={fields.memo.errors} inputProps={ltr('memo', 'text')} />
					</>
				) : (
					<div className="grid gap-3 sm:grid-cols-2">
						<Field label={t(`${k}.holder`)} errors={fields.holder.errors} inputProps={getInputProps(fields.holder, { type: 'text' })} />
						<Field label={t(`${k}.bank`)} errors={fields.bank.errors} inputProps={getInputProps(fields.bank, { type: 'text' })} />
					</div>
				)}
			</FormSection>
			<FormSection title={t('payments.methods.limitsTitle')}>
				<p className="text-xs text-gray-500">{t('payments.methods.hints.limits')}</p>
				<div className="grid gap-3 sm:grid-cols-2">
					<Field label={t(`${k}.minAmount`)} errors={fields.minAmount.errors} inputProps={ltr('minAmount')} />
					<Field label={t(`${k}.maxAmount`)} errors={fields.maxAmount.errors} inputProps={ltr('maxAmount')} />
					<Field label={t(`${k}.dailyCountLimit`)} errors={fields.dailyCountLimit.errors} inputProps={ltr('dailyCountLimit')} />
					<Field label={t(`${k}.dailyAmountLimit`)} errors={fields.dailyAmountLimit.errors} inputProps={ltr('dailyAmountLimit')} />
					<Field label={t(`${k}.activeFrom`)} hint={t('payments.methods.hints.hours')} errors={fields.activeFrom.errors} inputProps={{ ...ltr('activeFrom'), placeholder: '08:00' }} />
					<Field label={t(`${k}.activeTo`)} errors={fields.activeTo.errors} inputProps={{ ...ltr('activeTo'), placeholder: '23:00' }} />
				</div>
				<Field label={t(`${k}.priority`)} hint={t('payments.methods.hints.priority')} errors={fields.priority.errors} inputProps={ltr('priority')} />
				<CheckboxField label={t(`${k}.active`)} meta={fields.active} />
			</FormSection>
			<ErrorList id={form.errorId} errors={form.errors} />
			<Button type="submit" pending={navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save'}>{submitLabel}</Button>
		</Form>
	)
}
