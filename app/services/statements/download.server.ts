// The statement's Excel and PDF downloads as HTTP responses (the reseller's and the admin's
// routes differ only in whose reseller id they pass).
import { getStoreSettings } from '~/services/settings.server'
import { PDF_MAX_ROWS, statementPdf } from './pdf.server'
import { statementFileName, type StatementQuery } from './request.server'
import { fullStatement } from './statement.server'
import { statementWorkbook } from './xlsx.server'

const TYPES = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', pdf: 'application/pdf' } as const

export async function statementDownload(resellerId: number, q: StatementQuery, format: keyof typeof TYPES) {
	const s = await fullStatement(resellerId, q.month)
	if (!s) throw new Response('Not found', { status: 404 })
	// Toman or Rial as the store shows money (display.ts), the same as the screen.
	const display = (await getStoreSettings()).displayCurrency
	const body = format === 'xlsx' ? await statementWorkbook(s, q.lang, display) : await statementPdf(s, q.lang, PDF_MAX_ROWS, display)
	return new Response(new Uint8Array(body), {
		headers: {
			'Content-Type': TYPES[format],
			'Content-Disposition': `${format === 'pdf' ? 'inline' : 'attachment'}; filename="${statementFileName(resellerId, q.month, format)}"`,
			'Cache-Control': 'private, no-store',
		},
	})
}
