// Reading a receipt form (multipart) without ever holding more than the limits in memory: a
// Content-Length over the cap is refused before reading, and the body is counted as it streams
// (a chunked body has no Content-Length), each part capped on its own — a 20 MB upload is cut off
// after ~5 MB, not buffered and then measured. Text fields come back as strings, the one file
// part as bytes; a form that is not multipart, or a second file, is a translated 4xx.
import { unstable_parseMultipartFormData, type UploadHandler } from '@remix-run/node'
import { getT } from '~/utils/i18n.server'
import { PaymentError } from './errors'
import { MAX_RECEIPT_BYTES } from './receipt-files.server'

/** Room for the text fields and multipart framing around the file. */
const MAX_BODY_BYTES = MAX_RECEIPT_BYTES + 64 * 1024
const MAX_FIELD_BYTES = 4 * 1024
export const RECEIPT_FIELD = 'receipt'

export interface ReceiptForm {
	fields: Record<string, string>
	file: Uint8Array | null
}

class TooBig extends Error {}

function limitedBody(body: ReadableStream<Uint8Array>, max: number) {
	let seen = 0
	return body.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				seen += chunk.byteLength
				if (seen > max) controller.error(new TooBig())
				else controller.enqueue(chunk)
			},
		}),
	)
}

export async function readReceiptForm(request: Request): Promise<ReceiptForm> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
	if (type !== 'multipart/form-data') throw await refusal(request, 415, 'receipts.errors.multipart')
	const declared = Number(request.headers.get('content-length') ?? '0')
	if (declared > MAX_BODY_BYTES) throw await refusal(request, 413, 'receipts.errors.file_too_big')
	if (!request.body) throw await refusal(request, 400, 'errors.brokenBody')
	let file: Uint8Array | null = null
	let tooBig = false
	const handler: UploadHandler = async ({ name, filename, data }) => {
		const max = filename != null ? MAX_RECEIPT_BYTES : MAX_FIELD_BYTES
		const chunks: Uint8Array[] = []
		let size = 0
		for await (const chunk of data) {
			size += chunk.byteLength
			if (size > max) {
				tooBig = true
				throw new TooBig()
			}
			chunks.push(chunk)
		}
		const bytes = Buffer.concat(chunks)
		if (filename != null) {
			if (name !== RECEIPT_FIELD || file) throw new PaymentError('file_type')
			if (bytes.byteLength) file = new Uint8Array(bytes)
			return null
		}
		return bytes.toString('utf8')
	}
	const limited = new Request(request.url, { method: request.method, headers: request.headers, body: limitedBody(request.body, MAX_BODY_BYTES), duplex: 'half' } as RequestInit)
	let form: FormData
	try {
		form = await unstable_parseMultipartFormData(limited, handler)
	} catch (e) {
		if (e instanceof PaymentError) throw await refusal(request, 415, `receipts.errors.${e.code}`)
		if (tooBig || e instanceof TooBig || (e as { cause?: unknown })?.cause instanceof TooBig) throw await refusal(request, 413, 'receipts.errors.file_too_big')
		throw await refusal(request, 400, 'errors.brokenBody')
	}
	const fields: Record<string, string> = {}
	for (const [k, v] of form.entries()) if (typeof v === 'string') fields[k] = v
	return { fields, file }
}

async function refusal(request: Request, status: number, key: string) {
	const t = await getT(request)
	return new Response(t(key), { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}
