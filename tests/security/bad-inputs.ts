// The classes of bad input every route must answer with a 4xx (or ignore), never a 500. Each case
// builds a fresh Request (a body can be read once).
import { BASE } from '../helpers'

export const MB = 'x'.repeat(1024 * 1024)
const NUL = 'a\u0000b'
const BIDI = 'abc\u202Edcba\u2066x'

/** Values that are never valid anywhere: every field of a case gets the same one. */
export const BAD_VALUES: Array<[string, string]> = [
	['NUL', NUL],
	['bidi controls', BIDI],
	['int32 overflow', '2147483648'],
	['huge number', '99999999999999999999999999'],
	['negative', '-1'],
	['float', '1.5'],
	['exponent', '1e400'],
	['NaN', 'NaN'],
	['Persian digits out of range', '۹۹۹۹۹۹۹۹۹۹۹'],
	['Persian negative', '-۱'],
	['Persian decimal', '۱٫۵'],
	['percent junk', '%E0%A4%A'],
]

/** Values for a URL's dynamic segment that name no row. */
export const BAD_PARAMS: Array<[string, string]> = [
	['int32 overflow', '2147483648'],
	['huge number', '99999999999'],
	['negative', '-1'],
	['zero', '0'],
	['float', '1.5'],
	['exponent', '1e3'],
	['Persian digits out of range', '۹۹۹۹۹۹۹۹۹۹۹'],
	['word', 'abc'],
	['NUL', NUL],
	['bidi', BIDI],
	['1 MB', MB],
]

export interface Case {
	label: string
	request: () => Request
	/** A case whose body is valid form data with the given intent (for the field-less-intent rule). */
	intent?: string | null
}

function post(path: string, cookie: string | undefined, contentType: string | null, body: BodyInit | null) {
	const headers = new Headers({ 'X-Forwarded-For': '198.51.100.23' })
	if (contentType) headers.set('Content-Type', contentType)
	if (cookie) headers.set('Cookie', cookie)
	return new Request(`${BASE}${path}`, { method: 'POST', headers, body })
}

const urlencoded = (entries: Array<[string, string]>) => new URLSearchParams(entries).toString()

/** Bodies that are not form data at all: the content-type cases. */
export function wrongBodyCases(path: string, cookie: string | undefined, intent: string): Case[] {
	return [
		{ label: 'JSON body', request: () => post(path, cookie, 'application/json', JSON.stringify({ intent, id: 1 })) },
		{ label: 'text/plain body', request: () => post(path, cookie, 'text/plain', `intent=${intent}`) },
		{ label: 'no content type', request: () => post(path, cookie, null, `intent=${intent}`) },
		{ label: 'broken multipart', request: () => post(path, cookie, 'multipart/form-data; boundary=XYZ', `--XYZ\r\nContent-Disposition: form-data; name="intent"\r\n\r\n${intent}`) },
		{ label: 'multipart without boundary', request: () => post(path, cookie, 'multipart/form-data', `intent=${intent}`) },
		{ label: 'multipart, garbage', request: () => post(path, cookie, 'multipart/form-data; boundary=XYZ', '\u0000\u0001garbage') },
	]
}

const bodyCache = new Map<string, string>()
/** Form-encoded bodies with bad values for one intent (null: no intent field at all). */
export function badFieldCases(path: string, cookie: string | undefined, intent: string | null, fields: string[]): Case[] {
	const others = fields.filter((f) => f !== 'intent')
	const withIntent = (entries: Array<[string, string]>): Array<[string, string]> => (intent === null ? entries : [['intent', intent], ...entries])
	const cases: Case[] = [
		{ label: 'missing fields', request: () => post(path, cookie, 'application/x-www-form-urlencoded', urlencoded(withIntent([]))) },
		...BAD_VALUES.map(([label, v]): Case => ({ label, request: () => post(path, cookie, 'application/x-www-form-urlencoded', urlencoded(withIntent(others.map((f) => [f, v])))) })),
		{ label: 'repeated fields', request: () => post(path, cookie, 'application/x-www-form-urlencoded', urlencoded(withIntent(others.flatMap((f): Array<[string, string]> => [[f, 'x'], [f, '2147483648']])))) },
		{
			label: '1 MB strings',
			request: () => {
				const key = `${intent}|${others.join(',')}`
				let body = bodyCache.get(key)
				if (!body) bodyCache.set(key, (body = urlencoded(withIntent(others.map((f) => [f, MB])))))
				return post(path, cookie, 'application/x-www-form-urlencoded', body)
			},
		},
		{
			label: 'files where text belongs (multipart)',
			request: () => {
				const fd = new FormData()
				if (intent !== null) fd.append('intent', intent)
				for (const f of others) fd.append(f, new Blob(['\u0000junk'], { type: 'application/octet-stream' }), 'junk.bin')
				return post(path, cookie, null, fd)
			},
		},
	]
	if (intent !== null) {
		cases.push({
			label: 'intent sent as a file',
			request: () => {
				const fd = new FormData()
				fd.append('intent', new Blob([intent]), 'intent.txt')
				return post(path, cookie, null, fd)
			},
		})
	}
	return cases.map((c) => ({ ...c, label: `${intent === null ? 'no intent' : `intent=${intent}`}: ${c.label}`, intent }))
}

/** GET requests with each bad value in every query key the loader reads. */
export function badQueryCases(path: string, cookie: string | undefined, keys: string[]): Case[] {
	const get = (qs: string) => () => new Request(`${BASE}${path}${qs ? `?${qs}` : ''}`, { headers: cookie ? { Cookie: cookie } : {} })
	const all = [...new Set([...keys, 'q', 'after'])]
	return [
		{ label: 'no query', request: get('') },
		...[...BAD_VALUES, ['1 MB', MB] as [string, string]].map(([label, v]): Case => ({ label: `query: ${label}`, request: get(urlencoded(all.map((k) => [k, v]))) })),
		{ label: 'query: raw %00', request: get(all.map((k) => `${k}=%00`).join('&')) },
		{ label: 'query: repeated keys', request: get(urlencoded(all.flatMap((k): Array<[string, string]> => [[k, '1'], [k, '2147483648']]))) },
	]
}
