// The checkout form (issue 12): a coupon field and one submit, with a random form key so a
// double submit makes one draft. Plain POST: works without JavaScript.
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Field } from '~/components/forms'
import { Button } from '~/components/ui/button'
import type { InvoiceFailure } from '~/models/invoice-form'

export function CheckoutForm({ formKey, failure, children }: { formKey: string; failure?: InvoiceFailure | null; children?: React.ReactNode }) {
	const { t } = useTranslation()
	const busy = useNavigation().state === 'submitting'
	return (
		<Form method="post" className="space-y-3">
			<input type="hidden" name="formKey" value={formKey} />
			{children}
			<Field label={t('invoices.coupon')} inputProps={{ id: 'coupon', name: 'coupon', autoComplete: 'off', dir: 'ltr', maxLength: 32 }} />
			{failure?.error ? (
				<p role="alert" className="text-sm text-red-600 dark:text-red-400">
					{t(failure.error.key, failure.error.values)}
				</p>
			) : null}
			<Button type="submit" pending={busy} className="w-full sm:w-auto">
				{t('invoices.checkout.continue')}
			</Button>
		</Form>
	)
}
