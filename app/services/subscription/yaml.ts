// A YAML writer for the Clash profile, small on purpose: block mappings and sequences, every
// string double-quoted with JSON escapes (valid YAML 1.2 and read the same by go-yaml, which Clash
// and mihomo use), so a remark with `#`, `: ` or Persian text can never change the structure.
// No library: the /sub fast path runs on every poll and this is all it needs.

export type YamlValue = string | number | boolean | null | undefined | YamlValue[] | { [key: string]: YamlValue }

const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9_-]*$/

const key = (k: string) => (PLAIN_KEY.test(k) ? k : JSON.stringify(k))

function scalar(v: string | number | boolean | null) {
	if (v === null) return 'null'
	if (typeof v === 'string') return JSON.stringify(v)
	return String(v)
}

const isBlock = (v: YamlValue): v is YamlValue[] | { [key: string]: YamlValue } => typeof v === 'object' && v !== null

function isEmpty(v: YamlValue[] | { [key: string]: YamlValue }) {
	return Array.isArray(v) ? v.length === 0 : Object.values(v).every((x) => x === undefined)
}

function write(value: YamlValue, indent: string, out: string[]) {
	if (Array.isArray(value)) {
		for (const item of value) {
			if (item === undefined) continue
			if (isBlock(item) && !isEmpty(item)) {
				// "- " then the first line of the block on the same line, the rest indented under it.
				const inner: string[] = []
				write(item, `${indent}  `, inner)
				out.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1))
			} else out.push(`${indent}- ${isBlock(item) ? (Array.isArray(item) ? '[]' : '{}') : scalar(item)}`)
		}
		return
	}
	if (isBlock(value)) {
		for (const [k, v] of Object.entries(value)) {
			if (v === undefined) continue
			if (isBlock(v) && !isEmpty(v)) {
				out.push(`${indent}${key(k)}:`)
				write(v, Array.isArray(v) ? indent : `${indent}  `, out)
			} else out.push(`${indent}${key(k)}: ${isBlock(v) ? (Array.isArray(v) ? '[]' : '{}') : scalar(v)}`)
		}
	}
}

/** A YAML document for a mapping at the top level. `undefined` values are left out. */
export function toYaml(doc: { [key: string]: YamlValue }) {
	const out: string[] = []
	write(doc, '', out)
	return `${out.join('\n')}\n`
}
