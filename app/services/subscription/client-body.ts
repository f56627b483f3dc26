// One body per client format, from the customer's share links.
import { renderClash } from './clash'
import type { ClientFormat } from './client-format'
import { parseShareLinks } from './share-links'
import { renderSingbox } from './singbox'

export function renderClientBody(links: readonly string[], format: ClientFormat): string {
	switch (format) {
		case 'base64':
			return Buffer.from(links.join('\n')).toString('base64')
		case 'links':
			return links.join('\n')
		case 'clash':
			return renderClash(parseShareLinks(links), { meta: false })
		case 'clash-meta':
			return renderClash(parseShareLinks(links), { meta: true })
		case 'sing-box':
			return renderSingbox(parseShareLinks(links))
	}
}
