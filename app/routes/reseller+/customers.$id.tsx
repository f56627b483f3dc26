import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { NodeAccounts } from '~/components/customers/account-links'
import { IMPORT_APPS, ShareLink } from '~/components/share/share-link'
import { CustomerOperations } from '~/components/customers/operations'
import { QuoteCard } from '~/components/customers/quote-card'
import { CustomerNote } from '~/components/customers/note-form'
import { DaysLeft } from '~/components/customers/presence'
import { CustomerStatusPill, nodePillState, OrderStatusPill, Usage } from '~/components/customers/status'
import { UsageChart } from '~/components/customers/usage-chart'
import { PageHeader } from '~/components/shell'
import { Card, CardTitle } from '~/components/ui/card'
import { ConfirmButton } from '~/components/ui/dialog'
import { currentNodeIds, customerDetail, isSettling } from '~/models/customer.server'
import { dailyUsage } from '~/models/customer-usage.server'
import { confirmFieldsOf, ExecuteOperationSchema, ManualSchema, operationInput, OperationSchema, OPERATION_KINDS, type OperationKind } from '~/models/customer-form'
import { idempotencyKeyFrom, quoteUrl, quoteView } from '~/models/quote.server'
import { allocatedNodeOptions, requireResellerProfile } from '~/models/reseller-area.server'
import { executeQuote, manualAction } from '~/services/billing/orders.server'
import { rotateSubToken } from '~/services/subscription-admin.server'
import { updateCustomerNote } from '~/services/customer-note.server'
import { createQuote } from '~/services/billing/quotes.server'
import { billingErrorReply } from '~/utils/billing-errors.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { qrDataUrl } from '~/utils/qr.server'
import { redirectWithToast } from '~/utils/toast.server'
import { usePoll } from '~/utils/use-poll'
import { readForm } from '~/utils/form-data.server'
import { dbId, optionalText } from '~/utils/validation'

const Params = z.object({ id: dbId })
// The form names the customer it edits: a note posted without it (or for another page) is refused.
const NoteSchema = z.object({ customerId: dbId, note: optionalText(200) })

/** His customer's id from the URL; anything else — malformed or another reseller's — is a 404. */
async function ownedId(resellerId: number, params: unknown) {
	const parsed = Params.safeParse(params)
	const found = parsed.success ? await prisma.customer.findFirst({ where: { id: parsed.data.id, resellerId }, select: { id: true } }) : null
	if (!found) throw new Response('Not found', { status: 404 })
	return found.id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	const id = await ownedId(reseller.id, params)
	const url = new URL(request.url)
	const now = new Date()
	const [detail, nodes, quote, usage] = await Promise.all([customerDetail(reseller.id, id), allocatedNodeOptions(reseller.id), quoteView(reseller.id, url.searchParams.get('quote'), { customerId: id }), dailyUsage(reseller.id, id, now)])
	if (!detail) throw new Response('Not found', { status: 404 })
	const subUrl = `${(env().PUBLIC_URL ?? url.origin).replace(/\/+$/, '')}/sub/${detail.customer.subToken}`
	const { subToken: _token, ...customer } = detail.customer
	return {
		...detail,
		// Each node's pill follows the panel's real status, not just our lifecycle state.
		subAccounts: detail.subAccounts.map((s) => ({ ...s, pill: nodePillState(s) })),
		customer,
		nodes,
		quote,
		idempotencyKey: idempotencyKeyFrom(url),
		subscription: customer.status === 'deleted' ? null : { url: subUrl, qr: await qrDataUrl(subUrl) },
		settling: isSettling(detail),
		currentNodeIds: currentNodeIds(detail),
		available: reseller.fundingModel === 'wallet' ? reseller.balance + reseller.creditLimit : null,
		now,
		usage,
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, reseller } = await requireResellerProfile(request)
	const id = await ownedId(reseller.id, params)
	const path = `/reseller/customers/${id}`
	const formData = await readForm(request)
	const intent = formData.get('intent')
	const op = OPERATION_KINDS.find((k) => k === formData.get('op')) ?? null
	if (intent === 'rotate') {
		// Rule 13: a new unguessable token; the old link answers 404 from now on.
		await rotateSubToken(user.id, id)
		return redirectWithToast(path, { type: 'success', key: 'sub.rotated' })
	}
	if (intent === 'note') {
		const submission = parseWithZod(formData, { schema: NoteSchema })
		if (submission.status !== 'success' || submission.value.customerId !== id) return data({ intent, op, result: submission.reply(), code: null }, { status: 400 })
		if (!(await updateCustomerNote(user.id, reseller.id, id, submission.value.note || null))) throw new Response('Not found', { status: 404 })
		return redirectWithToast(path, { type: 'success', key: 'daily.toast.noteSaved' })
	}
	if (intent === 'manual') {
		const submission = parseWithZod(formData, { schema: ManualSchema })
		if (submission.status !== 'success') return data({ intent, op, result: submission.reply(), code: null }, { status: 400 })
		const { action } = submission.value
		try {
			await manualAction(user.id, id, action)
		} catch (e) {
			return billingErrorReply(request, submission, e, { intent, op })
		}
		return redirectWithToast(action === 'delete' ? '/reseller/customers' : path, { type: 'success', key: `customers.toast.${action}` })
	}
	if (intent === 'execute') {
		const submission = parseWithZod(formData, { schema: ExecuteOperationSchema })
		if (submission.status !== 'success') return data({ intent, op, result: submission.reply(), code: null }, { status: 400 })
		const { quoteId, idempotencyKey } = submission.value
		try {
			await executeQuote({ resellerUserId: user.id, quoteId, idempotencyKey, inputs: operationInput(id, submission.value) })
		} catch (e) {
			return billingErrorReply(request, submission, e, { intent, op }, { requote: async () => quoteUrl(path, (await createQuote(user.id, operationInput(id, submission.value))).id) })
		}
		return redirectWithToast(path, { type: 'success', key: `customers.toast.${submission.value.op}` })
	}
	const submission = parseWithZod(formData, { schema: OperationSchema })
	if (intent !== 'quote' || submission.status !== 'success') return data({ intent: 'quote', op, result: submission.reply(), code: null }, { status: 400 })
	try {
		const quote = await createQuote(user.id, operationInput(id, submission.value))
		return redirect(quoteUrl(path, quote.id))
	} catch (e) {
		return billingErrorReply(request, submission, e, { intent: 'quote', op })
	}
}

