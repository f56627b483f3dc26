// The admin's coupon form: plain inputs and a POST, so it works without JavaScript. Errors are
// translation keys per field from the action.
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field, inputClass } from '~/components/forms'
import { Button } from '~/components/ui/button'

export interface CouponDefaults {
	code: string
	kind: string
	value: string
	planIds: number[]
	categoryIds: number[]
	minSubtotal: string
	maxUses: string
	maxUsesPerUser: string
	firstPurchaseOnly: boolean
	active: boolean
	validFrom: string
	validTo: string
}

export const emptyCoupon: CouponDefaults = { code: '', kind: 'percent', value: '', planIds: [], categoryIds: [], minSubtotal: '', maxUses: '', maxUsesPerUser: '', firstPurchaseOnly: false, active: true, validFrom: '', validTo: '' }

export function CouponForm({ defaults, errors, choices }: { defaults: CouponDefaults; errors?: Record<string, string[]> | null; choices: { plans: Array<{ id: number; name: string }>; categories: Array<{ id: number; name: string }> } }) {
	const { t } = useTranslation()
	const f = (k: string) => t(`invoices.coupons.fields.${k}`)
	const busy = useNavigation().state === 'submitting'
	const text = (name: keyof CouponDefaults, extra: Record<string, string> = {}) => ({ id: name, name, defaultValue: String(defaults[name] ?? ''), dir: 'ltr', ...extra })
	const check = (name: 'firstPurchaseOnly' | 'active') => (
		<label className="flex items-center gap-2 text-sm">
			<input type="checkbox" name={name} defaultChecked={defaults[name]} />
			{f(name)}
		</label>
	)
	return (
		<Form method="post" className="max-w-xl space-y-4">
			<Field label={f('code')} errors={errors?.code} inputProps={text('code', { maxLength: '32', autoComplete: 'off' })} />
			<div className="space-y-1">
				<label htmlFor="kind" className="block text-sm font-medium">{f('kind')}</label>
				<select id="kind" name="kind" defaultValue={defaults.kind} className={inputClass}>
					<option value="percent">{t('invoices.coupons.kinds.percent')}</option>
					<option value="fixed">{t('invoices.coupons.kinds.fixed')}</option>
				</select>
			</div>
			<Field label={f('value')} hint={f('valueHint')} errors={errors?.value} inputProps={text('value', { inputMode: 'decimal' })} />
			{(['planIds', 'categoryIds'] as const).map((name) => (
				<div key={name} className="space-y-1">
					<label htmlFor={name} className="block text-sm font-medium">{f(name)}</label>
					<select id={name} name={name} multiple defaultValue={defaults[name].map(String)} className={`${inputClass} h-28`}>
						{(name === 'planIds' ? choices.plans : choices.categories).map((c) => (
							<option key={c.id} value={c.id}>{c.name}</option>
						))}
					</select>
					<ErrorList errors={errors?.[name]} />
				</div>
			))}
			<Field label={f('minSubtotal')} errors={errors?.minSubtotal} inputProps={text('minSubtotal', { inputMode: 'numeric' })} />
			<div className="grid grid-cols-2 gap-3">
				<Field label={f('maxUses')} errors={errors?.maxUses} inputProps={text('maxUses', { inputMode: 'numeric' })} />
				<Field label={f('maxUsesPerUser')} errors={errors?.maxUsesPerUser} inputProps={text('maxUsesPerUser', { inputMode: 'numeric' })} />
				<Field label={f('validFrom')} errors={errors?.validFrom} inputProps={text('validFrom', { type: 'date' })} />
				<Field label={f('validTo')} errors={errors?.validTo} inputProps={text('validTo', { type: 'date' })} />
			</div>
			{check('firstPurchaseOnly')}
			{check('active')}
			<Button type="submit" pending={busy}>{t('invoices.coupons.edit')}</Button>
		</Form>
	)
}
