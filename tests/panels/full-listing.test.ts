// full-listing.ts: the panels that cannot page fetch one whole listing at a time per process, so
// a worker's memory grows with its largest node, not with how many it syncs at once.
import { expect, test } from 'vitest'
import { oneFullListingAtATime } from '~/services/panels/full-listing'

const turns = async (n: number) => {
	for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r))
}

test('a second full listing starts only after the first is done, even when the first fails', async () => {
	const started: string[] = []
	let finishFirst!: (v: string) => void
	let failSecond!: (e: Error) => void
	const first = oneFullListingAtATime(() => (started.push('a'), new Promise<string>((r) => (finishFirst = r))))
	const second = oneFullListingAtATime(() => (started.push('b'), new Promise<string>((_, j) => (failSecond = j))))
	const third = oneFullListingAtATime(async () => (started.push('c'), 'c'))
	await turns(5)
	expect(started).toEqual(['a'])
	finishFirst('a')
	expect(await first).toBe('a')
	await turns(5)
	expect(started).toEqual(['a', 'b'])
	failSecond(new Error('panel down'))
	await expect(second).rejects.toThrow('panel down')
	expect(await third).toBe('c')
	expect(started).toEqual(['a', 'b', 'c'])
})
