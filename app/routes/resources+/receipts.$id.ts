// A receipt file, to its payer and to admins only; anyone else (other payers included) gets the
// same 404 as for a file that does not exist. Images are ones we re-encoded; a PDF is sent with a
// sandbox CSP and as a download-safe type so it can never script our origin. A file whose bytes
// cannot be read (gone from the S3 bucket, or the bucket not answering) is a translated "file
// unavailable" — as a small image when an <img> asks (the review card), as text otherwise.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { fileVisibleTo } from '~/models/payment.server'
import { ReceiptFileUnavailable, receiptStorage } from '~/services/payments/receipt-storage.server'
import { requireUser } from '~/utils/auth.server'
import { getLang, getT } from '~/utils/i18n.server'
import { idParam } from '~/utils/validation'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const id = BigInt(idParam(params))
	if (!(await fileVisibleTo(id, user))) throw new Response('Not found', { status: 404 })
	let file
	try {
		file = await receiptStorage.getFile(id)
	} catch (e) {
		if (e instanceof ReceiptFileUnavailable) return unavailable(request, e.reason)
		throw e
	}
	if (!file) throw new Response('Not found', { status: 404 })
	return new Response(new Uint8Array(file.bytes).buffer as ArrayBuffer, {
		headers: {
			'Content-Type': file.mime,
			'Content-Length': String(file.bytes.byteLength),
			'Cache-Control': 'private, no-store',
			'Content-Security-Policy': "default-src 'none'; sandbox",
			'Content-Disposition': `inline; filename="receipt-${id}.${file.mime === 'application/pdf' ? 'pdf' : 'webp'}"`,
		},
	})
}

async function unavailable(request: Request, reason: 'missing' | 'unreachable') {
	const [t, lang] = await Promise.all([getT(request), getLang(request)])
	const text = t(reason === 'missing' ? 'receipts.admin.fileMissing' : 'receipts.admin.fileUnreachable')
	const status = reason === 'missing' ? 404 : 503
	const headers = { 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; sandbox" }
	if (!(request.headers.get('accept') ?? '').startsWith('image/')) return new Response(text, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } })
	const escaped = text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="120" viewBox="0 0 640 120"><rect width="640" height="120" rx="12" fill="#f3f4f6"/><text x="320" y="66" text-anchor="middle" direction="${lang === 'fa' ? 'rtl' : 'ltr'}" font-family="sans-serif" font-size="18" fill="#374151">${escaped}</text></svg>`
	return new Response(svg, { status, headers: { ...headers, 'Content-Type': 'image/svg+xml; charset=utf-8' } })
}
