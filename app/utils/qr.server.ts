// QR codes rendered on the server as SVG data URLs: they show without JavaScript and the page
// needs no QR library in the browser.
import QRCode from 'qrcode'

export async function qrDataUrl(text: string) {
	const svg = await QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
	return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}
