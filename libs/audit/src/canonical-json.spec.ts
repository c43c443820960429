import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { GatewayError } from '@aeo/domain';
import {
  GENESIS_HASH,
  canonicalEntry,
  entryHash,
  normaliseInput,
  type AuditEntryRecord,
} from './audit-entry.js';
import { canonicalJson } from './canonical-json.js';

function errorOf(action: () => unknown): { code: string; path?: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError)
      return { code: error.code, ...(error.path ? { path: error.path } : {}) };
    throw error;
  }
  throw new Error('expected an error');
}

describe('canonical JSON (RFC 8785 style)', () => {
  it('sorts keys by UTF-16 code units and drops whitespace', () => {
    // RFC 8785 §3.2.3 sorting example (keys as UTF-16 code units).
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(canonicalJson({ b: [1, { d: true, c: null }], a: 'x' })).toBe(
      '{"a":"x","b":[1,{"c":null,"d":true}]}',
    );
  });

  it('writes numbers as ECMAScript does (RFC 8785 §3.2.2.3)', () => {
    expect(canonicalJson([333333333.33333329, 1e30, 4.5, 0.002, 1e-27, -0, 9007199254740991])).toBe(
      '[333333333.3333333,1e+30,4.5,0.002,1e-27,0,9007199254740991]',
    );
  });

  it('escapes strings as JSON.stringify does and keeps other characters as they are', () => {
    expect(canonicalJson('\u20ac$\u000f\nA\'B"\\\\"/ ТИП')).toBe(
      '"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/ ТИП"',
    );
  });

  it('refuses values that are not plain JSON data, naming where they are', () => {
    expect(errorOf(() => canonicalJson({ a: [1, Number.POSITIVE_INFINITY] }))).toEqual({
      code: 'INVALID_VALUE',
      path: '/a/1',
    });
    expect(errorOf(() => canonicalJson({ 'x/y': new Date(0) }))).toEqual({
      code: 'INVALID_VALUE',
      path: '/x~1y',
    });
    expect(errorOf(() => canonicalJson({ n: 10n }))).toEqual({ code: 'INVALID_VALUE', path: '/n' });
    expect(errorOf(() => canonicalJson({ s: 'bad \ud800 surrogate' }))).toEqual({
      code: 'INVALID_VALUE',
      path: '/s',
    });
    expect(canonicalJson({ skipped: undefined, kept: 1 })).toBe('{"kept":1}');
  });

  it('is what JSON.parse gives back: parse(canonical) re-encodes to the same text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });
});

describe('entry encoding and hash', () => {
  const entry1: AuditEntryRecord = {
    seq: 1,
    recordedAt: 1795860000000,
    direction: 'IN',
    partner: 'cn',
    messageId: 'CN-2026-000001',
    correlationId: null,
    aeoId: 'CN1234567890',
    type: 'MESSAGE_RECEIVED',
    outcome: 'ACCEPTED',
    actor: null,
    keyId: 'cn-sig-2026',
    payloadSha256: '5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef',
    details: '{"messageType":"AEO_STATUS_DELTA","records":1}',
    prevHash: GENESIS_HASH,
  };

  it('matches the worked example in docs/audit.md', () => {
    expect(canonicalEntry(entry1)).toBe(
      '{"actor":null,"aeoId":"CN1234567890","correlationId":null,"details":{"messageType":"AEO_STATUS_DELTA","records":1},' +
        '"direction":"IN","keyId":"cn-sig-2026","messageId":"CN-2026-000001","outcome":"ACCEPTED","partner":"cn",' +
        '"payloadSha256":"5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",' +
        '"prevHash":"0000000000000000000000000000000000000000000000000000000000000000","recordedAt":1795860000000,"seq":1,' +
        '"type":"MESSAGE_RECEIVED"}',
    );
    expect(entryHash(entry1)).toBe('c2491abe7d2fef8a6c4921516cea3588864c28acb770539025a229efdf180a1e');
    const entry2: AuditEntryRecord = {
      ...entry1,
      seq: 2,
      direction: 'INTERNAL',
      aeoId: null,
      type: 'VERIFICATION',
      outcome: 'VALID',
      payloadSha256: null,
      details: canonicalJson({ note: 'Ünïcödé "quoted"', alg: 'ES256' }),
      prevHash: entryHash(entry1),
    };
    expect(entryHash(entry2)).toBe('574cee9f8d4534b29a1c123b9434dbc60f6eae54c2b7b5319f29a8e2b64fa8f7');
  });

  it('the fast template encodes exactly what generic canonical JSON of the fields gives', () => {
    const text = fc.option(fc.string({ minLength: 1, maxLength: 30, unit: 'binary' }), { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          recordedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
          direction: fc.constantFrom('IN', 'OUT', 'INTERNAL'),
          partner: text,
          messageId: text,
          correlationId: text,
          aeoId: text,
          type: fc.constantFrom('MESSAGE_RECEIVED', 'CHECKPOINT'),
          outcome: fc.constantFrom('ACCEPTED', 'SIGNATURE_INVALID'),
          actor: text,
          keyId: text,
          payloadSha256: fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: null }),
          details: fc.dictionary(fc.string(), fc.jsonValue()).map((value) => canonicalJson(value)),
          prevHash: fc.stringMatching(/^[0-9a-f]{64}$/),
        }),
        (record) => {
          expect(canonicalEntry(record)).toBe(
            canonicalJson({ ...record, details: JSON.parse(record.details) }),
          );
        },
      ),
    );
  });

  it('normalises inputs: payload bytes give payloadSha256, details become canonical text', () => {
    const prepared = normaliseInput(
      {
        direction: 'OUT',
        type: 'MESSAGE_SENT',
        outcome: 'SENT',
        partner: 'kr',
        payload: Buffer.from('{"messageId":"CN-2026-000001"}'),
        details: { z: 1, a: { y: [true, null] } },
      },
      0,
    );
    expect(prepared).toMatchObject({
      payloadSha256: 'f333e27b16da6ae3c4c51a52c9de738f17cf4ddd10699d1131eaa84c030f228c',
      details: '{"a":{"y":[true,null]},"z":1}',
      messageId: null,
      actor: null,
    });
    expect(
      errorOf(() =>
        normaliseInput(
          {
            direction: 'IN',
            type: 'MESSAGE_RECEIVED',
            outcome: 'ACCEPTED',
            payload: Buffer.from('a'),
            payloadSha256: '0'.repeat(64),
          },
          3,
        ),
      ),
    ).toEqual({ code: 'INVALID_VALUE', path: '/3/payloadSha256' });
    expect(errorOf(() => normaliseInput({ direction: 'IN', type: 'X', outcome: 'ok' }, 0))).toEqual({
      code: 'INVALID_VALUE',
      path: '/0/outcome',
    });
  });
});
