import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, inputClass } from '~/components/forms'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'

/**
 * The reseller's note on a customer, edited in place: a <details> opens the form without
 * JavaScript; a failed save (too long, control characters) reopens it with the error.
 */
export function CustomerNote({ customerId, note, editable, result }: { customerId: number; note: string | null; editable: boolean; result?: SubmissionResult<string[]> | null }) {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const [form, fields] = useForm({ id: 'note', lastResult: result ?? undefined, defaultValue: { note: note ?? '' } })
	return (
		<Card className="space-y-2" data-testid="note">
			<CardTitle>{t('customers.form.note')}</CardTitle>
			<p className="min-w-0 text-sm break-words whitespace-pre-line text-gray-700 dark:text-gray-300" data-testid="note-text">
				{note || <span className="text-gray-400">{t('daily.note.none')}</span>}
			</p>
			{editable ? (
				<details open={Boolean(result)}>
					<summary className="cursor-pointer text-xs font-medium text-accent">{t('daily.note.edit')}</summary>
					<Form method="post" className="mt-2 space-y-2" {...getFormProps(form)}>
						<input type="hidden" name="intent" value="note" />
						<input type="hidden" name="customerId" value={customerId} />
						<textarea {...getTextareaProps(fields.note)} rows={3} maxLength={200} aria-label={t('customers.form.note')} className={inputClass} data-testid="note-input" />
						<ErrorList id={fields.note.errorId} errors={fields.note.errors} />
						<Button type="submit" size="sm" variant="secondary" pending={navigation.state === 'submitting' && navigation.formData?.get('intent') === 'note'}>{t('daily.note.save')}</Button>
					</Form>
				</details>
			) : null}
		</Card>
	)
}
