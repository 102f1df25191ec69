// Quick fixes, keyed on the diagnostic's stable `code` (and its `data.suggestion`). A fix is only
// offered where the intent is clear: one plausible gateway, one obvious way to write the value.
// Where several answers fit, none is offered: a wrong fix applied in one click is worse than none.
import { lineEndAfter, lineStartBefore, terminatorLength, type Span } from '../language/range';
import type { Statement } from '../language/parser';
import * as V from '../language/values';
import { lookupA } from '../model/checks';
import { addressesOf, ip, onSubnet, Topology, traceRoute } from '../model/topology';
import type { Device, Network } from '../model/types';
import { argSpecs, headEnd, mainDocument, statementAt, type ServiceInput, type TextEdit } from './context';
import { definitionsOf } from './navigation';

/** The part of a diagnostic a fix needs (what the editor sends back with the request). */
export interface DiagnosticRef { code: string; span: Span; message: string; data?: { suggestion?: string; replacement?: string } }

export interface CodeAction {
  title: string;
  kind: 'quickfix';
  /** Index into the diagnostics given. */
  diagnostic: number;
  edits: TextEdit[];
  isPreferred?: boolean;
}

const UNIT_FOR: Record<string, string> = { duration: 'ms', bandwidth: 'Mbps', percent: '%' };
const PARSERS: Record<string, (t: string) => V.Parsed<unknown>> = {
  duration: V.parseDuration, seconds: V.parseSeconds, size: V.parseSize, bandwidth: V.parseBandwidth, percent: V.parsePercent,
};

export function codeActions(input: ServiceInput, diagnostics: readonly DiagnosticRef[]): CodeAction[] {
  const out: CodeAction[] = [];
  diagnostics.forEach((d, i) => {
    try {
      out.push(...fixesFor(input, d).map((a) => ({ ...a, diagnostic: i, kind: 'quickfix' as const })));
    } catch {
      // A fix that cannot be computed (the text moved on) is simply not offered.
    }
  });
  return out;
}

type Fix = Omit<CodeAction, 'diagnostic' | 'kind'>;

