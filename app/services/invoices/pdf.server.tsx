// Invoice PDFs (issue 12) with @react-pdf/renderer and the Vazirmatn font from its npm package,
// registered from node_modules at first use (nothing is downloaded at run time). react-pdf shapes
// Arabic script (fontkit) and orders mixed Persian / Latin / digits by the bidi algorithm;
// pdfkit and pdfmake reverse Persian words and digits (peers-payments-storefront.md, tested).
// Persian PDFs run right to left with Persian digits and Jalali dates beside Gregorian ones;
// English PDFs are left to right with Gregorian dates.
import { Document, Page, StyleSheet, Text, View, renderToBuffer } from '@react-pdf/renderer'
import type { TFunction } from 'i18next'
import { currencyName, formatNumber } from '~/utils/format'
import { registerPdfFonts } from '~/utils/pdf-fonts.server'
import { getT } from '~/utils/i18n.server'
import type { Lang } from '~/utils/i18n'
import type { StoreBilling } from './store-settings.server'

export interface PdfInvoice {
	type: string
	kind: string
	status: string
	number: string | null
	issuedAt: Date | null
	dueAt: Date | null
	paidAt: Date | null
	currency: string
	subtotal: bigint
	discount: bigint
	credit: bigint
	taxAmount: bigint
	taxInclusive: boolean
	total: bigint
	walletCredit: bigint
	billTo: { name?: string; address?: string; username?: string } | null
	lines: Array<{ kind: string; labelKey: string; values: unknown; quantity: number; unitAmount: bigint; amount: bigint; included: boolean }>
}

/**
 * Rial with group separators, in the reader's digits, and the currency's name. `display` 'IRT'
 * (the store setting the storefront and pages follow) shows Rial in Toman (÷10; a Rial remainder
 * keeps one decimal, so nothing is rounded away).
 */
export function pdfMoney(lang: Lang, minor: bigint, currency: string, display?: 'IRT' | 'IRR') {
	const neg = minor < 0n
	const abs = neg ? -minor : minor
	if (currency === 'IRR' && display === 'IRT') {
		const text = formatNumber(lang, abs / 10n) + (abs % 10n ? (lang === 'fa' ? '٫' : '.') + formatNumber(lang, abs % 10n) : '')
		return `${neg ? '−' : ''}${text} ${currencyName(lang, 'IRT')}`
	}
	return `${neg ? '−' : ''}${formatNumber(lang, abs)} ${currencyName(lang, currency)}`
}

