// Must match ACCENTS in preferences.server.ts and the [data-accent] rules in tailwind.css.
export const ACCENT_SWATCHES = [
	{ name: 'indigo', hex: '#4f46e5' },
	{ name: 'emerald', hex: '#059669' },
	{ name: 'rose', hex: '#e11d48' },
	{ name: 'amber', hex: '#d97706' },
	{ name: 'sky', hex: '#0284c7' },
	{ name: 'violet', hex: '#7c3aed' },
] as const