export default function CustomerDetail() {
	const { customer, latestOrder, subAccounts, events, nodes, quote, idempotencyKey, subscription, settling, currentNodeIds, available, now, usage } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	usePoll(settling)
	const location = useLocation()
	const path = `/reseller/customers/${customer.id}`
	return (
		<>
			<div className="mx-auto max-w-3xl">
				<PageHeader title={customer.username} action={<CustomerStatusPill status={customer.status} />} />
			</div>
			<div className="mx-auto max-w-3xl space-y-4">
				{quote ? (
					<QuoteCard
						quote={quote}
						idempotencyKey={idempotencyKey}
						fields={confirmFieldsOf(quote.inputs)}
						freshQuoteHref={actionData && 'freshQuoteHref' in actionData ? actionData.freshQuoteHref : null}
						lastResult={actionData?.intent === 'execute' ? actionData.result : undefined}
						confirmLabel={t(`customers.confirm.${quote.kind}`)}
						danger={quote.kind === 'refund'}
						available={available}
						changeHref={path}
					/>
				) : null}
				<Card className="space-y-3">
					<CardTitle action={latestOrder ? <span data-testid="order-status"><OrderStatusPill status={latestOrder.status} /></span> : null}>{t('customers.detail.summary')}</CardTitle>
					<div className="grid grid-cols-[1fr_auto] items-end gap-4">
						<Usage used={customer.usedBytes} limit={customer.dataLimitBytes} />
						<DaysLeft expireAt={customer.expireAt} now={now} className="text-sm" />
					</div>
					<dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
						<dt className="text-gray-500">{t('customers.detail.expires')}</dt>
						<dd data-testid="expire-at">{formatDate(lang, customer.expireAt)}</dd>
						{customer.disabledReason ? (
							<>
								<dt className="text-gray-500">{t('customers.detail.reason')}</dt>
								<dd>{t(`customers.reasons.${customer.disabledReason}`, { defaultValue: customer.disabledReason })}</dd>
							</>
						) : null}
						{latestOrder ? (
							<>
								<dt className="text-gray-500">{t('customers.detail.lastOrder')}</dt>
								<dd>{t(`customers.orderKind.${latestOrder.kind}`)} · {formatDate(lang, latestOrder.createdAt, 'datetime')}</dd>
							</>
						) : null}
					</dl>
					{settling ? (
						<p className="text-xs text-gray-500">
							{t('customers.detail.settling')} <Link to={quote ? `${path}?quote=${quote.id}&key=${idempotencyKey}` : path} className="font-medium text-accent hover:underline">{t('customers.detail.refresh')}</Link>
						</p>
					) : null}
				</Card>
				<CustomerNote customerId={customer.id} note={customer.note} editable={customer.status !== 'deleted'} result={actionData?.intent === 'note' ? actionData.result : undefined} />
				<UsageChart days={usage} />
				{subscription ? (
					<Card className="space-y-2">
						<CardTitle>{t('customers.detail.subscription')}</CardTitle>
						<p className="text-xs text-gray-500">{t('customers.detail.subscriptionHint')}</p>
						<div data-testid="sub-link">
							<ShareLink value={subscription.url} label={customer.username} apps={IMPORT_APPS} />
						</div>
						<Form method="post">
							<ConfirmButton name="intent" value="rotate" size="sm" variant="secondary" kind="rotate_link" body={t('sub.rotateBody')}>
								{t('sub.rotate')}
							</ConfirmButton>
						</Form>
					</Card>
				) : null}
				<NodeAccounts customerId={customer.id} subAccounts={subAccounts} now={now} />
				<CustomerOperations
					key={location.key} // a new page after a redirect: the operation forms start closed and empty
					status={customer.status}
					disabledReason={customer.disabledReason}
					nodes={nodes}
					currentNodeIds={currentNodeIds}
					lastOp={actionData?.intent === 'quote' ? (actionData.op as OperationKind | null) : null}
					result={actionData?.intent === 'quote' ? actionData.result : undefined}
					manualResult={actionData?.intent === 'manual' ? actionData.result : undefined}
				/>
				<Card>
					<CardTitle>{t('customers.detail.history')}</CardTitle>
					<ol className="space-y-2 text-sm" data-testid="events">
						{events.map((e) => (
							<li key={e.id} className="flex flex-wrap justify-between gap-x-3">
								<span>{t(`customers.events.${e.kind}`, { defaultValue: e.kind })}{e.reason && e.reason !== 'manual' ? <span className="text-gray-500"> · {e.reason}</span> : null}</span>
								<time className="text-xs text-gray-500" dateTime={new Date(e.at).toISOString()}>{formatDate(lang, e.at, 'datetime')}</time>
							</li>
						))}
					</ol>
				</Card>
			</div>
		</>
	)
}
