// The one adapter interface every panel kind implements. Nothing panel-specific crosses it:
// bytes are bigint, dates are UTC Date objects, status is our own enum.

export const NODE_KINDS = ['marzban', 'pasarguard', 'marzneshin', 'wgdashboard', 'routeros'] as const
export type NodeKind = (typeof NODE_KINDS)[number]

export const ACCOUNT_STATUSES = ['active', 'disabled', 'limited', 'expired', 'on_hold'] as const
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number]

/** Everything an adapter needs to talk to one node. Secrets arrive decrypted, only in memory. */
export interface NodeConnection {
	kind: NodeKind
	/** Base URL for HTTP panels and RouterOS REST, e.g. https://panel.example.com:8000 */
	baseUrl?: string
	/** RouterOS binary API: host + port (8728 plain / 8729 TLS). */
	host?: string
	port?: number
	tls: boolean
	verifyTls: boolean
	/** RouterOS transport: REST over HTTP(S) or the binary API over TCP. */
	transport?: 'rest' | 'api'
	username?: string
	password?: string
	/** WGDashboard API key (header wg-dashboard-apikey), PasarGuard API key. */
	apiKey?: string
	/** Optional HTTP proxy the panel is reached through, e.g. http://user:pass@10.0.0.1:3128 */
	proxyUrl?: string
	timeoutMs?: number
	/** Per-kind choices made from listOptions(). */
	options: NodeOptions
}

export interface NodeOptions {
	/** Marzban: inbound tags per protocol, e.g. { vless: ['VLESS TCP'] }; {} = all. */
	inbounds?: Record<string, string[]>
	/** Marzneshin services / PasarGuard groups. */
	serviceIds?: number[]
	groupIds?: number[]
	/** WGDashboard configuration name or RouterOS WireGuard interface name. */
	wgInterface?: string
	/** WireGuard client config: public endpoint host:port, DNS, keepalive, AllowedIPs. */
	wgEndpoint?: string
	wgDns?: string
	wgAllowedIps?: string
	wgKeepalive?: number
	/** WGDashboard: the panel host's clock zone (IANA, default UTC); its date jobs use local time. */
	wgTimezone?: string
	/** Public base URL for relative subscription URLs (Marzban/PasarGuard/Marzneshin). */
	publicBaseUrl?: string
}

export interface ConnectionInfo {
	version: string
	latencyMs: number
	details: Record<string, string>
}

export interface PanelOption {
	/** Stable id as the panel knows it (inbound tag, service id, group id, config/interface name). */
	id: string
	label: string
	/** What the option is: inbound, service, group, wg_interface. */
	type: 'inbound' | 'service' | 'group' | 'wg_interface'
	/** Extra facts (protocol, subnet, listen port) for the admin form. */
	meta?: Record<string, string>
}

export interface AccountSpec {
	/** Deterministic remote username, derived from our ids, so a retried create cannot duplicate. */
	username: string
	dataLimit: bigint | null
	expireAt: Date | null
	/**
	 * Our ownership marker, `guardino:<customerId>`: every adapter stores it where the panel keeps a
	 * free text (note / comment / peer name) and reads it back as RemoteAccount.ownerTag.
	 */
	note?: string
}

/**
 * How we find an account again. Stored as JSON on the sub-account. `data` holds what the panel
 * does not keep for us (RouterOS: the client's private key and address, the peer .id).
 */
export interface AccountRef {
	username: string
	remoteId?: string
	data?: Record<string, string>
}

export interface RemoteAccount {
	ref: AccountRef
	status: AccountStatus
	/** The panel's usage counter in bytes as read now (may go down after a reset/reboot). */
	usedBytes: bigint
	dataLimit: bigint | null
	expireAt: Date | null
	onlineAt: Date | null
	/**
	 * The ownership marker as read back (`guardino:<customerId>`), or null when the account carries
	 * none — made by someone else, so it must never be adopted (issue 8 §2.6).
	 */
	ownerTag?: string | null
}

export interface AccountPage {
	accounts: RemoteAccount[]
	/** Opaque; null when this was the last page. */
	nextCursor: string | null
}

export type AccountLinks =
	| { kind: 'links'; links: string[]; subscriptionUrl: string | null }
	| { kind: 'wireguard'; fileName: string; config: string }

export interface AccountUpdate {
	dataLimit?: bigint | null
	expireAt?: Date | null
}

export interface PanelAdapter {
	readonly kind: NodeKind
	testConnection(): Promise<ConnectionInfo>
	listOptions(): Promise<PanelOption[]>
	createAccount(spec: AccountSpec): Promise<RemoteAccount>
	/** Throws PanelError('not_found') when the account does not exist. */
	getAccount(ref: AccountRef): Promise<RemoteAccount>
	/** Bulk read for the usage sync; pageSize is a hint. */
	listAccounts(cursor: string | null, pageSize?: number): Promise<AccountPage>
	updateAccount(ref: AccountRef, update: AccountUpdate): Promise<RemoteAccount>
	enable(ref: AccountRef): Promise<void>
	disable(ref: AccountRef): Promise<void>
	resetUsage(ref: AccountRef): Promise<void>
	deleteAccount(ref: AccountRef): Promise<void>
	getLinks(ref: AccountRef): Promise<AccountLinks>
	/** Only where the panel supports it (Marzban, PasarGuard, Marzneshin). */
	revokeSubscription?(ref: AccountRef): Promise<void>
	close?(): Promise<void>
}
