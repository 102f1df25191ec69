// A large trace goes to the panel in parts (src/shared/protocol.ts): the parts must add up to
// the trace, in order, and a trace whose parts did not all arrive must not be shown half.
import { strict as assert } from 'node:assert';
import { splitTraceMessage, traceAssembler, TRACE_PART, type ToPanel } from '../../../src/shared/protocol';
import { SEED, traceOf } from '../sim/helpers';

describe('extension -> panel: a trace in parts', function () {
  this.timeout(20000);
  const small = traceOf(SEED);
  const big = traceOf(SEED, ['body 256B', 'body 128KB']);

  const roundTrip = (messages: ToPanel[]): ToPanel[] => {
    const out: ToPanel[] = [];
    const deliver = traceAssembler((m) => out.push(m));
    for (const m of messages) deliver(JSON.parse(JSON.stringify(m)) as ToPanel);
    return out;
  };

  it('sends a small trace as one message, unchanged', () => {
    const m: ToPanel = { type: 'trace', file: 'f', trace: small };
    assert.deepEqual(splitTraceMessage(m), [m]);
  });

  it('sends a large trace in bounded parts that the panel puts back in order', () => {
    assert.ok(big.packets.length > TRACE_PART.packets, `the 128 KB response has ${big.packets.length} packets`);
    const messages = splitTraceMessage({ type: 'trace', file: 'f', trace: big, selection: { event: 7 } });
    const parts = messages.filter((m) => m.type === 'traceParts');
    assert.equal(messages.length, parts.length + 1);
    for (const p of parts) {
      assert.ok(p.type === 'traceParts' && p.packets.length <= TRACE_PART.packets && p.events.length <= TRACE_PART.events);
    }
    const [whole] = roundTrip(messages);
    assert.ok(whole.type === 'trace' && whole.parts === undefined);
    assert.deepEqual(whole.selection, { event: 7 });
    assert.equal(JSON.stringify(whole.trace), JSON.stringify(big));
  });

  it('drops parts whose trace is incomplete, and passes other messages through', () => {
    const messages = splitTraceMessage({ type: 'trace', file: 'f', trace: big });
    const out = roundTrip([...messages.slice(1), { type: 'stale', error: 'e' }, ...splitTraceMessage({ type: 'trace', file: 'f', trace: small })]);
    assert.deepEqual(out.map((m) => m.type), ['stale', 'trace']);
    assert.equal(out[1].type === 'trace' && out[1].trace.packets.length, small.packets.length);
  });
});
