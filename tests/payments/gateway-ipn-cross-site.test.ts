// NOWPayments' IPN is a server-to-server POST authenticated by its signature: whatever Origin it
// carries, the cross-site middleware must let it reach the route, and still refuse any other
// cross-site POST.
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { refuseCrossSite } from '../../server/cross-site'

let server: import('node:http').Server
let url: string
beforeAll(async () => {
	const app = express()
	app.use(refuseCrossSite)
	app.post('*', (_req, res) => void res.status(200).send('reached'))
	server = await new Promise((resolve) => {
		const s = app.listen(0, '127.0.0.1', () => resolve(s))
	})
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
	await new Promise((r) => server.close(r))
})

const post = (path: string) => fetch(`${url}${path}`, { method: 'POST', headers: { Origin: 'https://nowpayments.io', 'Content-Type': 'application/json' }, body: '{}' })

test('a foreign-origin POST reaches /pay/ipn/*, and only there', async () => {
	expect((await post('/pay/ipn/nowpayments')).status).toBe(200)
	expect((await post('/pay/online')).status).toBe(403)
	expect((await post('/pay/return/zarinpal')).status).toBe(403)
	expect((await post('/admin/pay/ipn/x')).status).toBe(403)
})
