// A statement as a PDF, built exactly like the invoice PDFs (services/invoices/pdf.server.tsx):
// @react-pdf/renderer with the Vazirmatn font from its npm package, which shapes Persian and
// orders mixed Persian / Latin / digits by the bidi algorithm (pdfkit and pdfmake reverse Persian
// words). Persian runs right to left with Persian digits; dates follow the statement's calendar,
// with the Gregorian date beside a Jalali one.
import { Document, Page, StyleSheet, Text, View, renderToBuffer } from '@react-pdf/renderer'
import type { TFunction } from 'i18next'
import { pdfMoney } from '~/services/invoices/pdf.server'
import { currencyName, formatNumber } from '~/utils/format'
import { registerPdfFonts } from '~/utils/pdf-fonts.server'
import type { Lang } from '~/utils/i18n'
import { getT } from '~/utils/i18n.server'
import { shownCurrency, type DisplayCurrency } from './display'
import { monthLabel, statementDate } from './month'
import type { FullStatement } from './statement.server'
import { customerText } from './xlsx.server'


function styles(lang: Lang) {
	const rtl = lang === 'fa'
	const align = rtl ? 'right' : 'left'
	const dir = rtl ? 'rtl' : 'ltr'
	return StyleSheet.create({
		page: { fontFamily: 'Vazirmatn', fontSize: 9, padding: 32, direction: dir },
		row: { flexDirection: rtl ? 'row-reverse' : 'row', justifyContent: 'space-between' },
		title: { fontSize: 16, fontWeight: 'bold', marginBottom: 6, textAlign: align, direction: dir },
		text: { textAlign: align, direction: dir, marginBottom: 2 },
		muted: { color: '#555', textAlign: align, direction: dir },
		summary: { marginTop: 8, width: 280, alignSelf: rtl ? 'flex-end' : 'flex-start' },
		th: { fontWeight: 'bold', borderBottom: '1pt solid #999', paddingBottom: 3, marginTop: 14 },
		td: { borderBottom: '0.5pt solid #ddd', paddingVertical: 3 },
		date: { width: 80, textAlign: align, direction: 'ltr' },
		op: { width: 95, textAlign: align, direction: dir },
		who: { flexGrow: 1, flexBasis: 0, textAlign: align, direction: dir },
		num: { width: 85, textAlign: rtl ? 'left' : 'right', direction: dir },
		strong: { fontWeight: 'bold' },
	})
}

/**
 * react-pdf lays out every row (shaping, bidi, page breaks): about 1,000 rows take seconds on a
 * busy 2-core box and it grows faster than linearly. A month past that is printed up to it, with
 * a line saying the Excel file has every entry (it streams far more cheaply).
 */
export const PDF_MAX_ROWS = 1_000

function StatementDocument({ s, t, lang, maxRows, display }: { s: FullStatement; t: TFunction; lang: Lang; maxRows: number; display: DisplayCurrency }) {
	const st = styles(lang)
	const cal = s.period.cal
	const money = (v: bigint) => pdfMoney(lang, v, s.reseller.currency, display)
	const title = t('statements.title', { month: monthLabel(lang, s.period) })
	const Pair = ({ label, value, bold }: { label: string; value: string; bold?: boolean }) => (
		<View style={st.row}>
			<Text style={[st.text, bold ? st.strong : {}]}>{label}</Text>
			<Text style={[st.text, bold ? st.strong : {}]}>{value}</Text>
		</View>
	)
	const first = new Date(`${s.period.firstDay}T12:00:00Z`)
	const last = new Date(`${s.period.lastDay}T12:00:00Z`)
	return (
		<Document title={title} language={lang}>
			<Page size="A4" style={st.page}>
				<Text style={st.title}>{title}</Text>
				<Text style={[st.text, st.strong]}>{s.reseller.name}</Text>
				<View style={st.row}>
					<Text style={st.text}>{`${t('statements.period')}: ${statementDate(lang, cal, first, false)} – ${statementDate(lang, cal, last, false)}`}</Text>
					{cal === 'jalali' ? <Text style={[st.muted, { direction: 'ltr' }]}>{`${s.period.firstDay} – ${s.period.lastDay}`}</Text> : null}
				</View>
				<Text style={st.muted}>{`${t('statements.currency')}: ${currencyName(lang, shownCurrency(s.reseller.currency, display))}`}</Text>
				<View style={st.summary}>
					<Pair label={t('statements.opening')} value={money(s.opening)} />
					<Pair label={t('statements.credits')} value={money(s.credits)} />
					<Pair label={t('statements.debits')} value={money(s.debits)} />
					<Pair label={t('statements.closing')} value={money(s.closing)} bold />
					<Pair label={t('statements.creditUsedClosing')} value={money(s.creditUsed.closing)} />
					<Pair label={t('statements.creditUsedPeak')} value={money(s.creditUsed.peak)} />
					<Pair label={t('statements.creditLimit')} value={money(s.creditUsed.limit)} />
				</View>
				<View style={[st.row, st.th]} fixed>
					<Text style={st.date}>{t('statements.columns.date')}</Text>
					<Text style={st.op}>{t('statements.columns.operation')}</Text>
					<Text style={st.who}>{t('statements.columns.customer')}</Text>
					<Text style={st.num}>{t('statements.columns.amount')}</Text>
					<Text style={st.num}>{t('statements.columns.balanceAfter')}</Text>
				</View>
				{s.rows.length === 0 ? <Text style={[st.muted, { marginTop: 6 }]}>{t('statements.empty')}</Text> : null}
				{s.rows.slice(0, maxRows).map((r) => (
					<View key={String(r.id)} style={[st.row, st.td]} wrap={false}>
						<Text style={st.date}>{statementDate(lang, cal, r.at, true)}</Text>
						<Text style={st.op}>{t(`statements.operations.${r.operation}`)}</Text>
						<Text style={st.who}>{customerText(t, r) || r.note || ''}</Text>
						<Text style={st.num}>{money(r.amount)}</Text>
						<Text style={st.num}>{money(r.balanceAfter)}</Text>
					</View>
				))}
				<Text style={[st.muted, { marginTop: 10 }]}>{t('statements.count', { count: s.count, n: formatNumber(lang, s.count) })}</Text>
				{s.rows.length > maxRows ? <Text style={st.muted}>{t('statements.pdfTruncated', { shown: formatNumber(lang, maxRows), n: formatNumber(lang, s.rows.length) })}</Text> : null}
			</Page>
		</Document>
	)
}

export async function statementPdf(s: FullStatement, lang: Lang, maxRows = PDF_MAX_ROWS, display: DisplayCurrency = 'IRR'): Promise<Buffer> {
	registerPdfFonts()
	const t = await getT(lang)
	return renderToBuffer(<StatementDocument s={s} t={t} lang={lang} maxRows={maxRows} display={display} />)
}
