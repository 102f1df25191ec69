// The processes inside pods: the sidecar proxy (nginx), the application with its PostgreSQL
// client and connection pool, the PostgreSQL server, and the cluster DNS.
import { fromUtf8, utf8, type Header, type PgMessage } from '../../wire';
import type { Certificate, Container } from '../../model/types';
import type { Endpoint } from '../../language/values';
import { ip } from '../../model/topology';
import type { Node, Sim } from '../engine';
import { K8S, NGINX } from '../constants';
import { tcpConnect, tcpListen, type TcpConn } from '../tcp';
import type { Journey } from '../journey';
import { extraDelay, failure, forcedStatus, injected } from '../failures';
import { body, errorPage, http1Response, nginxResponseHeaders, nginxUpstreamRequest, reason, requestOf, responseOf, type HttpRequest, type HttpResponse } from './http';
import { resolveStub, startClusterDns } from './dns';
import { serveHttp } from './front';

export function startPod(j: Journey, n: Node): void {
  for (const c of n.d.pod?.containers ?? []) {
    if (c.listen === undefined) continue;
    if (c.role === 'proxy') startProxy(j, n, c);
    else if (c.role === 'app') startApp(j, n, c);
    else if (c.role === 'postgres') startPostgres(j.sim, n, c);
    else if (c.role === 'dns') startClusterDns(j.sim, n, c.listen, c.processingMs);
  }
}

function appEvent(sim: Sim, n: Node, c: Container, kind: 'proxy' | 'app' | 'db' | 'http', summary: string, details: string[] = []): void {
  sim.trace.event(sim.now, { device: n.name, direction: 'local', kind, layers: ['L7'], summary: `${c.name}: ${summary}`, details, source: c.source });
}

/** nginx as a sidecar (the only proxy a container runs, so `software nginx` changes nothing
 * here): proxy_pass with its defaults, HTTP/1.0 and "Connection: close" to the upstream, so each
 * request opens a new connection on localhost that the upstream closes after answering. The
 * response goes back signed with nginx's Server and Date; a downstream request that asked to
 * close (HTTP/1.0, Connection: close) gets "Connection: close" and the sidecar closes. */
function startProxy(j: Journey, n: Node, c: Container): void {
  const sim = j.sim;
  const up = c.upstream;
  const cert = c.certificate ? sim.net.certificates.get(c.certificate) : undefined;
  if (cert) { startTlsProxy(j, n, c, cert); return; }
  tcpListen(sim, n, c.listen ?? 0, (down) => ({
    onMessage: (_conn, h) => {
      if (h.proto === 'tls') {
        // A ClientHello on a plain port (an https target group, no certificate here): nginx
        // reads it as a broken request line, answers 400 and closes.
        appEvent(sim, n, c, 'proxy', 'a TLS ClientHello on a plain HTTP port: 400 Bad Request, then close', ['nginx listens without ssl here (the container names no certificate): the bytes are not an HTTP request line']);
        down.write(http1Response({ ...errorPage(400, `nginx/${NGINX.version}`), headers: nginxResponseHeaders([['Content-Type', 'text/html']], sim.scenario.date + sim.now) }, [['Connection', 'close']]));
        down.close();
        return;
      }
      const req = requestOf(h);
      if (!req || !up) return;
      const close = closeHeader(h).length > 0;
      const answer = (r: HttpResponse): void => {
        down.write(http1Response({ ...r, headers: nginxResponseHeaders(r.headers, sim.scenario.date + sim.now) }, closeHeader(h)));
        if (close) down.close();
      };
      proxyPass(j, n, c, up, req, { label: `${n.name}/${c.name}`, received: '', where: '', relayed: close ? ', then close (the request asked to)' : '' }, answer);
    },
  }), `${n.name}/${c.name}`);
}

/** The sidecar with `listen ... ssl` (the target of a `protocol https` target group): TLS 1.2
 * and 1.3 with OpenSSL's defaults, ALPN http/1.1 only (no `http2` on the listen line), the same
 * proxy_pass to the upstream in clear inside the pod. A TLS connection is not closed after a
 * "Connection: close" response, as a close_notify is not simulated (see serveHttp). */
