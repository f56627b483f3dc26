// Share links in the exact shapes the Xray panels write them (Marzban v0.8.4
// app/subscription/v2ray.py `V2rayShareLink`), and a customer whose sub-accounts carry them.
import { randomBytes } from 'node:crypto'
import { seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'

export const UUID_A = '0e9b8f4e-4a6c-4d9e-9c1b-1f0f5a2b3c4d'
export const UUID_B = '7a1c2d3e-5f60-4a7b-8c9d-0e1f2a3b4c5d'
const b64 = (s: string) => Buffer.from(s).toString('base64')

export const LINKS = {
	reality: `vless://${UUID_A}@de.example.com:443?security=reality&type=tcp&headerType=&flow=xtls-rprx-vision&sni=www.speedtest.net&fp=chrome&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&sid=6ba85179e30d4fc2#${encodeURIComponent('🇩🇪 آلمان: Reality #1')}`,
	vlessWs: `vless://${UUID_B}@cdn.example.com:443?security=tls&type=ws&path=${encodeURIComponent('/ws?ed=2048')}&host=cdn.example.com&sni=cdn.example.com&alpn=${encodeURIComponent('h2,http/1.1')}&fp=firefox#CDN%20WS`,
	vmessWs: `vmess://${b64(JSON.stringify({ add: 'nl.example.com', aid: '0', host: 'nl.example.com', id: UUID_A, net: 'ws', path: '/vm', port: '8443', ps: 'NL VMess', scy: 'auto', sni: 'nl.example.com', tls: 'tls', type: '', v: '2', fp: 'chrome', alpn: '' }))}`,
	vmessGrpc: `vmess://${b64(JSON.stringify({ add: 'fi.example.com', aid: 0, id: UUID_B, net: 'grpc', path: 'vm-grpc', port: 2053, ps: 'FI gRPC', tls: 'none', type: 'gun', v: '2' }))}`,
	trojanGrpc: `trojan://${encodeURIComponent('p@ss:word')}@tr.example.com:443?security=tls&type=grpc&serviceName=tr-grpc&sni=tr.example.com#Trojan%20gRPC`,
	ss: `ss://${Buffer.from('chacha20-ietf-poly1305:s3cret').toString('base64url')}@ss.example.com:1080#SS`,
	// Same remark as the reality link: the formats must make names unique.
	duplicate: `trojan://other@tr2.example.com:8443?security=tls&type=tcp&sni=tr2.example.com#${encodeURIComponent('🇩🇪 آلمان: Reality #1')}`,
	// Schemes / transports the structured formats cannot carry: base64 keeps them, the others drop them.
	hysteria: 'hysteria2://pw@hy.example.com:8443?sni=hy.example.com#Hy2',
	kcp: `vless://${UUID_A}@kcp.example.com:4000?security=none&type=kcp&headerType=none#KCP`,
} as const

export const ALL_LINKS = Object.values(LINKS)

export async function createSubCustomer({ links = ALL_LINKS, status = 'active' as const, userId = null as number | null, username = `sub_${randomBytes(3).toString('hex')}` } = {}) {
	const node = await prisma.node.create({ data: { name: `Sub node ${username}`, kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: seal('{}') } })
	const customer = await prisma.customer.create({
		data: { username, userId, dataLimitBytes: 50n * 1024n ** 3n, usedBytes: 12n * 1024n ** 3n, expireAt: new Date(Date.now() + 10 * 86_400_000 - 3_600_000), status, subToken: randomBytes(24).toString('base64url') },
	})
	await prisma.subAccount.create({ data: { customerId: customer.id, nodeId: node.id, remoteUsername: `${username}_1`, state: 'active', links: seal(JSON.stringify({ kind: 'links', links, subscriptionUrl: null })) } })
	return { customer, node, token: customer.subToken }
}