function fixesFor(input: ServiceInput, d: DiagnosticRef): Fix[] {
  const text = input.text.slice(d.span.start, d.span.end);
  const edit = (span: Span, newText: string): TextEdit => ({ file: input.file, span, newText });
  const fixes: Fix[] = [];
  if (d.data?.suggestion && d.data.suggestion !== text) {
    fixes.push({ title: `Change to "${d.data.suggestion}"`, edits: [edit(d.span, d.data.suggestion)], isPreferred: true });
  }
  const at = statementAt(mainDocument(input), d.span.start);
  switch (d.code) {
    case 'bad-cidr':
      if (!text.includes('/') && V.parseIpv4(text).ok) fixes.push({ title: `Add the prefix length: ${text}/24`, edits: [edit({ start: d.span.end, end: d.span.end }, '/24')], isPreferred: true });
      break;
    case 'bad-ipv4': {
      const slash = text.indexOf('/');
      if (slash > 0 && V.parseIpv4(text.slice(0, slash)).ok) fixes.push({ title: `Remove the prefix length: ${text.slice(0, slash)}`, edits: [edit({ start: d.span.start + slash, end: d.span.end }, '')], isPreferred: true });
      break;
    }
    case 'bad-mac': {
      const hex = text.replace(/[-:.\s]/g, '');
      if (/^[0-9a-fA-F]{12}$/.test(hex)) {
        const mac = hex.toLowerCase().match(/../g)?.join(':') ?? '';
        if (mac !== text) fixes.push({ title: `Write the MAC address as ${mac}`, edits: [edit(d.span, mac)], isPreferred: true });
      }
      break;
    }
    case 'bad-duration': case 'bad-bandwidth': case 'bad-size': case 'bad-number': {
      const type = at?.arg?.spec?.value.type;
      const next = at?.arg ? at.statement.args[at.arg.index + 1] : undefined;
      const parse = type ? PARSERS[type] : undefined;
      if (parse && next && parse(text + next.value).ok) {
        fixes.push({ title: `Join into "${text}${next.value}"`, edits: [edit({ start: d.span.end, end: next.span.start }, '')], isPreferred: true });
      } else if (type && UNIT_FOR[type] && /^\d+(\.\d+)?$/.test(text)) {
        fixes.push({ title: `Add the unit: ${text}${UNIT_FOR[type]}`, edits: [edit({ start: d.span.end, end: d.span.end }, UNIT_FOR[type])] });
      }
      break;
    }
    case 'extra-argument': {
      if (!at) break;
      const idx = at.statement.args.findIndex((a) => a.span.start === d.span.start);
      if (idx < 0) break;
      const prev = idx > 0 ? at.statement.args[idx - 1] : undefined;
      const from = prev ? prev.span.end : at.statement.keywordSpan.end;
      // `latency 2 ms`: the unit was split off, so joining is the likelier intent.
      const type = prev && at.spec ? argSpecs(at.spec, at.statement.args.map((a) => a.value))[idx - 1]?.value.type : undefined;
      const parse = type ? PARSERS[type] : undefined;
      if (prev && parse && idx === at.statement.args.length - 1 && parse(prev.value + at.statement.args[idx].value).ok) {
        fixes.push({ title: `Join into "${prev.value}${at.statement.args[idx].value}"`, edits: [edit({ start: prev.span.end, end: d.span.start }, '')], isPreferred: true });
      }
      fixes.push({ title: idx === at.statement.args.length - 1 ? `Remove "${at.statement.args[idx].text}"` : 'Remove the extra arguments', edits: [edit({ start: from, end: headEnd(at.statement) }, '')] });
      break;
    }
    case 'duplicate-property': {
      if (!at) break;
      fixes.push({ title: `Remove the repeated "${at.statement.keyword}"`, edits: [edit(lineSpan(input.text, at.statement.span), '')] });
      break;
    }
    case 'gateway-unreachable':
      fixes.push(...gatewayUnreachable(input, d));
      break;
    case 'no-route':
      fixes.push(...noRoute(input, d));
      break;
  }
  return fixes;
}

