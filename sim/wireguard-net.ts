// IPv4 arithmetic for the simulators (own copy, see wireguard-keys.ts for why). Addresses are
// unsigned 32-bit integers held in JS numbers; 2 ** n instead of shifts, which are signed 32-bit.

export interface SimCidr {
	/** The address as written (10.66.0.1 of 10.66.0.1/24). */
	address: number
	network: number
	broadcast: number
	prefix: number
}

export function ipToInt(ip: string): number {
	const parts = ip.trim().split('.')
	if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new Error(`not an IPv4 address: ${ip}`)
	return parts.reduce((v, p) => v * 256 + Number(p), 0)
}

export function intToIp(value: number) {
	return [Math.floor(value / 2 ** 24) % 256, Math.floor(value / 2 ** 16) % 256, Math.floor(value / 256) % 256, value % 256].join('.')
}

export function cidr(text: string): SimCidr {
	const [ip, prefixText = '32'] = text.trim().split('/')
	const prefix = Number(prefixText)
	if (!/^\d+$/.test(prefixText) || prefix > 32) throw new Error(`bad prefix: ${text}`)
	const address = ipToInt(ip)
	const size = 2 ** (32 - prefix)
	const network = Math.floor(address / size) * size
	return { address, network, broadcast: network + size - 1, prefix }
}
