// Text formats the WireGuard simulators print (own copies, see wireguard-keys.ts for why):
// RouterOS durations, Python's str(timedelta), Python's naive local datetime, and the client file
// WGDashboard's Peer.downloadPeer builds.

const ROS_UNITS: Array<[string, number]> = [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]]

/** RouterOS 7 prints durations as "1w2d3h4m5s" (zero units left out, "0s" for nothing). */
export function rosDuration(ms: number) {
	let rest = Math.max(0, Math.floor(ms))
	let out = ''
	for (const [unit, size] of ROS_UNITS) {
		const n = Math.floor(rest / size)
		rest -= n * size
		if (n > 0) out += `${n}${unit}`
	}
	return out || '0s'
}

/** Python str(timedelta) without microseconds: "0:01:23", "1 day, 2:03:04", "3 days, 0:00:01". */
export function pyTimedelta(ms: number) {
	const total = Math.floor(ms / 1000)
	const days = Math.floor(total / 86_400)
	const rest = total - days * 86_400
	const clock = `${Math.floor(rest / 3600)}:${String(Math.floor(rest / 60) % 60).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`
	return days ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock
}

/**
 * Python's datetime.now().strftime("%Y-%m-%d %H:%M:%S") on a host whose clock is set to `timeZone`
 * (an IANA name): the wall-clock time there, with no offset attached.
 */
export function pyLocalNow(ms: number, timeZone: string) {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
			.formatToParts(new Date(ms))
			.map((p) => [p.type, p.value]),
	)
	return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
}

/**
 * datetime.strptime(text, "%Y-%m-%d %H:%M:%S") as a number that orders like Python compares two
 * naive datetimes (the wall-clock fields read as if UTC); NaN when strptime would raise.
 */
export function pyNaive(text: string) {
	const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text)
	return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : Number.NaN
}

export interface PeerFileFields {
	privateKey: string
	address: string
	mtu: number
	dns: string
	serverPublicKey: string
	allowedIps: string
	endpoint: string
	keepalive: number
	presharedKey: string
}

/** Peer.downloadPeer: keys in this order; empty strings and non-positive ints are left out. */
export function wgdPeerFile(f: PeerFileFields) {
	const section = (name: string, rows: Array<[string, string | number]>) =>
		`[${name}]\n` + rows.filter(([, v]) => (typeof v === 'string' ? v.length > 0 : v > 0)).map(([k, v]) => `${k} = ${v}\n`).join('')
	return (
		section('Interface', [['PrivateKey', f.privateKey], ['Address', f.address], ['MTU', f.mtu], ['DNS', f.dns]]) +
		'\n' +
		section('Peer', [['PublicKey', f.serverPublicKey], ['AllowedIPs', f.allowedIps], ['Endpoint', f.endpoint], ['PersistentKeepalive', f.keepalive], ['PresharedKey', f.presharedKey]])
	)
}
