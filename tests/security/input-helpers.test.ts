// The shared pieces every route uses against bad input: the form reader, the id / cursor schemas,
// the search-text cleaner and the bidi-control refusal in the form field helpers.
import { parseWithZod } from '@conform-to/zod/v4'
import { describe, expect, test } from 'vitest'
import { CreateCustomerSchema } from '~/models/customer-form'
import { NodeFormSchema } from '~/models/node-form'
import { PlanFormSchema } from '~/models/plan-form'
import { resellerFormSchema } from '~/models/reseller-form'
import * as newPlan from '~/routes/admin+/plans.new'
import { prisma } from '~/utils/db.server'
import { readForm } from '~/utils/form-data.server'
import { parseListParams } from '~/utils/pagination.server'
import { dbId, idParam, searchText } from '~/utils/validation'
import { loginAs } from '../factories'
import { BASE, formRequest, settle } from '../helpers'

const post = (contentType: string | null, body: string, lang?: string) => {
	const headers = new Headers()
	if (contentType) headers.set('Content-Type', contentType)
	if (lang) headers.set('Accept-Language', lang)
	return new Request(`${BASE}/x`, { method: 'POST', headers, body })
}

describe('readForm', () => {
	test('reads urlencoded and multipart forms', async () => {
		expect((await readForm(post('application/x-www-form-urlencoded; charset=UTF-8', 'intent=save&a=1'))).get('a')).toBe('1')
		const fd = new FormData()
		fd.append('a', '2')
		expect((await readForm(new Request(`${BASE}/x`, { method: 'POST', body: fd }))).get('a')).toBe('2')
	})

	test('a body that is not a form: 415 with a translated message', async () => {
		for (const type of ['application/json', 'text/plain', null]) {
			const r = await settle(() => readForm(post(type, '{"intent":"save"}')))
			expect(r).toBeInstanceOf(Response)
			expect((r as Response).status).toBe(415)
			expect(await (r as Response).text()).toBe('This address accepts only a submitted form.')
		}
		const fa = (await settle(() => readForm(post('application/json', '{}', 'fa')))) as Response
		expect([fa.status, await fa.text()]).toEqual([415, 'این نشانی فقط فرم ارسال‌شده را می‌پذیرد.'])
	})

	test('a form that does not parse: 400 with a translated message', async () => {
		for (const [type, body] of [['multipart/form-data; boundary=XYZ', '--XYZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1'], ['multipart/form-data', 'a=1']]) {
			const r = (await settle(() => readForm(post(type!, body!)))) as Response
			expect([r.status, await r.text()]).toEqual([400, 'The submitted form could not be read. Reload the page and try again.'])
		}
	})
})

describe('ids and cursors', () => {
	test('dbId: 1..2147483647, ASCII, Persian or Arabic digits, nothing else', () => {
		expect(dbId.parse('42')).toBe(42)
		expect(dbId.parse('۴۲')).toBe(42)
		expect(dbId.parse('٤٢')).toBe(42)
		expect(dbId.parse('2147483647')).toBe(2147483647)
		for (const bad of ['2147483648', '99999999999', '0', '-1', '1.5', '1e3', '0x10', ' 7', '', 'abc', '۹۹۹۹۹۹۹۹۹۹۹', undefined, 7]) expect([bad, dbId.safeParse(bad).success]).toEqual([bad, false])
	})

	test('idParam: a row id from the URL, or a 404', async () => {
		expect(idParam({ id: '۷' })).toBe(7)
		for (const bad of ['2147483648', 'x', undefined]) {
			const r = await settle(async () => idParam({ id: bad }))
			expect((r as Response).status).toBe(404)
		}
	})

	test('a cursor that cannot be an id means the first page; the search text loses control characters', () => {
		const p = (qs: string) => parseListParams(new Request(`${BASE}/admin/nodes?${qs}`))
		expect(p('after=99999999999').after).toBeUndefined()
		expect(p('after=-5').after).toBeUndefined()
		expect(p('after=۱۲').after).toBe(12)
		expect(p('q=a%00b%E2%80%AEc').q).toBe('abc')
		expect(p(`q=${'x'.repeat(500)}`).q).toHaveLength(100)
		expect(searchText(' \u0000ali\u2066 ')).toBe('ali')
	})
})

describe('bidi controls are refused in names, hosts and notes', () => {
	const SPOOF = 'invoice\u202Efdp.exe'
	const errorsOf = (schema: Parameters<typeof parseWithZod>[1]['schema'], fields: Record<string, string>): Record<string, string[] | null | undefined> => {
		const fd = new FormData()
		for (const [k, v] of Object.entries(fields)) fd.append(k, v)
		const s = parseWithZod(fd, { schema })
		return (s.status === 'error' ? s.error : null) ?? {}
	}

	test.each(['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'])('U+%s', (ch) => {
		expect(errorsOf(NodeFormSchema, { name: `a${ch}b`, kind: 'marzban', baseUrl: 'http://p.example' }).name).toEqual(['errors.bidiChars'])
	})

	test('in every form that takes a name, host or note', () => {
		expect(errorsOf(NodeFormSchema, { name: 'ok', kind: 'routeros', transport: 'api', host: SPOOF, port: '8728' }).host).toEqual(['errors.bidiChars'])
		expect(errorsOf(PlanFormSchema, { name: SPOOF, days: '30', dataLimitGb: '10', currency: 'USD', publicPrice: '5', resellerPrice: '3' }).name).toEqual(['errors.bidiChars'])
		expect(errorsOf(resellerFormSchema('create'), { name: SPOOF }).name).toEqual(['errors.bidiChars'])
		expect(errorsOf(CreateCustomerSchema, { note: SPOOF, nodeIds: '1', gb: '1', days: '1' }).note).toEqual(['errors.bidiChars'])
		// Persian text with its ordinary marks (ZWNJ, RLM) stays valid: only the embedding/override/isolate controls go
		expect(errorsOf(PlanFormSchema, { name: 'طرح ماهانه\u200c\u200f', days: '30', dataLimitGb: '10', currency: 'USD', publicPrice: '5', resellerPrice: '3' }).name).toBeUndefined()
	})

	test('through the route: 400 with the message key, no plan written', async () => {
		const { cookie } = await loginAs('admin')
		const before = await prisma.plan.count()
		const r = await newPlan.action({ request: formRequest('/admin/plans/new', { name: SPOOF, days: '30', dataLimitGb: '10', currency: 'USD', publicPrice: '5', resellerPrice: '3' }, { cookie }), params: {}, context: {} })
		const reply = r as unknown as { init: { status: number }; data: { result: { error: Record<string, string[]> } } }
		expect(reply.init.status).toBe(400)
		expect(reply.data.result.error.name).toEqual(['errors.bidiChars'])
		expect(await prisma.plan.count()).toBe(before)
	})
})
