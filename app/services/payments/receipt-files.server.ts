// Receipt files (issue 11): images are decoded and re-encoded with sharp — which drops EXIF (GPS,
// device) and anything hidden after the image data, and caps the size at 2,000 px — so what we
// store and show is pixels we produced. PDFs cannot be re-encoded here: they are accepted only
// with a %PDF header and without JavaScript or automatic actions, looked for in the raw bytes and
// inside every Flate-compressed stream (object streams hide dictionaries there), with #xx name
// escapes decoded (/J#61vaScript is /JavaScript). Anything else is refused with a clear code.
import { createHash } from 'node:crypto'
import { inflateSync } from 'node:zlib'
import sharp from 'sharp'
import { PaymentError } from './errors'

export const MAX_RECEIPT_BYTES = 5 * 1024 * 1024
export const MAX_SIDE_PX = 2000
/** Refuse decompression bombs before decoding: a 5 MB PNG can claim a gigapixel. */
const MAX_INPUT_PIXELS = 50_000_000
const IMAGE_FORMATS = new Set(['jpeg', 'png', 'webp', 'heif', 'avif', 'gif', 'tiff'])

export interface ReceiptFile {
	/** SHA-256 (hex) of the bytes as uploaded: the duplicate key. */
	sha256: string
	mime: 'image/webp' | 'application/pdf'
	bytes: Uint8Array
}

export async function prepareReceipt(input: Uint8Array): Promise<ReceiptFile> {
	if (input.byteLength === 0) throw new PaymentError('file_missing')
	if (input.byteLength > MAX_RECEIPT_BYTES) throw new PaymentError('file_too_big')
	const sha256 = createHash('sha256').update(input).digest('hex')
	if (isPdf(input)) {
		checkPdf(input)
		return { sha256, mime: 'application/pdf', bytes: input }
	}
	return { sha256, mime: 'image/webp', bytes: await reencode(input) }
}

async function reencode(input: Uint8Array) {
	let format: string | undefined
	try {
		format = (await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format
	} catch {
		throw new PaymentError('file_type')
	}
	if (!format || !IMAGE_FORMATS.has(format)) throw new PaymentError('file_type')
	try {
		// failOn 'truncated': a cut-off JPEG/PNG is refused instead of stored half grey.
		return new Uint8Array(
			await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated', animated: false })
				.rotate() // apply the EXIF orientation before the metadata is dropped
				.resize({ width: MAX_SIDE_PX, height: MAX_SIDE_PX, fit: 'inside', withoutEnlargement: true })
				.webp({ quality: 82 })
				.toBuffer(),
		)
	} catch {
		throw new PaymentError('file_broken')
	}
}

const PDF_MAGIC = Buffer.from('%PDF-')

function isPdf(b: Uint8Array) {
	// The spec allows junk before the header within the first 1024 bytes; readers accept it.
	return Buffer.from(b.subarray(0, 1024)).includes(PDF_MAGIC)
}

/**
 * Anything that runs or fetches: /JS and /JavaScript (also what an /OpenAction or /AA would run),
 * /Launch, /ImportData, /SubmitForm, embedded files, rich media and XFA forms. A bank receipt has
 * none of them; plain /OpenAction to a page and /URI links stay allowed.
 */
const ACTIVE = /\/(JS|JavaScript|Launch|ImportData|SubmitForm|EmbeddedFile|RichMedia|XFA)\b/

function checkPdf(b: Uint8Array) {
	const raw = Buffer.from(b)
	if (!raw.includes(Buffer.from('%%EOF'))) throw new PaymentError('file_broken')
	for (const text of [latin1(raw), ...inflatedStreams(raw)]) {
		const names = text.replace(/#([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
		if (ACTIVE.test(names)) throw new PaymentError('pdf_script')
	}
}

const latin1 = (b: Buffer) => b.toString('latin1')

/** The contents of every stream that inflates (Flate); others (images) are left alone. */
function inflatedStreams(raw: Buffer): string[] {
	const out: string[] = []
	let from = 0
	let total = 0
	for (;;) {
		const start = raw.indexOf('stream', from, 'latin1')
		if (start < 0) break
		let body = start + 6
		if (raw[body] === 0x0d) body++
		if (raw[body] === 0x0a) body++
		const end = raw.indexOf('endstream', body, 'latin1')
		if (end < 0) break
		from = end + 9
		try {
			// maxOutputLength: a zip bomb inside a 5 MB PDF stops here instead of filling memory
			const text = inflateSync(raw.subarray(body, end), { maxOutputLength: 20 * 1024 * 1024, finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString('latin1')
			total += text.length
			if (total > 50 * 1024 * 1024) throw new PaymentError('file_broken')
			out.push(text)
		} catch (e) {
			if (e instanceof PaymentError) throw e
			// not Flate (or not compressed at all): the raw scan already covered it
		}
	}
	return out
}
