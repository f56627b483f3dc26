// Invoice errors as HTTP answers: a translated message and a 4xx, never a 500 (STYLE.md rule 6).
import { data } from '@remix-run/node'
import { getT } from '~/utils/i18n.server'
import type { InvoiceFailure } from '~/models/invoice-form'
import { InvoiceError, invoiceStatus } from './errors'

/** For actions: the failure as action data with its status; anything else is rethrown. */
export function invoiceFailure(e: unknown) {
	if (!(e instanceof InvoiceError)) throw e
	return data<InvoiceFailure>({ error: { key: `invoices.errors.${e.code}`, values: e.values } }, { status: invoiceStatus(e.code), headers: e.code === 'busy' ? { 'Retry-After': '2' } : undefined })
}

/** For loaders: a thrown translated plain-text response (the route's ErrorBoundary shows it). */
export async function invoiceRefusal(request: Request, e: unknown): Promise<never> {
	if (!(e instanceof InvoiceError)) throw e
	const t = await getT(request)
	throw new Response(t(`invoices.errors.${e.code}`), { status: invoiceStatus(e.code), headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}
