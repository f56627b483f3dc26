// Amounts in Persian words ("یک میلیون و دویست هزار تومان"), as Iranian buyers read prices and
// as the selling bots print them: a misplaced zero is obvious in words and easy to miss in digits.
const ONES = ['', 'یک', 'دو', 'سه', 'چهار', 'پنج', 'شش', 'هفت', 'هشت', 'نه']
const TEENS = ['ده', 'یازده', 'دوازده', 'سیزده', 'چهارده', 'پانزده', 'شانزده', 'هفده', 'هجده', 'نوزده']
const TENS = ['', '', 'بیست', 'سی', 'چهل', 'پنجاه', 'شصت', 'هفتاد', 'هشتاد', 'نود']
const HUNDREDS = ['', 'صد', 'دویست', 'سیصد', 'چهارصد', 'پانصد', 'ششصد', 'هفتصد', 'هشتصد', 'نهصد']
const SCALES = ['', 'هزار', 'میلیون', 'میلیارد', 'هزار میلیارد']

function below1000(n: number) {
	const parts: string[] = []
	const h = Math.floor(n / 100)
	const rest = n % 100
	if (h) parts.push(HUNDREDS[h]!)
	if (rest >= 10 && rest < 20) parts.push(TEENS[rest - 10]!)
	else {
		const t = Math.floor(rest / 10)
		const o = rest % 10
		if (t) parts.push(TENS[t]!)
		if (o) parts.push(ONES[o]!)
	}
	return parts.join(' و ')
}

/** A whole number in Persian words; past the largest scale the digits are returned as they are. */
export function persianWords(value: bigint): string {
	if (value === 0n) return 'صفر'
	if (value < 0n) return `منفی ${persianWords(-value)}`
	const groups: number[] = []
	for (let v = value; v > 0n; v /= 1000n) groups.push(Number(v % 1000n))
	if (groups.length > SCALES.length) return value.toString()
	return groups
		// «هزار», not «یک هزار», as people say it; «یک میلیون» keeps its «یک».
		.map((g, i) => (!g ? '' : i === 1 && g === 1 ? 'هزار' : `${below1000(g)}${SCALES[i] ? ` ${SCALES[i]}` : ''}`))
		.filter(Boolean)
		.reverse()
		.join(' و ')
}

/**
 * A Rial or Toman amount in Persian words, always in Toman (the unit people say), or null for
 * other currencies and for a Rial amount that is not a whole number of Toman.
 */
export function tomanWords(minor: bigint, currency: string): string | null {
	if (currency === 'IRT') return `${persianWords(minor)} تومان`
	if (currency === 'IRR' && minor % 10n === 0n) return `${persianWords(minor / 10n)} تومان`
	return null
}
