// A QR code as inline SVG, drawn while rendering (server and browser alike): it shows without
// JavaScript, needs no data: URL and no loader round trip. qrcode's `create` is synchronous and
// exists in its browser build too.
import QRCode from 'qrcode'
import { useMemo } from 'react'

/** One path of horizontal runs: small markup even for a long share link. */
function qrPath(value: string) {
	const { modules } = QRCode.create(value, { errorCorrectionLevel: 'M' })
	const size = modules.size
	let d = ''
	for (let y = 0; y < size; y++) {
		let x = 0
		while (x < size) {
			if (!modules.data[y * size + x]) {
				x++
				continue
			}
			const start = x
			while (x < size && modules.data[y * size + x]) x++
			d += `M${start + 2} ${y + 2}h${x - start}v1h-${x - start}z`
		}
	}
	return { d, size: size + 4 }
}

export function QrCode({ value, label, className }: { value: string; label: string; className?: string }) {
	const { d, size } = useMemo(() => qrPath(value), [value])
	return (
		<svg role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} shapeRendering="crispEdges" className={className} data-testid="qr">
			{/* Always black on white, also in dark mode: scanners need the contrast. */}
			<rect width={size} height={size} fill="#fff" />
			<path d={d} fill="#000" />
		</svg>
	)
}
