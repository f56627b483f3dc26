import type { LoaderFunctionArgs } from '@remix-run/node'
import { findUserInvoice } from '~/models/invoice.server'
import { renderInvoicePdf } from '~/services/invoices/pdf.server'
import { getStoreBilling } from '~/services/invoices/store-settings.server'
import { requireCustomer } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { isLang } from '~/utils/i18n'
import { getLang } from '~/utils/i18n.server'
import { idParam } from '~/utils/validation'

// The invoice as a PDF in the user's language (his saved locale, else the page language):
// Persian right to left with Jalali dates, English left to right. Drafts have no PDF.
export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	const inv = await findUserInvoice(user.id, idParam(params))
	if (!inv || inv.status === 'draft') throw new Response('Not found', { status: 404 })
	const { locale } = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { locale: true } })
	const lang = isLang(locale) ? locale : await getLang(request)
	const pdf = await renderInvoicePdf({ ...inv, billTo: inv.billTo as { name?: string; address?: string } | null }, await getStoreBilling(), lang)
	return new Response(new Uint8Array(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `inline; filename="${inv.number ?? `invoice-${inv.id}`}.pdf"`,
			'Cache-Control': 'private, no-store',
		},
	})
}
