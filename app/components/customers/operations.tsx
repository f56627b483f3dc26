import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field } from '~/components/forms'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { ConfirmButton } from '~/components/ui/dialog'
import { OperationSchema, type OperationKind } from '~/models/customer-form'
import type { NodeOption } from './create-form'

type Result = SubmissionResult<string[]> | null | undefined

/** One operation: a <details> (opens by itself without JS) holding a quote form. */
function Operation({ op, title, hint, result, children, submitLabel }: { op: OperationKind; title: string; hint?: string; result: Result; children?: (fields: ReturnType<typeof useOpForm>[1]) => ReactNode; submitLabel: string }) {
	const navigation = useNavigation()
	const [form, fields] = useOpForm(op, result)
	const busy = navigation.state === 'submitting' && navigation.formData?.get('op') === op && navigation.formData?.get('intent') === 'quote'
	return (
		<details className="group rounded-lg ring-1 ring-gray-200 open:ring-accent/40 dark:ring-gray-800" open={Boolean(result)} data-testid={`op-${op}`}>
			<summary className="cursor-pointer list-none px-3 py-2.5 text-sm font-medium select-none">{title}</summary>
			<Form method="post" className="space-y-3 px-3 pb-3" {...getFormProps(form)}>
				<input type="hidden" name="intent" value="quote" />
				<input type="hidden" name="op" value={op} />
				{hint ? <p className="text-xs text-gray-500">{hint}</p> : null}
				{children?.(fields)}
				<ErrorList id={form.errorId} errors={form.errors} />
				<Button type="submit" size="sm" variant="secondary" pending={busy}>{submitLabel}</Button>
			</Form>
		</details>
	)
}

function useOpForm(op: OperationKind, result: Result) {
	return useForm({ id: `op-${op}`, lastResult: result ?? undefined, defaultValue: { op }, shouldRevalidate: 'onBlur', onValidate: ({ formData }) => parseWithZod(formData, { schema: OperationSchema }) })
}

/** Priced operations (quote → confirm) and the manual actions of one customer. */
export function CustomerOperations({ status, disabledReason, nodes, currentNodeIds, lastOp, result, manualResult }: { status: string; disabledReason: string | null; nodes: NodeOption[]; currentNodeIds: number[]; lastOp: OperationKind | null; result: Result; manualResult: Result }) {
	const { t } = useTranslation()
	const resultOf = (op: OperationKind) => (lastOp === op ? result : undefined)
	const [manual] = useForm({ id: 'manual', lastResult: manualResult ?? undefined })
	const closed = status === 'deleted' || status === 'refunded'
	if (closed) return null
	return (
		<Card className="space-y-2">
			<CardTitle>{t('customers.ops.title')}</CardTitle>
			<Operation op="extend" title={t('customers.ops.extend')} hint={t('customers.ops.extendHint')} result={resultOf('extend')} submitLabel={t('customers.ops.getQuote')}>
				{(f) => <Field label={t('customers.form.days')} errors={f.days?.errors} inputProps={{ ...getInputProps(f.days!, { type: 'text' }), inputMode: 'numeric', dir: 'ltr' }} />}
			</Operation>
			<Operation op="add_traffic" title={t('customers.ops.addTraffic')} result={resultOf('add_traffic')} submitLabel={t('customers.ops.getQuote')}>
				{(f) => <Field label={t('customers.form.gb')} errors={f.gb?.errors} inputProps={{ ...getInputProps(f.gb!, { type: 'text' }), inputMode: 'numeric', dir: 'ltr' }} />}
			</Operation>
			<Operation op="change_nodes" title={t('customers.ops.changeNodes')} hint={t('customers.ops.changeNodesHint')} result={resultOf('change_nodes')} submitLabel={t('customers.ops.getQuote')}>
				{(f) => (
					<fieldset>
						<legend className="sr-only">{t('customers.form.nodes')}</legend>
						<div className="grid gap-2 sm:grid-cols-2">
							{nodes.map((n) => (
								<label key={n.id} className="flex items-center gap-2 rounded-lg px-3 py-2 text-sm ring-1 ring-gray-200 dark:ring-gray-700">
									<input type="checkbox" name="nodeIds" value={n.id} defaultChecked={currentNodeIds.includes(n.id)} />
									<span className="min-w-0 truncate">{n.name}</span>
								</label>
							))}
						</div>
						<ErrorList errors={f.nodeIds?.errors} />
					</fieldset>
				)}
			</Operation>
			<Operation op="refund" title={t('customers.ops.refund')} hint={t('customers.ops.refundHint')} result={resultOf('refund')} submitLabel={t('customers.ops.getRefundQuote')} />
			<Form method="post" className="flex flex-wrap items-center gap-2 pt-2" {...getFormProps(manual)}>
				<input type="hidden" name="intent" value="manual" />
				{disabledReason === 'manual' ? (
					<Button type="submit" name="action" value="enable" size="sm" variant="secondary">{t('customers.ops.enable')}</Button>
				) : (
					<ConfirmButton name="action" value="disable" size="sm" variant="secondary" kind="disable_customer">{t('customers.ops.disable')}</ConfirmButton>
				)}
				<ConfirmButton name="action" value="delete" size="sm" variant="danger" kind="delete_customer" title={t('customers.ops.deleteTitle')} body={t('customers.ops.deleteBody')}>{t('customers.ops.delete')}</ConfirmButton>
			</Form>
			<ErrorList id={manual.errorId} errors={manual.errors} />
		</Card>
	)
}