function startTlsProxy(j: Journey, n: Node, c: Container, cert: Certificate): void {
  const up = c.upstream;
  const label = `${n.name}/${c.name}`;
  serveHttp(j, n, { port: c.listen ?? 0, tls: { cert, versions: ['1.2', '1.3'], alpn: ['http/1.1'] }, processingMs: c.processingMs, label, source: c.source, software: 'nginx', backend: true }, (req, _ip, reply) => {
    if (!up) return;
    proxyPass(j, n, c, up, req, { label, received: ` (decrypted: TLS terminated here with certificate ${cert.name})`, where: ', in clear inside the pod', relayed: ' inside TLS' }, reply);
  });
}

/** nginx's proxy_pass with its defaults: after the container's processing time, a new upstream
 * connection per request, HTTP/1.0 with "Connection: close" and Host set to the upstream's
 * address; the response (or a 502 when the upstream fails) goes to `answer`. `words` only
 * change what the trace says. */
function proxyPass(j: Journey, n: Node, c: Container, up: Endpoint, req: HttpRequest, words: { label: string; received: string; where: string; relayed: string }, answer: (r: HttpResponse) => void): void {
  const sim = j.sim;
  const upstream = { address: ip(up.address), port: up.port ?? 80 };
  j.sawRequest(words.label, req.method, req.path, req.bodySize);
  appEvent(sim, n, c, 'proxy', `${req.method} ${req.path}${words.received}: proxy to ${upstream.address}:${upstream.port}`, [`proxy_pass with the default proxy_http_version 1.0 and "Connection: close": a new upstream connection per request${words.where}; Host becomes the upstream's address`]);
  sim.after(c.processingMs, () => {
    tcpConnect(sim, n, upstream.address, upstream.port, {
      onEstablished: (u) => u.write(nginxUpstreamRequest(req, upstream)),
      onMessage: (_u, resp) => {
        const r = responseOf(resp);
        if (!r) return;
        appEvent(sim, n, c, 'proxy', `upstream answered ${r.status}: relay to the client${words.relayed}`);
        answer(r);
      },
      onFail: (_u, why) => {
        appEvent(sim, n, c, 'proxy', `upstream ${upstream.address}:${upstream.port} failed (${why}): 502 Bad Gateway`);
        answer(errorPage(502, `nginx/${NGINX.version}`));
      },
    }, `${c.name} -> upstream`);
  });
}

interface PgClient { conn?: TcpConn; ready: boolean; waiting: (() => void)[]; onResult?: (rows: number) => void }

function startApp(j: Journey, n: Node, c: Container): void {
  const sim = j.sim;
  const pool: PgClient = { ready: false, waiting: [] };
  tcpListen(sim, n, c.listen ?? 0, (down) => ({
    onMessage: (_conn, h) => {
      const req = requestOf(h);
      if (!req) return;
      j.sawRequest(`${n.name}/${c.name}`, req.method, req.path, req.bodySize);
      const slow = extraDelay(sim, 'slow-server');
      appEvent(sim, n, c, 'app', `handles ${req.method} ${req.path} (${c.processingMs} ms of work${slow ? ` + ${slow} ms: fail slow-server` : ''})`);
      sim.after(c.processingMs + slow, () => {
        const respond = (failedStatus?: number): void => {
          const forced = failedStatus ?? forcedStatus(sim);
          const r = forced ? { ...sim.scenario.response, status: forced } : sim.scenario.response;
          appEvent(sim, n, c, 'http', `responds ${r.status} ${reason(r.status)} with ${r.bodySize} bytes`);
          down.write(http1Response({ status: r.status, headers: r.headers, body: body(r.bodySize, 'data') }, closeHeader(h)));
          if (closeHeader(h).length) down.close();
        };
        if (!c.database) { respond(); return; }
        dbQuery(j, n, c, pool, req, respond);
      });
    },
  }), `${n.name}/${c.name}`);
}

/** "Connection: close" for a response to a request that ends its connection: HTTP/1.0 without
 * keep-alive, or one that says close. */
