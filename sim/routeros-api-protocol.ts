// RouterOS binary API framing (panel-contracts.md §6.2): a sentence is a list of words ended by
// a zero-length word; every word carries a 1–5 byte length prefix. Bytes are read as latin1,
// which matches RouterOS's win1252 for everything the hub sends (ASCII keys, names, numbers).

export function encodeLength(length: number): Buffer {
	if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) {
		throw new RangeError(`word length out of range: ${length}`)
	}
	if (length < 0x80) return Buffer.from([length])
	if (length < 0x4000) return Buffer.from([(length >>> 8) | 0x80, length & 0xff])
	if (length < 0x200000) {
		return Buffer.from([(length >>> 16) | 0xc0, (length >>> 8) & 0xff, length & 0xff])
	}
	if (length < 0x10000000) {
		return Buffer.from([(length >>> 24) | 0xe0, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff])
	}
	return Buffer.from([0xf0, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff])
}

/** The word length at `offset`, or null when the prefix is not complete yet. */
export function decodeLength(buf: Buffer, offset = 0): { length: number; size: number } | null {
	if (offset >= buf.length) return null
	const first = buf[offset]
	const size = first < 0x80 ? 1 : first < 0xc0 ? 2 : first < 0xe0 ? 3 : first < 0xf0 ? 4 : 5
	if (first >= 0xf8) throw new Error(`reserved length prefix byte 0x${first.toString(16)}`)
	if (offset + size > buf.length) return null
	let length = size === 5 ? 0 : first & (0xff >>> size)
	for (let i = 1; i < size; i++) length = length * 256 + buf[offset + i]
	return { length, size }
}

export function encodeWord(word: string) {
	const bytes = Buffer.from(word, 'latin1')
	return Buffer.concat([encodeLength(bytes.length), bytes])
}

export function encodeSentence(words: string[]) {
	return Buffer.concat([...words.map(encodeWord), Buffer.from([0])])
}

/**
 * Turns a byte stream into sentences, whatever the chunking: a word or its length prefix may be
 * split across TCP reads, and one read may carry many sentences.
 */
export class SentenceDecoder {
	private buffer: Buffer = Buffer.alloc(0)
	private words: string[] = []

	push(chunk: Buffer): string[][] {
		this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
		const sentences: string[][] = []
		let offset = 0
		for (;;) {
			const prefix = decodeLength(this.buffer, offset)
			if (!prefix || offset + prefix.size + prefix.length > this.buffer.length) break
			offset += prefix.size
			if (prefix.length === 0) {
				sentences.push(this.words)
				this.words = []
			} else {
				this.words.push(this.buffer.toString('latin1', offset, offset + prefix.length))
				offset += prefix.length
			}
		}
		this.buffer = this.buffer.subarray(offset)
		return sentences
	}
}

export interface ParsedCommand {
	command: string
	/** `=key=value` words */
	attributes: Record<string, string>
	/** `?key=value` query words (only simple equality; stack operators are kept raw) */
	queries: string[]
	tag?: string
}

export function parseCommand(words: string[]): ParsedCommand {
	const [command = '', ...rest] = words
	const parsed: ParsedCommand = { command, attributes: {}, queries: [] }
	for (const word of rest) {
		if (word.startsWith('=')) {
			const eq = word.indexOf('=', 1)
			if (eq === -1) parsed.attributes[word.slice(1)] = ''
			else parsed.attributes[word.slice(1, eq)] = word.slice(eq + 1)
		} else if (word.startsWith('?')) {
			parsed.queries.push(word.slice(1))
		} else if (word.startsWith('.tag=')) {
			parsed.tag = word.slice(5)
		}
	}
	return parsed
}
