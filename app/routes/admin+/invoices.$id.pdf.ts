import type { LoaderFunctionArgs } from '@remix-run/node'
import { findInvoice } from '~/models/invoice.server'
import { renderInvoicePdf } from '~/services/invoices/pdf.server'
import { getStoreBilling } from '~/services/invoices/store-settings.server'
import { requireAdmin } from '~/utils/auth.server'
import { getLang } from '~/utils/i18n.server'
import { idParam } from '~/utils/validation'

// The admin's copy of any issued invoice or credit note, in the admin's page language.
export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const inv = await findInvoice(idParam(params))
	if (!inv || inv.status === 'draft') throw new Response('Not found', { status: 404 })
	const pdf = await renderInvoicePdf({ ...inv, billTo: inv.billTo as { name?: string; address?: string } | null }, await getStoreBilling(), await getLang(request))
	return new Response(new Uint8Array(pdf), {
		headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${inv.number ?? `invoice-${inv.id}`}.pdf"`, 'Cache-Control': 'private, no-store' },
	})
}
