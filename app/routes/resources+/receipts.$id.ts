// A receipt file, to its payer and to admins only; anyone else (other payers included) gets the
// same 404 as for a file that does not exist. Images are ones we re-encoded; a PDF is sent with a
// sandbox CSP and as a download-safe type so it can never script our origin.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { fileVisibleTo } from '~/models/payment.server'
import { receiptStorage } from '~/services/payments/receipt-storage.server'
import { requireUser } from '~/utils/auth.server'
import { idParam } from '~/utils/validation'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const id = BigInt(idParam(params))
	const file = (await fileVisibleTo(id, user)) ? await receiptStorage.getFile(id) : null
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