const tehranDate = (lang: Lang, d: Date, calendar: 'persian' | 'gregory') =>
	new Intl.DateTimeFormat(lang === 'fa' ? `fa-IR-u-ca-${calendar}-nu-arabext` : `en-CA-u-ca-${calendar}`, { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)

/** The date in the reader's calendar: Jalali with Persian digits, or Gregorian. */
export function pdfDate(lang: Lang, d: Date) {
	return lang === 'fa' ? tehranDate('fa', d, 'persian') : tehranDate('en', d, 'gregory')
}

/** The Gregorian date beside a Jalali one, in its own left-to-right text (inside a Persian line the
 * bidi algorithm would turn 2026-06-10 into 10-06-2026). */
export const gregorianDate = (d: Date) => tehranDate('en', d, 'gregory')

function styles(lang: Lang) {
	const rtl = lang === 'fa'
	return StyleSheet.create({
		page: { fontFamily: 'Vazirmatn', fontSize: 10, padding: 36, direction: rtl ? 'rtl' : 'ltr' },
		row: { flexDirection: rtl ? 'row-reverse' : 'row', justifyContent: 'space-between' },
		title: { fontSize: 18, fontWeight: 'bold', marginBottom: 8, textAlign: rtl ? 'right' : 'left', direction: rtl ? 'rtl' : 'ltr' },
		text: { textAlign: rtl ? 'right' : 'left', direction: rtl ? 'rtl' : 'ltr', marginBottom: 2 },
		muted: { color: '#555', textAlign: rtl ? 'right' : 'left', direction: rtl ? 'rtl' : 'ltr' },
		th: { fontWeight: 'bold', borderBottom: '1pt solid #999', paddingBottom: 3, marginTop: 14 },
		td: { borderBottom: '0.5pt solid #ddd', paddingVertical: 4 },
		desc: { flexGrow: 1, flexBasis: 0, textAlign: rtl ? 'right' : 'left', direction: rtl ? 'rtl' : 'ltr' },
		num: { width: 90, textAlign: rtl ? 'left' : 'right', direction: rtl ? 'rtl' : 'ltr' },
		qty: { width: 40, textAlign: 'center' },
		totals: { marginTop: 10, width: 260, alignSelf: rtl ? 'flex-start' : 'flex-end' },
		strong: { fontWeight: 'bold' },
		footer: { marginTop: 24, fontSize: 8, color: '#555', textAlign: rtl ? 'right' : 'left', direction: rtl ? 'rtl' : 'ltr' },
	})
}

function lineLabel(t: TFunction, lang: Lang, l: PdfInvoice['lines'][number]) {
	const values = { ...((l.values ?? {}) as Record<string, unknown>) }
	for (const [k, v] of Object.entries(values)) if (typeof v === 'number') values[k] = formatNumber(lang, v)
	return t(l.labelKey, values) as string
}

function InvoiceDocument({ inv, seller, t, lang }: { inv: PdfInvoice; seller: StoreBilling; t: TFunction; lang: Lang }) {
	const s = styles(lang)
	const money = (v: bigint) => pdfMoney(lang, v, inv.currency, seller.displayCurrency)
	const heading = inv.type === 'credit_note' ? t('invoices.creditNote') : t('invoices.invoice')
	const Pair = ({ label, value, bold }: { label: string; value: string; bold?: boolean }) => (
		<View style={s.row}>
			<Text style={[s.text, bold ? s.strong : {}]}>{label}</Text>
			<Text style={[s.text, bold ? s.strong : {}]}>{value}</Text>
		</View>
	)
	const DateLine = ({ label, date }: { label: string; date: Date }) => (
		<View style={s.row}>
			<Text style={s.text}>{`${label}: ${pdfDate(lang, date)}`}</Text>
			{lang === 'fa' ? <Text style={[s.muted, { direction: 'ltr', marginHorizontal: 6 }]}>{gregorianDate(date)}</Text> : null}
		</View>
	)
	return (
		<Document title={`${heading} ${inv.number ?? ''}`} language={lang}>
			<Page size="A4" style={s.page}>
				<View style={s.row}>
					<View>
						<Text style={s.title}>{heading}</Text>
						<Text style={s.text}>{`${t('invoices.number')}: ${inv.number ?? t('invoices.draftNumber')}`}</Text>
						<Text style={s.text}>{`${t(`invoices.status.${inv.status}`)} — ${t(`invoices.kind.${inv.kind}`)}`}</Text>
					</View>
					<View>
						{seller.companyName ? <Text style={[s.text, s.strong]}>{seller.companyName}</Text> : null}
						{seller.address ? <Text style={s.muted}>{seller.address}</Text> : null}
						{seller.taxId ? <Text style={s.muted}>{`${t('invoices.taxId')}: ${seller.taxId}`}</Text> : null}
					</View>
				</View>
				<View style={[s.row, { marginTop: 12 }]}>
					<View>
						<Text style={[s.text, s.strong]}>{t('invoices.billTo')}</Text>
						<Text style={s.text}>{inv.billTo?.name ?? ''}</Text>
						{inv.billTo?.address ? <Text style={s.muted}>{inv.billTo.address}</Text> : null}
					</View>
					<View>
						{inv.issuedAt ? <DateLine label={t('invoices.issued')} date={inv.issuedAt} /> : null}
						{inv.dueAt && inv.status === 'open' ? <DateLine label={t('invoices.due')} date={inv.dueAt} /> : null}
						{inv.paidAt ? <DateLine label={t('invoices.paidAt')} date={inv.paidAt} /> : null}
					</View>
				</View>
				<View style={[s.row, s.th]}>
					<Text style={s.desc}>{t('invoices.description')}</Text>
					<Text style={s.qty}>{t('invoices.quantity')}</Text>
					<Text style={s.num}>{t('invoices.unitPrice')}</Text>
					<Text style={s.num}>{t('invoices.amount')}</Text>
				</View>
				{inv.lines.map((l, i) => (
					<View key={i} style={[s.row, s.td]} wrap={false}>
						<Text style={s.desc}>{lineLabel(t, lang, l)}</Text>
						<Text style={s.qty}>{formatNumber(lang, l.quantity)}</Text>
						<Text style={s.num}>{money(l.unitAmount)}</Text>
						<Text style={s.num}>{money(l.amount)}</Text>
					</View>
				))}
				<View style={s.totals}>
					<Pair label={t('invoices.subtotal')} value={money(inv.subtotal)} />
					{inv.discount > 0n ? <Pair label={t('invoices.discount')} value={money(-inv.discount)} /> : null}
					{inv.credit > 0n ? <Pair label={t('invoices.credit')} value={money(-inv.credit)} /> : null}
					{inv.taxAmount > 0n ? <Pair label={t('invoices.tax')} value={money(inv.taxAmount)} /> : null}
					<Pair label={t('invoices.total')} value={money(inv.total)} bold />
					{inv.walletCredit > 0n ? <Text style={s.muted}>{`${t('invoices.walletCredit')}: ${money(inv.walletCredit)}`}</Text> : null}
				</View>
				{seller.terms ? <Text style={s.footer}>{seller.terms}</Text> : null}
				{seller.invoiceFooter ? <Text style={s.footer}>{seller.invoiceFooter}</Text> : null}
			</Page>
		</Document>
	)
}

export async function renderInvoicePdf(inv: PdfInvoice, seller: StoreBilling, lang: Lang): Promise<Buffer> {
	registerPdfFonts()
	const t = await getT(lang)
	return renderToBuffer(<InvoiceDocument inv={inv} seller={seller} t={t} lang={lang} />)
}
