// Panels that cannot page (WGDashboard's configuration info, RouterOS's peer print) answer a node's
// whole peer list in one response, which the adapter then serves page by page from memory. A
// worker syncing several such nodes at once held that many raw listings (the response text and
// its parse) at the same moment: 563 MiB peak per worker in the 1M bench, with 20,000 peers per
// node. One full listing at a time per process, reduced to the compact accounts the walk serves
// before the next one is fetched, makes a worker's memory grow with its largest node instead of
// with how many nodes it syncs at once. Only the fetch waits: matching and writing stay parallel.
let chain: Promise<unknown> = Promise.resolve()

export function oneFullListingAtATime<T>(fetchAndReduce: () => Promise<T>): Promise<T> {
	const run = chain.then(fetchAndReduce, fetchAndReduce)
	chain = run.catch(() => {})
	return run
}
