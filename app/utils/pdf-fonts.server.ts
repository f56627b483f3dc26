// The Persian font every PDF uses (invoices, statements): Vazirmatn from its npm package, registered
// with @react-pdf/renderer once per process at first use (nothing is downloaded at run time).
import { createRequire } from 'node:module'
import path from 'node:path'
import { Font } from '@react-pdf/renderer'

export function registerPdfFonts() {
	if (Font.getRegisteredFontFamilies().includes('Vazirmatn')) return
	const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('vazirmatn/package.json')), 'fonts', 'ttf')
	Font.register({
		family: 'Vazirmatn',
		fonts: [
			{ src: path.join(dir, 'Vazirmatn-Regular.ttf'), fontWeight: 'normal' },
			{ src: path.join(dir, 'Vazirmatn-Bold.ttf'), fontWeight: 'bold' },
		],
	})
	// Words are never hyphenated (the default hyphenator is English-only and would split Persian).
	Font.registerHyphenationCallback((word) => [word])
}
