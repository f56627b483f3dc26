// Intl formatters, built once per locale and options. Constructing one costs far more than
// formatting with it (the persian calendar most of all): a customer list of 50 rows built two per
// row, which was most of the page's server time (issue 16, "find where the time goes").
const cache = new Map<string, unknown>()

function cached<T>(kind: string, locale: string, opts: object, make: () => T): T {
	const key = `${kind}|${locale}|${JSON.stringify(opts)}`
	let f = cache.get(key) as T | undefined
	if (f === undefined) cache.set(key, (f = make()))
	return f
}

export const dateTimeFormat = (locale: string, opts: Intl.DateTimeFormatOptions = {}) => cached('dt', locale, opts, () => new Intl.DateTimeFormat(locale, opts))
export const numberFormat = (locale: string, opts: Intl.NumberFormatOptions = {}) => cached('n', locale, opts, () => new Intl.NumberFormat(locale, opts))
export const relativeTimeFormat = (locale: string, opts: Intl.RelativeTimeFormatOptions = {}) => cached('rt', locale, opts, () => new Intl.RelativeTimeFormat(locale, opts))
export const listFormat = (locale: string, opts: Intl.ListFormatOptions = {}) => cached('l', locale, opts, () => new Intl.ListFormat(locale, opts))
