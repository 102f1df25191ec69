import { strict as assert } from 'node:assert';
import { serialize } from 'pg-protocol';
import { ByteWriter, PgMessage, PgMessages, WireError, decodePg, encodePg, encodePgMessage, toHex, utf8 } from '../../../src/core/wire';
import { assertTruncationsSafe, roundTrip } from './helpers';

const codec = { encode: (p: PgMessages) => encodePg(p).finish(), decode: (b: Uint8Array, s: number, e: number, dir: 'frontend' | 'backend' = 'frontend') => decodePg(b, dir, s, e) };
const fe = { ...codec, decode: (b: Uint8Array, s: number, e: number) => decodePg(b, 'frontend', s, e) };
const be = { ...codec, decode: (b: Uint8Array, s: number, e: number) => decodePg(b, 'backend', s, e) };
const one = (m: PgMessage): string => {
  const w = new ByteWriter();
  encodePgMessage(w, m, '');
  return toHex(w.finish());
};

describe('wire: PostgreSQL', () => {
  it('frontend bytes equal pg-protocol serialize() for the messages it can express', () => {
    // pg-protocol always adds client_encoding
    assert.equal(one({ type: 'startup', params: [['user', 'app'], ['database', 'users'], ['client_encoding', 'UTF8']] }), toHex(serialize.startup({ user: 'app', database: 'users' })));
    assert.equal(one({ type: 'parse', name: 's1', query: 'SELECT $1::int', paramTypes: [23] }), toHex(serialize.parse({ name: 's1', text: 'SELECT $1::int', types: [23] })));
    assert.equal(one({ type: 'bind', portal: '', statement: 's1', paramFormats: [0, 0], values: [utf8('42'), null], resultFormats: [0] }),
      toHex(serialize.bind({ statement: 's1', values: ['42', null] })));
    assert.equal(one({ type: 'describe', target: 'P', name: '' }), toHex(serialize.describe({ type: 'P' })));
    assert.equal(one({ type: 'execute', portal: '', maxRows: 0 }), toHex(serialize.execute()));
    assert.equal(one({ type: 'sync' }), toHex(serialize.sync()));
    assert.equal(one({ type: 'query', sql: 'SELECT 1' }), toHex(serialize.query('SELECT 1')));
    assert.equal(one({ type: 'terminate' }), toHex(serialize.end()));
  });

  it('round-trips an extended-query flight from the client', () => {
    const p: PgMessages = {
      proto: 'pgsql', direction: 'frontend', messages: [
        { type: 'startup', protocolVersion: 196608, params: [['user', 'app']] },
        { type: 'parse', name: '', query: 'SELECT * FROM users WHERE id = $1', paramTypes: [23] },
        { type: 'bind', portal: '', statement: '', paramFormats: [1], values: [Uint8Array.of(0, 0, 0, 42)], resultFormats: [0, 1] },
        { type: 'describe', target: 'S', name: '' },
        { type: 'execute', portal: '', maxRows: 10 },
        { type: 'close', target: 'P', name: 'p' },
        { type: 'flush' },
        { type: 'sync' },
      ],
    };
    const { decoded } = roundTrip(fe, p);
    assert.deepEqual(decoded, p);
  });

  it('decodes backend messages through pg-protocol\'s Parser and round-trips them', () => {
    const p: PgMessages = {
      proto: 'pgsql', direction: 'backend', messages: [
        { type: 'authentication_ok' },
        { type: 'parameter_status', name: 'client_encoding', value: 'UTF8' },
        { type: 'backend_key_data', processId: 1234, secretKey: 0xdeadbeef },
        { type: 'ready_for_query', status: 'I' },
        { type: 'parse_complete' },
        { type: 'bind_complete' },
        { type: 'row_description', fields: [{ name: 'id', tableOid: 16384, columnAttr: 1, typeOid: 23, typeSize: 4, typeModifier: -1, format: 0 }] },
        { type: 'data_row', values: [utf8('42'), null, utf8('Ada Lovelace')] },
        { type: 'command_complete', tag: 'SELECT 1' },
        { type: 'no_data' },
        { type: 'error_response', fields: [['S', 'FATAL'], ['C', '28P01'], ['M', 'password authentication failed']] },
        { type: 'ready_for_query', status: 'E' },
      ],
    };
    const { bytes, decoded } = roundTrip(be, p);
    assert.deepEqual(decoded, p);
    assert.equal(toHex(bytes.subarray(0, 9)), '520000000800000000');
  });

  it('keeps what the Parser cannot represent exactly (binary column values, unknown types) verbatim', () => {
    const p: PgMessages = { proto: 'pgsql', direction: 'backend', messages: [{ type: 'data_row', values: [Uint8Array.of(0xff, 0xfe)] }, { type: 'unknown', code: 0x76, body: Uint8Array.of(1, 2) }] };
    const bytes = codec.encode(p);
    const d = decodePg(bytes, 'backend');
    assert.deepEqual(d.messages.map((m) => m.type), ['unknown', 'unknown']);
    assert.equal(toHex(codec.encode(d)), toHex(bytes));
  });

  it('throws WireError on truncation and bad lengths', () => {
    const bytes = codec.encode({ proto: 'pgsql', direction: 'frontend', messages: [{ type: 'parse', name: '', query: 'SELECT 1', paramTypes: [] }, { type: 'sync' }] });
    assertTruncationsSafe((b) => decodePg(b, 'frontend'), bytes);
    assertTruncationsSafe((b) => decodePg(b, 'backend'), bytes);
    assert.throws(() => decodePg(Uint8Array.of(0x53, 0, 0, 0, 2), 'backend'), WireError);
  });
});
