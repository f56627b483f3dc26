// Receipt files through the real payer route: images re-encoded (EXIF gone, ≤ 2,000 px, WebP),
// clean PDFs kept; wrong types, a 20 MB upload, a truncated image and PDFs with scripts (plain,
// #-escaped, hidden in a compressed stream) are refused with a translated 4xx and nothing stored.
import { deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { beforeAll, describe, expect, test } from 'vitest'
import { prisma } from '~/utils/db.server'
import { irrReseller, makeCard, receiptFields, startTopUp, submitThroughRoute } from './receipts-fixtures'

let payer: Awaited<ReturnType<typeof irrReseller>>
let paymentId: bigint
let code = 5000
beforeAll(async () => {
	await makeCard()
	payer = await irrReseller()
	paymentId = await startTopUp(payer.cookie, 1_000_000n)
})

const send = (file: Uint8Array | null, name = 'receipt.png', type = 'image/png') => submitThroughRoute(payer.cookie, paymentId, receiptFields(1_000_000n, `F-${++code}`), file, name, type)
const nothingStored = async () => {
	expect(await prisma.paymentFile.count({ where: { paymentId } })).toBe(0)
	expect((await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } })).status).toBe('awaiting_transfer')
}

function pdf(body: string) {
	return new Uint8Array(Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R ${body} >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1'))
}
function pdfWithStream(content: Buffer) {
	return new Uint8Array(Buffer.concat([Buffer.from(`%PDF-1.7\n3 0 obj\n<< /Type /ObjStm /Filter /FlateDecode /Length ${content.length} >>\nstream\n`, 'latin1'), content, Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1')]))
}

describe('refused, with a translated 4xx and nothing stored', () => {
	test.each([
		['a text file named .png', () => new Uint8Array(Buffer.from('just some text, not an image')), 415, 'file_type'],
		['an HTML page', () => new Uint8Array(Buffer.from('<html><script>alert(1)</script></html>')), 415, 'file_type'],
		['a PDF with /JavaScript', () => pdf('/OpenAction << /S /JavaScript /JS (app.alert(1)) >>'), 400, 'pdf_script'],
		['a PDF with #-escaped /J#61vaScript', () => pdf('/OpenAction << /S /J#61vaScript /J#53 (x) >>'), 400, 'pdf_script'],
		['a PDF whose script hides in a Flate stream', () => pdfWithStream(deflateSync(Buffer.from('<< /S /JavaScript /JS (app.alert(1)) >>'))), 400, 'pdf_script'],
		['a PDF with /Launch', () => pdf('/OpenAction << /S /Launch /F (cmd.exe) >>'), 400, 'pdf_script'],
		['a PDF cut before %%EOF', () => new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog')), 400, 'file_broken'],
	])('%s', async (_name, make, status, failure) => {
		const r = await send(make(), 'receipt.pdf', 'application/pdf')
		expect(r.status).toBe(status)
		expect(r.data.failure.code).toBe(failure)
		await nothingStored()
	})

	test('a truncated JPEG', async () => {
		const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 10, b: 10 } } }).jpeg().toBuffer()
		const r = await send(new Uint8Array(jpeg.subarray(0, Math.floor(jpeg.length / 2))), 'receipt.jpg', 'image/jpeg')
		expect(r.status).toBe(400)
		expect(r.data.failure.code).toBe('file_broken')
		await nothingStored()
	})

	test('a 20 MB upload is cut off at the limit: 413 with the translated message', async () => {
		const big = new Uint8Array(20 * 1024 * 1024)
		big.set(Buffer.from('%PDF-1.7\n'))
		const r = await send(big, 'receipt.pdf', 'application/pdf')
		expect(r.status).toBe(413)
		expect(await r.response!.text()).toBe('The file is larger than 5 MB.')
		await nothingStored()
	})

	test('no file, or not multipart at all', async () => {
		const r = await send(null)
		expect(r.status).toBe(400)
		expect(r.data.failure.code).toBe('file_missing')
		await nothingStored()
	})
})

describe('accepted', () => {
	test('an image is re-encoded: EXIF gone, at most 2,000 px, WebP; the hash is of the upload', async () => {
		const original = await sharp({ create: { width: 3000, height: 1200, channels: 3, background: { r: 1, g: 2, b: 3 } } })
			.withExif({ IFD0: { Make: 'SpyCam', Model: 'GPS 3000', Copyright: 'secret' } })
			.jpeg()
			.toBuffer()
		expect((await sharp(original).metadata()).exif).toBeDefined()
		const r = await send(new Uint8Array(original), 'photo.jpg', 'image/jpeg')
		expect(r.status).toBe(302)
		const p = await prisma.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { receiptFile: true } })
		const stored = p.receiptFile!
		expect(stored.mime).toBe('image/webp')
		const meta = await sharp(Buffer.from(stored.bytes!)).metadata()
		expect(meta).toMatchObject({ format: 'webp', width: 2000, height: 800 })
		expect(meta.exif).toBeUndefined()
		expect(Buffer.from(stored.bytes!).includes(Buffer.from('SpyCam'))).toBe(false)
		const { createHash } = await import('node:crypto')
		expect(p.receiptSha256).toBe(createHash('sha256').update(original).digest('hex'))
	})

	test('a clean PDF is kept as it is', async () => {
		const other = await startTopUp(payer.cookie, 1_200_000n)
		const file = pdf('/OpenAction [2 0 R /Fit]')
		const r = await submitThroughRoute(payer.cookie, other, receiptFields(1_200_000n, `F-${++code}`), file, 'bank.pdf', 'application/pdf')
		expect(r.status).toBe(302)
		const stored = (await prisma.payment.findUniqueOrThrow({ where: { id: other }, include: { receiptFile: true } })).receiptFile!
		expect(stored.mime).toBe('application/pdf')
		expect(Buffer.from(stored.bytes!).equals(Buffer.from(file))).toBe(true)
	})
})
