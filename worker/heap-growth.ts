// Imported first by worker/index.ts (a worker-only process). A worker's live heap
// in a 20,000-account-per-node usage round is ~60–80 MiB, but V8 lets the old generation grow up
// to ~4× the live size before its next full collection while allocation is fast (a round parses
// and maps pages of accounts, most of it garbage within the page): heaps of 250+ MiB, 445–555 MiB
// peak RSS per worker at 200k. Capping the growth keeps the heap near the live size at the price
// of more full GCs. 30 % (decision 033) measured 255–270 MiB peak RSS at 1M. 50 % gave some
// worker CPU back (decision 037) but peaked at 272, 277 and 292 MiB in three 1M runs, too close to
// the 300 MiB bar, so 30 % stays. The heap limit is untouched: a job with real live data (a large
// export) collects more often but cannot run out of memory sooner.
import v8 from 'node:v8'

/** Heap growth after a full GC, in percent of the live size (V8's own default is up to 300). */
export const HEAP_GROWING_PERCENT = 30

// Read by V8 whenever it computes the next collection limit, so setting it after start holds
// (measured: 304 MiB peak instead of 445–555 at 200k); Node keeps its flags writable at run time.
v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
