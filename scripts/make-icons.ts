// One-off: draws the app icons in public/ (no image library is a dependency). A shield on the
// indigo accent, supersampled for smooth edges, written as PNG with node:zlib; favicon.ico wraps
// PNGs (allowed since Windows Vista, read by every browser). Run: node_modules/.bin/tsx scripts/make-icons.ts
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const BG = [79, 70, 229] // indigo-600, the default accent
const FG = [255, 255, 255]

/** The shield in unit coordinates (0..1): flat top with rounded shoulders, pointed bottom. */
function inShield(x: number, y: number) {
	const top = 0.22, bottom = 0.8, left = 0.27, right = 0.73
	if (y < top || y > bottom) return false
	const mid = 0.5
	const body = 0.55 // straight sides down to here, then a curve to the point
	const half = (right - left) / 2
	if (y <= body) return Math.abs(x - mid) <= half
	const t = (y - body) / (bottom - body)
	return Math.abs(x - mid) <= half * Math.sqrt(1 - t * t)
}

/** Inner cut-out: a check mark stroke inside the shield reads as "guarded". */
function inCheck(x: number, y: number) {
	const seg = (ax: number, ay: number, bx: number, by: number) => {
		const dx = bx - ax, dy = by - ay
		const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
		return Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) < 0.035
	}
	return seg(0.39, 0.48, 0.47, 0.57) || seg(0.47, 0.57, 0.62, 0.39)
}

function inRoundedSquare(x: number, y: number, r: number) {
	const cx = Math.min(Math.max(x, r), 1 - r), cy = Math.min(Math.max(y, r), 1 - r)
	return Math.hypot(x - cx, y - cy) <= r
}

function render(size: number, { rounded }: { rounded: boolean }) {
	const px = Buffer.alloc(size * size * 4)
	const ss = 4
	for (let py = 0; py < size; py++)
		for (let pxi = 0; pxi < size; pxi++) {
			let bg = 0, fg = 0
			for (let sy = 0; sy < ss; sy++)
				for (let sx = 0; sx < ss; sx++) {
					const x = (pxi + (sx + 0.5) / ss) / size, y = (py + (sy + 0.5) / ss) / size
					if (rounded && !inRoundedSquare(x, y, 0.18)) continue
					if (inShield(x, y) && !inCheck(x, y)) fg++
					else bg++
				}
			const n = ss * ss, cover = (bg + fg) / n
			const i = (py * size + pxi) * 4
			for (let c = 0; c < 3; c++) px[i + c] = bg + fg ? Math.round((BG[c]! * bg + FG[c]! * fg) / (bg + fg)) : 0
			px[i + 3] = Math.round(cover * 255)
		}
	return png(size, size, px)
}

const CRC = new Int32Array(256).map((_, n) => {
	let c = n
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
	return c
})
function crc32(buf: Buffer) {
	let c = -1
	for (const b of buf) c = CRC[(c ^ b) & 0xff]! ^ (c >>> 8)
	return (c ^ -1) >>> 0
}
function chunk(type: string, data: Buffer) {
	const len = Buffer.alloc(4)
	len.writeUInt32BE(data.length)
	const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
	const crc = Buffer.alloc(4)
	crc.writeUInt32BE(crc32(td))
	return Buffer.concat([len, td, crc])
}
function png(w: number, h: number, rgba: Buffer) {
	const ihdr = Buffer.alloc(13)
	ihdr.writeUInt32BE(w, 0)
	ihdr.writeUInt32BE(h, 4)
	ihdr.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA
	const raw = Buffer.alloc((w * 4 + 1) * h)
	for (let y = 0; y < h; y++) rgba.copy(raw, y * (w * 4 + 1) + 1, y * w * 4, (y + 1) * w * 4)
	return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
}
function ico(images: Array<{ size: number; data: Buffer }>) {
	const header = Buffer.alloc(6 + 16 * images.length)
	header.writeUInt16LE(1, 2)
	header.writeUInt16LE(images.length, 4)
	let offset = header.length
	images.forEach(({ size, data }, i) => {
		const e = 6 + 16 * i
		header[e] = size % 256
		header[e + 1] = size % 256
		header.writeUInt16LE(1, e + 4)
		header.writeUInt16LE(32, e + 6)
		header.writeUInt32LE(data.length, e + 8)
		header.writeUInt32LE(offset, e + 12)
		offset += data.length
	})
	return Buffer.concat([header, ...images.map((i) => i.data)])
}

writeFileSync('public/icon-192.png', render(192, { rounded: false }))
writeFileSync('public/icon-512.png', render(512, { rounded: false }))
writeFileSync('public/apple-touch-icon.png', render(180, { rounded: false }))
writeFileSync('public/favicon.ico', ico([16, 32, 48].map((size) => ({ size, data: render(size, { rounded: true }) }))))
console.log('icons written to public/')
