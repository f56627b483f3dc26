// A deliberately failing test. It lives outside vitest's include globs; scripts/test.ts runs it
// in a child process with the real config (global setup and all) and requires a non-zero exit,
// so `npm test` fails if the runner ever swallows a red test again.
import { expect, test } from 'vitest'

test('canary: this test must fail', () => {
	expect(1 + 1).toBe(3)
})
