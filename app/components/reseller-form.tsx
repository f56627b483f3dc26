import { getFormProps, getInputProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CURRENCY_CODES } from '~/models/billing-form'
import { resellerFormSchema, type ResellerFormDefaults } from '~/models/reseller-form'
import { CheckboxField, ChoiceGroup, FormSection, SelectField } from './billing-fields'
import { ErrorList, Field, inputClass } from './forms'
import { Button } from './ui/button'

type TextKey = { [K in keyof ResellerFormDefaults]: ResellerFormDefaults[K] extends string ? K : never }[keyof ResellerFormDefaults]

const withoutKey = <T extends { key?: unknown }>({ key: _key, ...props }: T) => props

export function ResellerForm({ mode, nodes, defaults, lastResult, submitLabel }: { mode: 'create' | 'edit'; nodes: Array<{ id: number; name: string; kind: string }>; defaults: ResellerFormDefaults; lastResult?: SubmissionResult<string[]> | null; submitLabel: string }) {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'reseller',
		lastResult: lastResult ?? undefined,
		defaultValue: defaults,
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: resellerFormSchema(mode) }),
	})
	const f = (k: string) => `adminBilling.resellers.fields.${k}`
	const text = (name: TextKey, extra: { hint?: string; type?: 'text' | 'password' | 'date' | 'tel'; numeric?: 'numeric' | 'decimal'; ltr?: boolean; autoComplete?: string } = {}) => (
		<Field
			label={t(f(name))}
			hint={extra.hint}
			errors={fields[name].errors}
			inputProps={{ ...getInputProps(fields[name] as FieldMetadata<string, ResellerFormDefaults, string[]>, { type: extra.type ?? 'text' }), ...(extra.numeric ? { inputMode: extra.numeric } : {}), ...(extra.ltr || extra.numeric ? { dir: 'ltr' } : {}), ...(extra.autoComplete ? { autoComplete: extra.autoComplete } : {}) }}
		/>
	)
	const byId = new Map(nodes.map((n) => [String(n.id), n]))
	return (
		<Form method="post" className="space-y-4" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="save" />
			<FormSection title={t('adminBilling.resellers.sections.login')}>
				<div className="grid gap-3 sm:grid-cols-2">
					{text('username', { hint: t('adminBilling.resellers.hints.username'), ltr: true, autoComplete: 'off' })}
					{text('password', { type: 'password', hint: t(mode === 'edit' ? 'adminBilling.resellers.hints.passwordKeep' : 'adminBilling.resellers.hints.password'), ltr: true, autoComplete: 'new-password' })}
				</div>
				<SelectField label={t(f('status'))} meta={fields.status} options={(['active', 'disabled'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))} />
			</FormSection>
			<FormSection title={t('adminBilling.resellers.sections.profile')}>
				<div className="grid gap-3 sm:grid-cols-2">
					{text('name')}
					{text('shopName')}
					{text('phone', { type: 'tel', ltr: true })}
					{text('address')}
				</div>
			</FormSection>
			<FormSection title={t('adminBilling.resellers.sections.funding')}>
				<ChoiceGroup legend={t(f('fundingModel'))} meta={fields.fundingModel} type="radio" options={(['wallet', 'pool'] as const).map((v) => ({ value: v, label: t(`adminBilling.resellers.funding.${v}`) }))} />
				<div className="grid gap-3 sm:grid-cols-2">
					<SelectField label={t(f('currency'))} meta={fields.currency} options={CURRENCY_CODES.map((c) => ({ value: c, label: c }))} />
					{text('creditLimit', { numeric: 'decimal', hint: t('adminBilling.resellers.hints.creditLimit') })}
					{text('poolWindowStart', { type: 'date', ltr: true, hint: t('adminBilling.resellers.hints.poolWindow') })}
					{text('poolWindowEnd', { type: 'date', ltr: true })}
				</div>
				<CheckboxField label={t(f('allowConfigOverrun'))} meta={fields.allowConfigOverrun} />
			</FormSection>
			<FormSection title={t('adminBilling.resellers.sections.pricing')}>
				<ChoiceGroup legend={t(f('pricingMode'))} meta={fields.pricingMode} type="radio" options={(['per_node', 'bundle'] as const).map((v) => ({ value: v, label: t(`adminBilling.resellers.pricing.${v}`) }))} />
				<div className="grid gap-3 sm:grid-cols-3">
					{text('pricePerGb', { numeric: 'decimal' })}
					{text('bundlePricePerGb', { numeric: 'decimal', hint: t('adminBilling.resellers.hints.bundlePricePerGb') })}
					{text('pricePerDay', { numeric: 'decimal' })}
				</div>
			</FormSection>
			<FormSection title={t('adminBilling.resellers.sections.limits')}>
				<p className="text-xs text-gray-500">{t('adminBilling.resellers.hints.limits')}</p>
				<div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
					{text('maxCustomers', { numeric: 'numeric' })}
					{text('minGb', { numeric: 'numeric' })}
					{text('maxGb', { numeric: 'numeric' })}
					{text('minDays', { numeric: 'numeric' })}
					{text('maxDays', { numeric: 'numeric' })}
				</div>
			</FormSection>
			<FormSection title={t('adminBilling.resellers.sections.nodes')}>
				<p className="text-xs text-gray-500">{t('adminBilling.resellers.hints.nodePrice')}</p>
				{nodes.length === 0 ? <p className="text-sm text-gray-500">{t('adminBilling.plans.noNodes')}</p> : null}
				<ul className="divide-y divide-gray-100 dark:divide-gray-800">
					{fields.allocations.getFieldList().map((item) => {
						const a = item.getFieldset()
						const node = byId.get(String(a.nodeId.initialValue ?? ''))
						if (!node) return null
						const { key: checkKey, ...checkProps } = getInputProps(a.enabled, { type: 'checkbox' })
						return (
							<li key={item.key} className="flex flex-wrap items-center justify-between gap-2 py-2">
								<input {...withoutKey(getInputProps(a.nodeId, { type: 'hidden' }))} />
								<label className="flex min-w-0 items-center gap-2 text-sm">
									<input key={checkKey} {...checkProps} />
									<span className="min-w-0 break-words font-medium">{node.name}</span>
									<span className="text-xs text-gray-500">{t(`nodes.kinds.${node.kind}`)}</span>
								</label>
								<div className="w-36">
									<input {...withoutKey(getInputProps(a.price, { type: 'text' }))} inputMode="decimal" dir="ltr" aria-label={t(f('nodePrice'))} placeholder={t(f('pricePerGb'))} className={inputClass} />
									<ErrorList errors={a.price.errors} />
								</div>
							</li>
						)
					})}
				</ul>
				<ErrorList errors={fields.allocations.errors} />
			</FormSection>
			<ErrorList id={form.errorId} errors={form.errors} />
			<Button type="submit" pending={navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save'}>{submitLabel}</Button>
		</Form>
	)
}
