import { randomBytes } from 'node:crypto'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CreateCustomerForm, type CreateDefaults } from '~/components/customers/create-form'
import { QuoteCard } from '~/components/customers/quote-card'
import { PageHeader } from '~/components/shell'
import { confirmFieldsOf, createInput, CreateCustomerSchema, ExecuteCreateSchema, generateUsername } from '~/models/customer-form'
import { idempotencyKeyFrom, quoteUrl, quoteView, type QuoteView } from '~/models/quote.server'
import { allocatedNodeOptions, planOptions, requireResellerProfile } from '~/models/reseller-area.server'
import { lastChosenNodeIds } from '~/models/wizard-memory.server'
import { BillingError } from '~/services/billing/errors'
import { executeQuote } from '~/services/billing/orders.server'
import { createQuote } from '~/services/billing/quotes.server'
import { billingErrorReply } from '~/utils/billing-errors.server'
import { redirectWithToast } from '~/utils/toast.server'
import { requireReseller } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { listFormat } from '~/utils/intl-cache'

const PATH = '/reseller/customers/new'

/** The step-1 form's values from an earlier quote ("change" keeps what was typed). */
function defaultsOf(quote: QuoteView | null): CreateDefaults | undefined {
	if (!quote || quote.inputs.kind !== 'create') return undefined
	const i = quote.inputs
	return { username: i.username, note: i.note, nodeIds: i.nodeIds.map(String), planId: i.planId ? String(i.planId) : undefined, gb: i.gb ? String(i.gb) : undefined, days: i.days ? String(i.days) : undefined }
}

export async function loader({ request }: LoaderFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	const url = new URL(request.url)
	const confirming = url.searchParams.has('quote')
	const [nodes, plans, quote] = await Promise.all([
		allocatedNodeOptions(reseller.id),
		planOptions(reseller.currency),
		quoteView(reseller.id, url.searchParams.get('quote') ?? url.searchParams.get('from'), { kind: 'create' }),
	])
	// A fresh wizard (not "change" of a quote) starts with the nodes he chose last time.
	const remembered = confirming || quote ? [] : await lastChosenNodeIds(reseller.id, nodes.map((n) => n.id))
	return {
		nodes,
		plans,
		quote: confirming ? quote : null,
		defaults: confirming ? undefined : (defaultsOf(quote) ?? (remembered.length ? { nodeIds: remembered.map(String) } : undefined)),
		remembered: remembered.length > 0,
		idempotencyKey: idempotencyKeyFrom(url),
		available: reseller.fundingModel === 'wallet' ? reseller.balance + reseller.creditLimit : null,
	}
}

export async function action({ request }: ActionFunctionArgs) {
	// The session alone: executeQuote and createQuote find the reseller of this login themselves,
	// so reading his profile here too would cost every confirm of a burst another query. Only when
	// they answer "not found" is the profile read: a login without one is a 403 (forbiddenWithoutProfile).
	const user = await requireReseller(request)
	const forbiddenWithoutProfile = async (e: unknown) => {
		if (e instanceof BillingError && e.code === 'not_found') await requireResellerProfile(request)
	}
	const formData = await readForm(request)
	const intent = formData.get('intent')
	if (intent === 'execute') {
		const submission = parseWithZod(formData, { schema: ExecuteCreateSchema })
		if (submission.status !== 'success') return data({ intent, result: submission.reply(), code: null }, { status: 400 })
		const { quoteId, idempotencyKey, ...form } = submission.value
		try {
			const { customerId } = await executeQuote({ resellerUserId: user.id, quoteId, idempotencyKey, inputs: createInput(form) })
			return redirectWithToast(`/reseller/customers/${customerId}`, { type: 'success', key: 'customers.toast.created', values: { username: form.username } })
		} catch (e) {
			await forbiddenWithoutProfile(e)
			return billingErrorReply(request, submission, e, { intent }, { requote: async () => quoteUrl(PATH, (await createQuote(user.id, createInput(form))).id) })
		}
	}
	const submission = parseWithZod(formData, { schema: CreateCustomerSchema })
	if (intent !== 'quote' || submission.status !== 'success') return data({ intent: 'quote', result: submission.reply(), code: null }, { status: 400 })
	const username = submission.value.username ?? generateUsername((n) => randomBytes(n))
	try {
		const quote = await createQuote(user.id, createInput({ ...submission.value, username }))
		return redirect(quoteUrl(PATH, quote.id))
	} catch (e) {
		await forbiddenWithoutProfile(e)
		return billingErrorReply(request, submission, e, { intent: 'quote' })
	}
}

export default function NewCustomer() {
	const { nodes, plans, quote, defaults, idempotencyKey, available, remembered } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t, i18n } = useTranslation()
	return (
		<div className="mx-auto max-w-3xl">
				<PageHeader title={t('customers.newTitle')} />
				<ol className="mb-4 flex gap-2 text-xs font-medium text-gray-500" aria-label={t('customers.steps')}>
					<li className={quote ? '' : 'text-accent'}>{t('customers.step1')}</li>
					<li aria-hidden>›</li>
					<li className={quote ? 'text-accent' : ''}>{t('customers.step2')}</li>
				</ol>
				{quote ? (
					<QuoteCard
						quote={quote}
						idempotencyKey={idempotencyKey}
						fields={confirmFieldsOf(quote.inputs)}
						freshQuoteHref={actionData && 'freshQuoteHref' in actionData ? actionData.freshQuoteHref : null}
						lastResult={actionData?.result} // while confirming, a failed "price it again" reports here too
						confirmLabel={t('customers.confirmCreate')}
						available={available}
						changeHref={`${PATH}?from=${quote.id}`}
					>
						{quote.inputs.kind === 'create' ? (
							<dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
								<dt className="text-gray-500">{t('customers.form.username')}</dt>
								<dd dir="ltr" className="truncate text-start font-medium" data-testid="quote-username">{quote.inputs.username}</dd>
								<dt className="text-gray-500">{t('customers.form.nodes')}</dt>
								<dd className="min-w-0 break-words">{listFormat(i18n.language, { type: 'unit' }).format(quote.nodeNames)}</dd>
							</dl>
						) : null}
					</QuoteCard>
				) : (
					<>
						{remembered ? <p className="mb-2 text-xs text-gray-500" data-testid="remembered-nodes">{t('daily.wizard.lastNodes')}</p> : null}
						<CreateCustomerForm nodes={nodes} plans={plans} defaults={defaults} lastResult={actionData?.intent === 'quote' ? actionData.result : undefined} />
					</>
				)}
		</div>
	)
}
