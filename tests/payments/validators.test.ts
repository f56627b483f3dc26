// The payment-method form's checks as tables: Luhn, sheba mod-97 (Persian digits, separators),
// crypto networks, limits and hours. Each invalid row names the translation key it must give.
import { parseWithZod } from '@conform-to/zod/v4'
import { describe, expect, test } from 'vitest'
import { PaymentMethodFormSchema } from '~/models/payment-method-form'

const form = (fields: Record<string, string>) => {
	const fd = new FormData()
	for (const [k, v] of Object.entries(fields)) fd.set(k, v)
	return parseWithZod(fd, { schema: PaymentMethodFormSchema })
}
const card = (over: Record<string, string> = {}) => form({ kind: 'card', alias: 'Melli 1', holder: 'Ali Rezaei', bank: 'Melli', cardNumber: '6037990000000006', active: 'on', ...over })
const iban = (over: Record<string, string> = {}) => form({ kind: 'iban', alias: 'Sheba 1', holder: 'Ali Rezaei', bank: 'Saman', sheba: 'IR062960000000100324200001', ...over })
const crypto = (over: Record<string, string> = {}) => form({ kind: 'crypto', alias: 'USDT', asset: 'usdt', network: 'TRC20', address: 'TXYZabc123456789', ...over })
const errorsOf = (s: ReturnType<typeof form>) => (s.status === 'success' ? {} : (s.reply().error ?? {}))

describe('card numbers', () => {
	test.each([
		['plain', '6037990000000006', '6037990000000006'],
		['grouped with spaces', '6037 9900 0000 0006', '6037990000000006'],
		['with dashes', '6219-8610-3452-9007', '6219861034529007'],
		['Persian digits', '۶۰۳۷۹۹۰۰۰۰۰۰۰۰۰۶', '6037990000000006'],
		['Arabic-Indic digits', '٦٠٣٧٩٩٠٠٠٠٠٠٠٠٠٦', '6037990000000006'],
	])('valid: %s', (_name, input, stored) => {
		const s = card({ cardNumber: input })
		expect(s.status).toBe('success')
		if (s.status === 'success') expect(s.value.details).toEqual({ number: stored, holder: 'Ali Rezaei', bank: 'Melli' })
	})
	test.each([
		['one digit changed (Luhn)', '6037990000000007', 'payments.errors.luhn'],
		['two digits swapped (Luhn)', '6037990000000060', 'payments.errors.luhn'],
		['15 digits', '603799000000006', 'payments.errors.cardLength'],
		['letters', '6037abcd00000006', 'payments.errors.cardLength'],
		['empty', '', 'errors.required'],
	])('invalid: %s', (_name, input, key) => {
		expect(errorsOf(card({ cardNumber: input })).cardNumber).toEqual([key])
	})
	test('holder and bank are required for a card; bidi characters refused', () => {
		expect(errorsOf(card({ holder: '' })).holder).toEqual(['errors.required'])
		expect(errorsOf(card({ holder: 'Ali\u202eRezaei' })).holder).toEqual(['errors.bidiChars'])
	})
})

describe('sheba (ISO 13616 mod-97)', () => {
	test.each([
		['plain', 'IR062960000000100324200001'],
		['lower case with spaces', 'ir06 2960 0000 0010 0324 2000 01'],
		['Persian digits', 'IR۰۶۲۹۶۰۰۰۰۰۰۰۱۰۰۳۲۴۲۰۰۰۰۱'],
		['24 digits without IR', '820540102680020817909002'],
	])('valid: %s', (_name, input) => {
		const s = iban({ sheba: input })
		expect(s.status).toBe('success')
		if (s.status === 'success') expect((s.value.details as { sheba: string }).sheba).toMatch(/^IR\d{24}$/)
	})
	test.each([
		['last digit changed', 'IR062960000000100324200002', 'payments.errors.shebaChecksum'],
		['check digits changed', 'IR072960000000100324200001', 'payments.errors.shebaChecksum'],
		['Persian digits, wrong check', 'IR۰۶۲۹۶۰۰۰۰۰۰۰۱۰۰۳۲۴۲۰۰۰۰۲', 'payments.errors.shebaChecksum'],
		['another country', 'DE89370400440532013000', 'payments.errors.shebaFormat'],
		['too short', 'IR0629600000001003242000', 'payments.errors.shebaFormat'],
	])('invalid: %s', (_name, input, key) => {
		expect(errorsOf(iban({ sheba: input })).sheba).toEqual([key])
	})
})

describe('crypto wallets', () => {
	test('valid with and without memo; the asset is upper-cased', () => {
		const s = crypto()
		expect(s.status).toBe('success')
		if (s.status === 'success') expect(s.value.details).toEqual({ asset: 'USDT', network: 'TRC20', address: 'TXYZabc123456789' })
		const ton = crypto({ network: 'TON', asset: 'TON', memo: '123456' })
		expect(ton.status === 'success' && ton.value.details).toEqual({ asset: 'TON', network: 'TON', address: 'TXYZabc123456789', memo: '123456' })
	})
	test.each([
		['unknown network', { network: 'SOL' }, 'network', 'payments.errors.network'],
		['empty address', { address: '' }, 'address', 'errors.required'],
		['address with a space', { address: 'TXYZ abc' }, 'address', 'payments.errors.address'],
		['address with a bidi mark', { address: 'TXYZ\u202eabc' }, 'address', 'payments.errors.address'],
	])('invalid: %s', (_name, over, field, key) => {
		expect(errorsOf(crypto(over))[field]).toEqual([key])
	})
})

describe('limits and hours', () => {
	test('amounts and limits become bigint Rial and minutes (Persian digits accepted)', () => {
		const s = card({ minAmount: '۱۰۰٬۰۰۰', maxAmount: '50000000', dailyCountLimit: '۲۰', dailyAmountLimit: '1000000000', activeFrom: '۰۸:۳۰', activeTo: '23:00', priority: '5' })
		expect(s.status).toBe('success')
		if (s.status === 'success') expect(s.value).toMatchObject({ minAmount: 100_000n, maxAmount: 50_000_000n, dailyCountLimit: 20, dailyAmountLimit: 1_000_000_000n, activeFrom: 510, activeTo: 1380, priority: 5 })
		const open = card()
		expect(open.status === 'success' && open.value).toMatchObject({ minAmount: null, maxAmount: null, dailyCountLimit: null, dailyAmountLimit: null, activeFrom: null, activeTo: null })
	})
	test.each([
		['min above max', { minAmount: '500', maxAmount: '100' }, 'maxAmount', 'adminBilling.errors.minMax'],
		['zero daily count', { dailyCountLimit: '0' }, 'dailyCountLimit', 'errors.positive'],
		['negative amount limit', { dailyAmountLimit: '-5' }, 'dailyAmountLimit', 'errors.positive'],
		['fractional minimum', { minAmount: '10.5' }, 'minAmount', 'errors.integer'],
		['only a start time', { activeFrom: '08:00' }, 'activeTo', 'payments.errors.hoursPair'],
		['a start time of 25:00', { activeFrom: '25:00', activeTo: '08:00' }, 'activeFrom', 'payments.errors.clock'],
		['equal times', { activeFrom: '08:00', activeTo: '08:00' }, 'activeTo', 'payments.errors.hoursEmpty'],
		['unknown kind', { kind: 'paypal' }, 'kind', 'errors.required'],
	])('invalid: %s', (_name, over, field, key) => {
		expect(errorsOf(card(over))[field]).toEqual([key])
	})
})
