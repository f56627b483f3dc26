// A small PDF text extractor for tests (no parser is in node_modules): inflate every stream
// (zlib), read each font's ToUnicode CMap, and decode the hex glyph strings of the content
// streams' Tj/TJ operators through the CMap of the font selected by Tf. Each BT…ET block gives
// one run, in the order the glyphs are drawn (visual order, left to right). Also returns, per
// Unicode character, the distinct glyph ids that drew it (contextual shaping uses several).
import { inflateSync } from 'node:zlib'

type CMap = Map<number, string>

function objects(pdf: Buffer) {
	const text = pdf.toString('latin1')
	const out = new Map<number, { dict: string; stream: Buffer | null }>()
	const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g
	let m: RegExpExecArray | null
	while ((m = re.exec(text))) {
		const body = m[2]!
		const si = body.indexOf('stream')
		let stream: Buffer | null = null
		let dict = body
		if (si >= 0) {
			dict = body.slice(0, si)
			const start = m.index + m[0].indexOf(body) + si + 'stream'.length
			let s = start
			if (text[s] === '\r') s++
			if (text[s] === '\n') s++
			const end = text.indexOf('endstream', s)
			const raw = pdf.subarray(s, end)
			try {
				stream = /FlateDecode/.test(dict) ? inflateSync(raw) : raw
			} catch {
				stream = raw
			}
		}
		out.set(Number(m[1]), { dict, stream })
	}
	return out
}

function parseCMap(src: string): CMap {
	const map: CMap = new Map()
	const hexToStr = (raw: string) => {
		const h = raw.replace(/\s+/g, '')
		let s = ''
		for (let i = 0; i < h.length; i += 4) s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16))
		return s
	}
	for (const block of src.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) for (const p of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) map.set(parseInt(p[1]!, 16), hexToStr(p[2]!))
	for (const block of src.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
		for (const p of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]+>)/g)) {
			const lo = parseInt(p[1]!, 16)
			const hi = parseInt(p[2]!, 16)
			if (p[3]!.startsWith('[')) [...p[3]!.matchAll(/<([0-9a-fA-F\s]+)>/g)].forEach((d, i) => map.set(lo + i, hexToStr(d[1]!)))
			else {
				const base = hexToStr(p[3]!.slice(1, -1))
				for (let c = lo; c <= hi; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + (c - lo)))
			}
		}
	}
	return map
}

export function pdfText(pdf: Buffer) {
	const objs = objects(pdf)
	// font resource name → CMap, from every page's /Font dictionary
	const fontMaps = new Map<string, CMap>()
	for (const { dict } of objs.values()) {
		const fonts = /\/Font\s*<<([\s\S]*?)>>/.exec(dict)
		if (!fonts) continue
		for (const f of fonts[1]!.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
			const font = objs.get(Number(f[2]))
			const tu = font && /\/ToUnicode\s+(\d+) 0 R/.exec(font.dict)
			const cmap = tu && objs.get(Number(tu[1]))?.stream
			if (cmap) fontMaps.set(f[1]!, parseCMap(cmap.toString('latin1')))
		}
	}
	const runs: string[] = []
	const glyphsOf = new Map<string, Set<string>>()
	for (const { dict, stream } of objs.values()) {
		if (!stream || /ToUnicode|Subtype\s*\/(Image|Type0|CIDFontType2)|Length1/.test(dict)) continue
		const content = stream.toString('latin1')
		if (!/BT[\s\S]*ET/.test(content)) continue
		for (const bt of content.matchAll(/BT([\s\S]*?)ET/g)) {
			let font: string | null = null
			let run = ''
			for (const op of bt[1]!.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|(\[[^\]]*\]|<[0-9a-fA-F]*>)\s*T[Jj]/g)) {
				if (op[1]) font = op[1]
				else if (font && fontMaps.has(font)) {
					const map = fontMaps.get(font)!
					for (const h of op[2]!.matchAll(/<([0-9a-fA-F]*)>/g)) {
						for (let i = 0; i < h[1]!.length; i += 4) {
							const gid = h[1]!.slice(i, i + 4)
							const ch = map.get(parseInt(gid, 16)) ?? '\uFFFD'
							run += ch
							if (!glyphsOf.has(ch)) glyphsOf.set(ch, new Set())
							glyphsOf.get(ch)!.add(`${font}:${gid}`)
						}
					}
				}
			}
			if (run) runs.push(run)
		}
	}
	return { runs, text: runs.join('\n'), glyphsOf }
}
