import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Field } from '~/components/forms'
import { InvoiceView } from '~/components/invoice-view'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { CreditNoteSchema } from '~/models/invoice-form'
import { findInvoice } from '~/models/invoice.server'
import { issueCreditNote } from '~/services/invoices/credit-notes.server'
import { invoiceFailure } from '~/services/invoices/http.server'
import { voidInvoice } from '~/services/invoices/void.server'
import { getStoreSettings } from '~/services/settings.server'
import { requireAdmin } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { readFormFields } from '~/utils/form-data.server'
import { redirectWithToast } from '~/utils/toast.server'
import { idParam } from '~/utils/validation'

async function load(params: Record<string, string | undefined>) {
	const inv = await findInvoice(idParam(params))
	if (!inv) throw new Response('Not found', { status: 404 })
	return inv
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const invoice = await load(params)
	const [user, creditNotes] = await Promise.all([
		prisma.user.findUnique({ where: { id: invoice.userId }, select: { username: true } }),
		prisma.invoice.findMany({ where: { creditOfId: invoice.id }, orderBy: { id: 'asc' }, select: { id: true, number: true, total: true } }),
	])
	return { invoice, username: user?.username ?? '', creditNotes, display: (await getStoreSettings()).displayCurrency }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const invoice = await load(params)
	const fields = await readFormFields(request)
	const here = `/admin/invoices/${invoice.id}`
	try {
		if (fields.intent === 'void') {
			await voidInvoice(invoice.id, null)
			return redirectWithToast(here, { type: 'success', key: 'invoices.toast.voided' })
		}
		const parsed = CreditNoteSchema.safeParse(fields)
		if (!parsed.success) return data({ error: { key: 'errors.invalid', values: {} } }, { status: 400 })
		const cn = await issueCreditNote(admin.id, invoice.id, BigInt(parsed.data.amount), parsed.data.reason ?? '')
		return redirectWithToast(here, { type: 'success', key: 'invoices.toast.creditNote', values: { number: cn.number } })
	} catch (e) {
		return invoiceFailure(e)
	}
}

export default function AdminInvoice() {
	const { invoice, username, creditNotes, display } = useLoaderData<typeof loader>()
	const failure = useActionData<typeof action>()
	const { t } = useTranslation()
	const busy = useNavigation().state === 'submitting'
	return (
		<div className="max-w-2xl space-y-4">
			<PageHeader title={`${t('invoices.invoice')} ${invoice.number ?? ''}`} action={invoice.status !== 'draft' ? <a href={`/admin/invoices/${invoice.id}/pdf`} className="text-sm text-accent hover:underline">{t('invoices.pdf')}</a> : undefined} />
			<p className="text-sm">
				{t('invoices.user')}: <bdi>{username}</bdi>
			</p>
			{failure && 'error' in failure && failure.error ? (
				<p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
					{t(failure.error.key, failure.error.values)}
				</p>
			) : null}
			<InvoiceView invoice={invoice} display={display} />
			{creditNotes.length ? (
				<ul className="text-sm">
					{creditNotes.map((c) => (
						<li key={String(c.id)}>
							<Link to={`/admin/invoices/${c.id}`} className="font-mono text-accent hover:underline" dir="ltr">{c.number}</Link>
						</li>
					))}
				</ul>
			) : null}
			{invoice.type === 'invoice' && (invoice.status === 'draft' || invoice.status === 'open') ? (
				<Form method="post">
					<input type="hidden" name="intent" value="void" />
					<Button type="submit" variant="secondary" pending={busy}>{t('invoices.actions.void')}</Button>
				</Form>
			) : null}
			{invoice.type === 'invoice' && invoice.status === 'paid' ? (
				<Card className="p-4">
					<Form method="post" className="space-y-3">
						<input type="hidden" name="intent" value="credit_note" />
						<Field label={t('invoices.admin.creditAmount')} inputProps={{ id: 'amount', name: 'amount', inputMode: 'numeric', dir: 'ltr', required: true }} />
						<Field label={t('invoices.admin.creditReason')} inputProps={{ id: 'reason', name: 'reason', maxLength: 500 }} />
						<Button type="submit" pending={busy}>{t('invoices.actions.creditNote')}</Button>
					</Form>
				</Card>
			) : null}
		</div>
	)
}
