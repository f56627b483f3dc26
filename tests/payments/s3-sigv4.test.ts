// The SigV4 signer against AWS's published examples (Amazon S3 API Reference, "Signature
// Calculations for the Authorization Header: Transferring Payload in a Single Chunk", examples
// GET Object, PUT Object, GET Bucket Lifecycle, Get Bucket (List Objects)): the same canonical
// request, string to sign and signature, to the character.
import { describe, expect, test } from 'vitest'
import { objectUrl } from '~/services/payments/s3/client.server'
import { EMPTY_SHA256, sha256Hex, signRequest } from '~/services/payments/s3/sigv4'

const AWS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1', now: new Date('2013-05-24T00:00:00Z') }
const credential = 'Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request'

describe('AWS SigV4 examples (examplebucket, 20130524)', () => {
	test('GET Object: the first 10 bytes of test.txt', () => {
		const s = signRequest({ ...AWS, method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: { Range: 'bytes=0-9' }, payloadSha256: EMPTY_SHA256 })
		expect(s.canonicalRequest).toBe(
			['GET', '/test.txt', '', 'host:examplebucket.s3.amazonaws.com', 'range:bytes=0-9', `x-amz-content-sha256:${EMPTY_SHA256}`, 'x-amz-date:20130524T000000Z', '', 'host;range;x-amz-content-sha256;x-amz-date', EMPTY_SHA256].join('\n'),
		)
		expect(s.stringToSign).toBe('AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972')
		expect(s.signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41')
		expect(s.headers.authorization).toBe(`AWS4-HMAC-SHA256 ${credential},SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41`)
	})

	test('PUT Object: test$file.text, its key encoded once, the payload hash signed', () => {
		const payload = sha256Hex('Welcome to Amazon S3.')
		expect(payload).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072')
		// Built the way the client builds it (virtual-hosted style here, as in the AWS example).
		const url = objectUrl({ endpoint: 'https://s3.amazonaws.com', bucket: 'examplebucket', pathStyle: false }, 'test$file.text')
		expect(url.href).toBe('https://examplebucket.s3.amazonaws.com/test%24file.text')
		const s = signRequest({ ...AWS, method: 'PUT', url, headers: { Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' }, payloadSha256: payload })
		expect(s.canonicalRequest.split('\n').slice(0, 3)).toEqual(['PUT', '/test%24file.text', ''])
		expect(s.stringToSign.split('\n')[3]).toBe('9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d')
		expect(s.headers.authorization).toBe(`AWS4-HMAC-SHA256 ${credential},SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd`)
	})

	test('GET Bucket Lifecycle: a bare ?lifecycle is "lifecycle="', () => {
		const s = signRequest({ ...AWS, method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/?lifecycle'), payloadSha256: EMPTY_SHA256 })
		expect(s.canonicalRequest.split('\n').slice(0, 3)).toEqual(['GET', '/', 'lifecycle='])
		expect(s.stringToSign.split('\n')[3]).toBe('9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca')
		expect(s.signature).toBe('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543')
	})

	test('Get Bucket (List Objects): the query sorted by key', () => {
		const s = signRequest({ ...AWS, method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2'), payloadSha256: EMPTY_SHA256 })
		expect(s.canonicalRequest.split('\n')[2]).toBe('max-keys=2&prefix=J')
		expect(s.stringToSign.split('\n')[3]).toBe('df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7')
		expect(s.signature).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7')
	})
})

describe('object URLs', () => {
	test('path style (MinIO, Ceph, ArvanCloud): endpoint/bucket/key, the endpoint port kept', () => {
		expect(objectUrl({ endpoint: 'http://127.0.0.1:9000/', bucket: 'receipts', pathStyle: true }, 'receipts/ab cd').href).toBe('http://127.0.0.1:9000/receipts/receipts/ab%20cd')
	})
	test('virtual-hosted: bucket.endpoint/key', () => {
		expect(objectUrl({ endpoint: 'https://s3.ir-thr-at1.arvanstorage.ir', bucket: 'hub', pathStyle: false }, 'receipts/x').href).toBe('https://hub.s3.ir-thr-at1.arvanstorage.ir/receipts/x')
	})
})
