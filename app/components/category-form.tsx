import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CategoryFormSchema } from '~/models/category-form'
import { CheckboxField, FormSection, SelectField } from './billing-fields'
import { ErrorList, Field } from './forms'
import { Button } from './ui/button'

/** Form values as text; a checked box is 'on' (what the browser posts). */
export type CategoryDefaults = { name: string; parentId: string; sortOrder: string; exclusive: 'on' | '' }

export function CategoryForm({ title, parents, defaults, lastResult, submitLabel }: { title: string; parents: Array<{ value: string; label: string }>; defaults: CategoryDefaults; lastResult?: SubmissionResult<string[]> | null; submitLabel: string }) {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'category',
		lastResult: lastResult ?? undefined,
		defaultValue: defaults,
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: CategoryFormSchema }),
	})
	return (
		<Form method="post" className="space-y-4" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="save" />
			<FormSection title={title}>
				<Field label={t('store.categories.name')} errors={fields.name.errors} inputProps={getInputProps(fields.name, { type: 'text' })} />
				<div className="grid gap-3 sm:grid-cols-2">
					<SelectField label={t('store.categories.parent')} meta={fields.parentId} options={[{ value: '', label: t('store.categories.noParent') }, ...parents]} />
					<Field label={t('store.categories.sortOrder')} hint={t('store.categories.sortOrderHint')} errors={fields.sortOrder.errors} inputProps={{ ...getInputProps(fields.sortOrder, { type: 'text' }), inputMode: 'numeric', dir: 'ltr' }} />
				</div>
				<CheckboxField label={t('store.categories.exclusive')} hint={t('store.categories.exclusiveHint')} meta={fields.exclusive} />
			</FormSection>
			<ErrorList id={form.errorId} errors={form.errors} />
			<Button type="submit" pending={navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save'}>{submitLabel}</Button>
		</Form>
	)
}
