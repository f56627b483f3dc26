// Measured text contrast (WCAG 2 ratio) of what the browser actually paints: every element with
// its own text, every form field and every SVG label, against the background it sits on. Colours
// are read back through a 1×1 canvas, because Tailwind 4 computes colours as oklch() and
// translucent layers (bg-accent/10, ring-…/20) only have a value once composited: the canvas does
// the compositing, from <html> down to the element, as the page paints it.
import type { Page } from '@playwright/test'

export interface LowContrast {
	/** A short description of the element: tag, test id, first classes, its text. */
	where: string
	ratio: number
	needed: number
	color: string
	background: string
}

/** Everything inside `scope` (a CSS selector, default the whole page) that reads below WCAG AA. */
export function lowContrast(page: Page, scope = 'body'): Promise<LowContrast[]> {
	return page.evaluate((scope) => {
		const canvas = document.createElement('canvas')
		canvas.width = canvas.height = 1
		const ctx = canvas.getContext('2d', { willReadFrequently: true })!
		const paint = (colors: string[]) => {
			ctx.globalCompositeOperation = 'source-over'
			ctx.fillStyle = '#fff' // the canvas behind every page
			ctx.fillRect(0, 0, 1, 1)
			for (const c of colors) {
				ctx.fillStyle = c
				ctx.fillRect(0, 0, 1, 1)
			}
			const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data
			return [r!, g!, b!] as const
		}
		const luminance = ([r, g, b]: readonly number[]) => {
			const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
			return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!)
		}
		const backgrounds = (el: Element) => {
			const chain: string[] = []
			for (let e: Element | null = el; e; e = e.parentElement) {
				// SVG shapes are not backgrounds; an SVG's own box is transparent
				if (!(e instanceof SVGElement)) chain.unshift(getComputedStyle(e).backgroundColor)
			}
			return chain
		}
		const visible = (el: Element) => {
			const r = el.getBoundingClientRect()
			// 1 px boxes are screen-reader-only text (the skip link)
			if (r.width <= 1 || r.height <= 1) return false
			// display, visibility, a closed <details> (its content is skipped, not removed) and
			// translucent layers (disabled buttons): text nobody reads at that contrast
			if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false
			for (let e: Element | null = el; e; e = e.parentElement) if (Number(getComputedStyle(e).opacity) < 0.99) return false
			return true
		}
		const ownText = (el: Element) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '')
		const targets = new Set<Element>()
		for (const el of document.querySelectorAll(`${scope} *`)) {
			if (el.closest('[aria-hidden="true"], script, style, noscript, option')) continue
			const field = (el instanceof HTMLInputElement && !['hidden', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'button'].includes(el.type) && el.value !== '') || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement
			if ((field || el instanceof SVGTextElement || ownText(el)) && visible(el)) targets.add(el)
		}
		const out: Array<{ where: string; ratio: number; needed: number; color: string; background: string }> = []
		for (const el of targets) {
			const s = getComputedStyle(el)
			const bg = backgrounds(el)
			const under = paint(bg)
			const ink = paint([...bg, el instanceof SVGTextElement ? s.fill : s.color])
			const [a, b] = [luminance(under), luminance(ink)]
			const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
			// WCAG "large text": 24 px, or 18.66 px bold. SVG labels are measured as drawn (scaled).
			const px = el instanceof SVGTextElement ? el.getBoundingClientRect().height / 1.2 : parseFloat(s.fontSize)
			const large = px >= 24 || (px >= 18.66 && Number(s.fontWeight) >= 700)
			const needed = large ? 3 : 4.5
			if (ratio + 0.005 < needed) {
				const id = el.getAttribute('data-testid')
				const cls = (el.getAttribute('class') ?? '').split(/\s+/).slice(0, 6).join('.')
				const text = (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement ? el.value : el.textContent ?? '').trim().slice(0, 40)
				out.push({ where: `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''}${cls ? `.${cls}` : ''} "${text}"`, ratio: Math.round(ratio * 100) / 100, needed, color: `rgb(${ink.join(',')})`, background: `rgb(${under.join(',')})` })
			}
		}
		return out
	}, scope)
}