function closeHeader(h: Header): [string, string][] {
  const conn = h.proto === 'http1' ? h.headers.find(([k]) => k.toLowerCase() === 'connection')?.[1].toLowerCase() : undefined;
  const close = h.proto === 'http1' && (conn === 'close' || (h.version === 'HTTP/1.0' && conn !== 'keep-alive'));
  return close ? [['Connection', 'close']] : [];
}

/** The database sub-journey: cluster DNS for the Service name, TCP to the ClusterIP (DNATed
 * by kube-proxy), PostgreSQL startup, then Parse/Bind/Describe/Execute/Sync. The connection
 * stays in the pool for the next request. */
function dbQuery(j: Journey, n: Node, c: Container, pool: PgClient, req: HttpRequest, done: (failedStatus?: number) => void): void {
  const sim = j.sim;
  const url = c.database;
  if (!url) { done(); return; }
  j.mark('dbStart');
  const run = (): void => {
    const conn = pool.conn;
    if (!conn) return;
    const sql = c.query ?? 'SELECT 1';
    const param = sql.includes('$1') ? req.path.split('/').filter(Boolean).pop() ?? '' : undefined;
    appEvent(sim, n, c, 'db', `query: ${sql}${param !== undefined ? ` with $1 = ${param}` : ''}`, ['PostgreSQL extended query: Parse, Bind, Describe, Execute, Sync in one write']);
    // through a local, not a function literal on the property: see test/unit/sim/closures.test.ts
    const onResult = (rows: number): void => {
      j.mark('dbEnd');
      appEvent(sim, n, c, 'db', `${rows} row(s) back; connection kept in the pool`);
      done();
    };
    pool.onResult = onResult;
    const msgs: PgMessage[] = [
      { type: 'parse', name: '', query: sql, paramTypes: [] },
      { type: 'bind', portal: '', statement: '', paramFormats: [], values: param !== undefined ? [utf8(param)] : [], resultFormats: [] },
      { type: 'describe', target: 'P', name: '' },
      { type: 'execute', portal: '', maxRows: 0 },
      { type: 'sync' },
    ];
    conn.write({ proto: 'pgsql', direction: 'frontend', messages: msgs });
  };
  if (pool.conn && pool.ready) { appEvent(sim, n, c, 'db', 'reuses the pooled PostgreSQL connection: no DNS, no TCP handshake, no startup'); run(); return; }
  const connect = (address: string): void => {
    pool.conn = tcpConnect(sim, n, address, url.port, {
      onEstablished: (conn) => {
        appEvent(sim, n, c, 'db', `StartupMessage (user ${c.name}, database ${url.path.replace(/^\//, '') || c.name})`);
        conn.write({ proto: 'pgsql', direction: 'frontend', messages: [{ type: 'startup', params: [['user', c.name], ['database', url.path.replace(/^\//, '') || c.name]] }] });
      },
      onMessage: (_conn, h) => {
        if (h.proto !== 'pgsql') return;
        if (!h.messages.some((m) => m.type === 'ready_for_query')) return;
        if (!pool.ready) { pool.ready = true; run(); return; }
        const rows = h.messages.filter((m) => m.type === 'data_row').length;
        pool.onResult?.(rows);
      },
      onFail: (_conn, why) => {
        pool.conn = undefined;
        j.fail({ symptom: `the application cannot reach PostgreSQL at ${address}:${url.port} (${why === 'reset' ? 'connection refused' : why}): the request fails with 500`, stoppedAt: n.name, detectWith: 'kubectl logs (connection refused / timeout), pg_isready -h ' + url.host, source: c.source });
        done(500);
      },
    }, `${c.name} -> postgres`);
  };
  const cluster = n.d.pod ? sim.net.clusters.get(n.d.pod.cluster) : undefined;
  const dnsSvc = cluster?.dnsService ? sim.net.services.get(cluster.dnsService) : undefined;
  if (/^\d+(\.\d+){3}$/.test(url.host)) { connect(url.host); return; }
  if (!dnsSvc?.clusterIp) { j.fail({ symptom: `no cluster DNS to resolve ${url.host}`, stoppedAt: n.name, detectWith: 'kubectl get svc -n kube-system', source: c.source }); return; }
  // kubelet's resolv.conf for a pod of the ClusterFirst DNS policy
  const domain = cluster?.domain.replace(/\.$/, '') ?? 'cluster.local';
  const conf = { search: [`${K8S.namespace}.svc.${domain}`, `svc.${domain}`, domain], ndots: K8S.ndots };
  appEvent(sim, n, c, 'db', `resolve ${url.host} via cluster DNS ${ip(dnsSvc.clusterIp)} (resolv.conf: search ${conf.search.join(' ')}, options ndots:${conf.ndots})`);
  resolveStub(sim, n, ip(dnsSvc.clusterIp), url.host, { conf, label: `${c.name} resolves ${url.host}` }, (a) => {
    if (a.tried.length > 1) appEvent(sim, n, c, 'db', `${url.host} has fewer than ${conf.ndots} dots: tried ${a.tried.join(', ')}`);
    if ('error' in a || a.rcode !== 0 || !a.addresses.length) { j.fail({ symptom: `cannot resolve ${url.host}`, stoppedAt: n.name, detectWith: 'kubectl exec ... nslookup', source: c.source }); return; }
    connect(a.addresses[0]);
  });
}

/** PostgreSQL: trust authentication, then answers the extended query with derived rows. */
function startPostgres(sim: Sim, n: Node, c: Container): void {
  if (failure(sim, 'db-refused')) { injected(sim, 'db-refused', n.name, `PostgreSQL is not listening on ${c.listen ?? 5432}: connections are refused`); return; }
  tcpListen(sim, n, c.listen ?? 5432, (conn) => ({
    onMessage: (_conn, h) => {
      if (h.proto !== 'pgsql') return;
      if (h.messages.some((m) => m.type === 'startup')) {
        appEvent(sim, n, c, 'db', 'startup: AuthenticationOk, ParameterStatus, BackendKeyData, ReadyForQuery');
        sim.trace.simplify('PostgreSQL authentication is modelled as "trust" (AuthenticationOk at once); real servers usually ask for SCRAM-SHA-256, one more round trip.');
        conn.write({ proto: 'pgsql', direction: 'backend', messages: [
          { type: 'authentication_ok' },
          { type: 'parameter_status', name: 'client_encoding', value: 'UTF8' },
          { type: 'parameter_status', name: 'server_encoding', value: 'UTF8' },
          { type: 'backend_key_data', processId: sim.rng.int(100, 65535), secretKey: sim.rng.u32() | 0 },
          { type: 'ready_for_query', status: 'I' },
        ] });
        return;
      }
      if (!h.messages.some((m) => m.type === 'sync')) return;
      const bind = h.messages.find((m) => m.type === 'bind');
      const param = bind && bind.type === 'bind' && bind.values[0] ? fromUtf8(bind.values[0]) : '';
      appEvent(sim, n, c, 'db', `executes the query (${c.processingMs} ms): ${c.rows} row(s) of ${c.rowSize} bytes`);
      sim.trace.simplify('Result rows have two derived columns (id, data) sized to row-size; the real table schema is not modelled.');
        sim.after(c.processingMs + extraDelay(sim, 'db-slow'), () => {
        const rows: PgMessage[] = [];
        for (let i = 0; i < c.rows; i++) {
          const id = param || String(i + 1);
          rows.push({ type: 'data_row', values: [utf8(id), body(Math.max(0, c.rowSize - id.length), 'row')] });
        }
        conn.write({ proto: 'pgsql', direction: 'backend', messages: [
          { type: 'parse_complete' }, { type: 'bind_complete' },
          { type: 'row_description', fields: [
            { name: 'id', tableOid: 0, columnAttr: 0, typeOid: 23, typeSize: 4, typeModifier: -1, format: 0 },
            { name: 'data', tableOid: 0, columnAttr: 0, typeOid: 25, typeSize: -1, typeModifier: -1, format: 0 },
          ] },
          ...rows,
          { type: 'command_complete', tag: `SELECT ${c.rows}` },
          { type: 'ready_for_query', status: 'I' },
        ] });
      });
    },
  }), `${n.name}/${c.name}`);
}