/** The statement's whole line(s) when nothing else is on them, else just the statement. */
function lineSpan(text: string, span: Span): Span {
  const start = lineStartBefore(text, span.start);
  const end = lineEndAfter(text, span.end);
  const before = text.slice(start, span.start);
  const after = text.slice(span.end, end);
  return /^\s*$/.test(before) && /^\s*(#.*)?$/.test(after) ? { start, end: end + terminatorLength(text, end) } : span;
}

const FORWARDS = new Set<Device['kind']>(['router', 'internet-gateway']);

/** Routers with an address on the same wire and subnet as one of `d`'s interfaces (by any of
 * the addresses of either: a router on a stick serves several subnets through one port). */
function candidateGateways(net: Network, topo: Topology, d: Device, exclude: ReadonlySet<string>): { address: number; where: string }[] {
  const out: { address: number; where: string }[] = [];
  for (const i of d.interfaces) {
    if (i.address === undefined || i.prefix === undefined || i.bridge) continue;
    const seg = topo.segment(i);
    for (const other of net.devices.values()) {
      if (other === d || !FORWARDS.has(other.kind) || exclude.has(other.name)) continue;
      for (const o of other.interfaces) {
        if (o.address === undefined || topo.segment(o) !== seg) continue;
        for (const a of addressesOf(o)) if (onSubnet(i, a.address)) out.push({ address: a.address, where: `${other.name}.${o.name}` });
      }
    }
  }
  return out;
}

/** `gateway X` where X is on no subnet of the device: if exactly one router shares a wire and
 * a subnet with it, that router is the gateway that was meant. */
function gatewayUnreachable(input: ServiceInput, d: DiagnosticRef): Fix[] {
  const net = input.result.network;
  for (const dev of net.devices.values()) {
    const route = dev.routes.find((r) => r.source.file === input.file && r.source.span.start === d.span.start);
    if (!route) continue;
    const cands = candidateGateways(net, new Topology(net), dev, new Set());
    const at = statementAt(mainDocument(input), d.span.start);
    const arg = at?.statement.keyword === 'gateway' ? at.statement.args[0] : at?.statement.keyword === 'route' ? at.statement.args[2] : undefined;
    if (cands.length !== 1 || !arg) return [];
    return [{ title: `Use gateway ${ip(cands[0].address)} (${cands[0].where})`, edits: [{ file: input.file, span: arg.span, newText: ip(cands[0].address) }], isPreferred: true }];
  }
  return [];
}

/** A scenario whose host cannot reach a destination: where the path stops at a device without
 * a default route and one router is next to it, add `gateway` to that device. */
function noRoute(input: ServiceInput, d: DiagnosticRef): Fix[] {
  const net = input.result.network;
  const sc = net.scenarios.find((s) => s.source.file === input.file && s.source.span.start === d.span.start);
  const host = sc && net.devices.get(sc.from);
  if (!sc || !host) return [];
  const topo = new Topology(net);
  const dsts = [...(host.host?.resolvers ?? [])];
  const target = V.parseIpv4(sc.url.host).ok ? (V.parseIpv4(sc.url.host) as { ok: true; value: number }).value : lookupA(net, sc.url.host);
  if (target !== undefined) dsts.push(target);
  const fixes: Fix[] = [];
  const seen = new Set<string>();
  for (const dst of dsts) {
    const path = traceRoute(topo, host, dst);
    if (path.ok || seen.has(path.at.name)) continue;
    seen.add(path.at.name);
    const dev = path.at;
    if (dev.routes.some((r) => r.destination.prefix === 0)) continue; // it has a default route: not a missing gateway
    const cands = candidateGateways(net, topo, dev, new Set(path.hops.slice(0, -1)));
    const addresses = [...new Set(cands.map((c) => c.address))];
    if (addresses.length !== 1) continue;
    const edit = insertIntoBlock(input, dev.name, `gateway ${ip(addresses[0])}`);
    if (edit) fixes.push({ title: `Add "gateway ${ip(addresses[0])}" to ${dev.name} (${cands[0].where})`, edits: [edit], isPreferred: true });
  }
  return fixes;
}

/** An edit that adds `line` as the last statement of the device's block, indented like its
 * other statements. */
function insertIntoBlock(input: ServiceInput, device: string, line: string): TextEdit | undefined {
  const def = definitionsOf(input, 'device', device)[0];
  const stmt: Statement | undefined = def?.statement;
  const text = input.result.documents.get(def?.file ?? '')?.text;
  if (!def || !stmt?.block?.close || text === undefined) return undefined;
  const close = stmt.block.close.start;
  const first = stmt.block.statements[0];
  const lineStartOf = (o: number): number => lineStartBefore(text, o);
  const outer = text.slice(lineStartOf(stmt.keywordSpan.start), stmt.keywordSpan.start).replace(/\S.*/, '');
  const indent = first && lineStartOf(first.keywordSpan.start) !== lineStartOf(stmt.keywordSpan.start) ? text.slice(lineStartOf(first.keywordSpan.start), first.keywordSpan.start) : `${outer}  `;
  const closeLine = lineStartOf(close);
  if (/^\s*$/.test(text.slice(closeLine, close)) && closeLine > stmt.block.open.end) {
    return { file: def.file, span: { start: closeLine, end: closeLine }, newText: `${indent}${line}\n` };
  }
  return { file: def.file, span: { start: close, end: close }, newText: `\n${indent}${line}\n${outer}` };
}
