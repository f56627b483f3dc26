import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field, inputClass } from '~/components/forms'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { CreateCustomerSchema } from '~/models/customer-form'
import { formatBytes, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

/** Unicode first-strong isolation: a Latin unit inside Persian text keeps its own order (<option> cannot hold <bdi>). */
const isolate = (s: string) => `\u2068${s}\u2069`

export interface NodeOption {
	id: number
	name: string
	kind: string
}
export interface PlanOption {
	id: number
	name: string
	days: number
	dataLimitBytes: bigint
	resellerPrice: bigint
	currency: string
}
export type CreateDefaults = Partial<Record<'planId' | 'gb' | 'days' | 'username' | 'note', string>> & { nodeIds?: string[] }

/** Step 1 of the wizard: a plain POST form (intent=quote) that returns the quote to confirm. */
export function CreateCustomerForm({ nodes, plans, defaults, lastResult }: { nodes: NodeOption[]; plans: PlanOption[]; defaults?: CreateDefaults; lastResult?: SubmissionResult<string[]> | null }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'create-customer',
		lastResult: lastResult ?? undefined,
		defaultValue: defaults,
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateCustomerSchema }),
	})
	const chosen = ([] as string[]).concat((fields.nodeIds.initialValue as string | string[] | undefined) ?? [])
	const nodeErrorId = fields.nodeIds.errors?.length ? `${fields.nodeIds.id}-error` : undefined
	return (
		<Form method="post" className="space-y-4" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="quote" />
			<Card className="space-y-4">
				<div className="space-y-1 text-sm">
					<label htmlFor={fields.planId.id} className="block font-medium text-gray-700 dark:text-gray-300">{t('customers.form.plan')}</label>
					<select id={fields.planId.id} name={fields.planId.name} defaultValue={(fields.planId.initialValue as string | undefined) ?? ''} aria-describedby={`${fields.planId.id}-hint`} className={inputClass}>
						<option value="">{t('customers.form.custom')}</option>
						{plans.map((p) => (
							<option key={p.id} value={p.id}>
								{t('customers.form.planOption', { name: isolate(p.name), days: formatNumber(lang, p.days), traffic: isolate(formatBytes(lang, p.dataLimitBytes)), price: isolate(formatMoney(lang, p.resellerPrice, p.currency)) })}
							</option>
						))}
					</select>
					<p id={`${fields.planId.id}-hint`} className="text-xs text-gray-500">{t('customers.form.customHint')}</p>
					<ErrorList errors={fields.planId.errors} />
				</div>
				<div className="grid grid-cols-2 gap-3">
					<Field label={t('customers.form.gb')} errors={fields.gb.errors} inputProps={{ ...getInputProps(fields.gb, { type: 'text' }), inputMode: 'numeric', dir: 'ltr' }} />
					<Field label={t('customers.form.days')} errors={fields.days.errors} inputProps={{ ...getInputProps(fields.days, { type: 'text' }), inputMode: 'numeric', dir: 'ltr' }} />
				</div>
			</Card>
			<Card>
				<fieldset aria-describedby={nodeErrorId}>
					<legend className="text-sm font-medium text-gray-700 dark:text-gray-300">{t('customers.form.nodes')}</legend>
					{nodes.length === 0 ? <p className="mt-2 text-sm text-gray-500">{t('customers.form.noNodes')}</p> : null}
					<div className="mt-2 grid gap-2 sm:grid-cols-2">
						{nodes.map((n) => (
							<label key={n.id} className="flex items-center gap-2 rounded-lg px-3 py-2 text-sm ring-1 ring-gray-200 dark:ring-gray-700">
								<input type="checkbox" name={fields.nodeIds.name} value={n.id} defaultChecked={chosen.includes(String(n.id))} />
								<span className="min-w-0 truncate">{n.name}</span>
								<span className="ms-auto text-xs text-gray-500">{t(`nodes.kinds.${n.kind}`)}</span>
							</label>
						))}
					</div>
					<ErrorList id={nodeErrorId} errors={fields.nodeIds.errors} />
				</fieldset>
			</Card>
			<Card className="space-y-4">
				<Field label={t('customers.form.username')} hint={t('customers.form.usernameHint')} errors={fields.username.errors} inputProps={{ ...getInputProps(fields.username, { type: 'text' }), autoComplete: 'off', autoCapitalize: 'none', dir: 'ltr' }} />
				<Field label={t('customers.form.note')} errors={fields.note.errors} inputProps={{ ...getInputProps(fields.note, { type: 'text' }) }} />
			</Card>
			<ErrorList id={form.errorId} errors={form.errors} />
			<Button type="submit" className="w-full sm:w-auto" pending={navigation.state === 'submitting' && navigation.formData?.get('intent') === 'quote'}>{t('customers.form.getQuote')}</Button>
		</Form>
	)
}
