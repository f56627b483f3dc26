// Every URL of the app in one readable list. Files live in +folders by area (STYLE.md).
import { index, prefix, route, type RouteConfig } from '@remix-run/route-config'

export default [
	index('routes/store+/index.tsx'),
	route('login', 'routes/_auth+/login.tsx'),
	route('logout', 'routes/_auth+/logout.tsx'),
	route('password', 'routes/_auth+/password.tsx'),

	route('admin', 'routes/admin+/_layout.tsx', [
		index('routes/admin+/index.tsx'),
		route('users', 'routes/admin+/users.tsx'),
		route('nodes', 'routes/admin+/nodes.tsx'),
		route('nodes/new', 'routes/admin+/nodes.new.tsx'),
		route('nodes/:id', 'routes/admin+/nodes.$id.tsx'),
		route('plans', 'routes/admin+/plans.tsx'),
		route('plans/new', 'routes/admin+/plans.new.tsx'),
		route('plans/:id', 'routes/admin+/plans.$id.tsx'),
		route('payment-methods', 'routes/admin+/payment-methods.tsx'),
		route('payment-methods/new', 'routes/admin+/payment-methods.new.tsx'),
		route('payment-methods/:id', 'routes/admin+/payment-methods.$id.tsx'),
		route('resellers', 'routes/admin+/resellers.tsx'),
		route('resellers/new', 'routes/admin+/resellers.new.tsx'),
		route('resellers/:id', 'routes/admin+/resellers.$id.tsx'),
		route('resellers/:id/ledger', 'routes/admin+/resellers.$id.ledger.tsx'),
		route('jobs', 'routes/admin+/jobs.tsx'),
		route('backups', 'routes/admin+/backups.tsx'),
		route('settings', 'routes/admin+/settings.tsx'),
		route('notifications', 'routes/admin+/notifications.tsx'),
		route('*', 'routes/admin+/$.tsx'),
	]),
	route('reseller', 'routes/reseller+/_layout.tsx', [
		index('routes/reseller+/index.tsx'),
		route('customers', 'routes/reseller+/customers.tsx'),
		route('customers/new', 'routes/reseller+/customers.new.tsx'),
		route('customers/:id', 'routes/reseller+/customers.$id.tsx'),
		route('customers/:id/wg/:nodeId', 'routes/reseller+/customers.$id.wg.$nodeId.ts'),
		route('wallet', 'routes/reseller+/wallet.tsx'),
		route('notifications', 'routes/reseller+/notifications.tsx'),
		route('*', 'routes/reseller+/$.tsx'),
	]),
	route('account', 'routes/account+/_layout.tsx', [
		index('routes/account+/index.tsx'),
		route('*', 'routes/account+/$.tsx'),
	]),

	route('sub/:token', 'routes/sub+/$token.tsx'),
	route('sub/:token/wg/:nodeId', 'routes/sub+/$token.wg.$nodeId.ts'),

	...prefix('resources', [
		route('healthcheck', 'routes/resources+/healthcheck.ts'),
		route('language', 'routes/resources+/language.ts'),
		route('preferences', 'routes/resources+/preferences.ts'),
	]),
	route('*', 'routes/$.tsx'),
] satisfies RouteConfig
