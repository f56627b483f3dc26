import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CURRENCY_CODES } from '~/models/billing-form'
import { PLAN_VISIBILITIES, PlanFormSchema, type PlanFormDefaults } from '~/models/plan-form'
import { CheckboxField, ChoiceGroup, FormSection, SelectField } from './billing-fields'
import { ErrorList, Field } from './forms'
import { Button } from './ui/button'

export function PlanForm({ nodes, categories, defaults, lastResult, submitLabel }: { nodes: Array<{ id: number; name: string }>; categories: Array<{ value: string; label: string }>; defaults: PlanFormDefaults; lastResult?: SubmissionResult<string[]> | null; submitLabel: string }) {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'plan',
		lastResult: lastResult ?? undefined,
		defaultValue: defaults,
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: PlanFormSchema }),
	})
	return (
		<Form method="post" className="space-y-4" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="save" />
			<FormSection title={t('adminBilling.plans.title')}>
				<Field label={t('adminBilling.plans.fields.name')} errors={fields.name.errors} inputProps={getInputProps(fields.name, { type: 'text' })} />
				<div className="grid gap-3 sm:grid-cols-2">
					<Field label={t('adminBilling.plans.fields.days')} errors={fields.days.errors} inputProps={{ ...getInputProps(fields.days, { type: 'text' }), inputMode: 'numeric', dir: 'ltr' }} />
					<Field label={t('adminBilling.plans.fields.dataLimitGb')} errors={fields.dataLimitGb.errors} inputProps={{ ...getInputProps(fields.dataLimitGb, { type: 'text' }), inputMode: 'numeric', dir: 'ltr' }} />
				</div>
				<div className="grid gap-3 sm:grid-cols-3">
					<SelectField label={t('adminBilling.plans.fields.currency')} meta={fields.currency} options={CURRENCY_CODES.map((c) => ({ value: c, label: c }))} />
					<Field label={t('adminBilling.plans.fields.publicPrice')} errors={fields.publicPrice.errors} inputProps={{ ...getInputProps(fields.publicPrice, { type: 'text' }), inputMode: 'decimal', dir: 'ltr' }} />
					<Field label={t('adminBilling.plans.fields.resellerPrice')} errors={fields.resellerPrice.errors} inputProps={{ ...getInputProps(fields.resellerPrice, { type: 'text' }), inputMode: 'decimal', dir: 'ltr' }} />
				</div>
				<div className="grid gap-3 sm:grid-cols-2">
					<SelectField label={t('adminBilling.plans.fields.category')} hint={t('adminBilling.plans.hints.category')} meta={fields.categoryId} options={[{ value: '', label: t('store.plans.noCategory') }, ...categories]} />
					<SelectField label={t('store.plans.visibility.label')} meta={fields.visibility} options={PLAN_VISIBILITIES.map((v) => ({ value: v, label: t(`store.plans.visibility.${v}`) }))} />
				</div>
				<CheckboxField label={t('store.plans.trial')} hint={t('store.plans.trialHint')} meta={fields.trial} />
				<CheckboxField label={t('store.plans.resetOnRenew')} hint={t('store.plans.resetOnRenewHint')} meta={fields.resetOnRenew} />
				{nodes.length ? (
					<ChoiceGroup legend={t('adminBilling.plans.fields.nodes')} hint={t('adminBilling.plans.hints.nodes')} meta={fields.nodeIds} type="checkbox" options={nodes.map((n) => ({ value: String(n.id), label: n.name }))} />
				) : (
					<p className="text-sm text-gray-500">{t('adminBilling.plans.noNodes')}</p>
				)}
				<CheckboxField label={t('adminBilling.plans.fields.active')} meta={fields.active} />
			</FormSection>
			<ErrorList id={form.errorId} errors={form.errors} />
			<Button type="submit" pending={navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save'}>{submitLabel}</Button>
		</Form>
	)
}
