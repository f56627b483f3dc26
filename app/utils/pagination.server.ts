// Keyset pagination: "rows after this id", newest first. The cursor is just the last id seen.
import { z } from 'zod'
import { dbId, searchText } from './validation'

export const PAGE_SIZE = 25

const listParams = z.object({
	q: z.string().transform((v) => searchText(v)).catch(''),
	// a cursor that cannot be an id (too big, a word) just means the first page
	after: dbId.optional().catch(undefined),
})

export function parseListParams(request: Request) {
	const url = new URL(request.url)
	return listParams.parse({ q: url.searchParams.get('q') ?? '', after: url.searchParams.get('after') || undefined })
}

/** Fetch PAGE_SIZE + 1 rows; the extra one only tells whether there is a next page. */
export function paginate<T extends { id: number | bigint }>(rows: T[], size = PAGE_SIZE) {
	const hasMore = rows.length > size
	const page = hasMore ? rows.slice(0, size) : rows
	return { rows: page, nextCursor: hasMore ? String(page[page.length - 1]!.id) : null }
}
