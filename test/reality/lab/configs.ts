// The configuration files of the lab's real servers, written from the lab description.
import { APP_PORT, BODY_BYTES, IP, NODE_PORT, POD_PORT, ZONES } from './path';

export function unboundConf(dir: string): string {
  return `server:
  interface: ${IP.resolver}
  port: 53
  access-control: 0.0.0.0/0 allow
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: "${dir}/unbound.pid"
  root-hints: "${dir}/root.hints"
  module-config: "iterator"
  use-syslog: no
  logfile: "${dir}/unbound.log"
  num-threads: 1
remote-control:
  control-enable: no
`;
}

export const rootHints = `. 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 A ${IP.root}\n`;

export function nsdConf(dir: string, ip: string, zone: string): string {
  return `server:
  ip-address: ${ip}
  port: 53
  do-ip6: no
  username: ""
  chroot: ""
  zonesdir: "${dir}"
  database: ""
  zonelistfile: "${dir}/zone.list"
  xfrdfile: "${dir}/xfrd.state"
  xfrdir: "${dir}"
  pidfile: "${dir}/nsd.pid"
  logfile: "${dir}/nsd.log"
  server-count: 1
  verbosity: 0
remote-control:
  control-enable: no
zone:
  name: "${zone}"
  zonefile: "zone"
`;
}

/** A zone file: the zone's SOA (the .journey file writes the same one with `soa`), then its records. */
export function zoneFile(zone: string): string {
  const { soa, records } = ZONES[zone];
  return `$TTL ${soa.ttl}\n${zone} ${soa.ttl} IN SOA ${soa.mname} ${soa.rname} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minimum}\n${records.join('\n')}\n`;
}

const nginxCommon = (dir: string): string => `user root;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
`;
const temps = (dir: string): string => ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`).join('\n');

/** The ALB: TLS and HTTP/2 towards the client, plain HTTP to the NodePort. */
export function albConf(dir: string, cert: string, key: string): string {
  return `${nginxCommon(dir)}http {
  access_log off;
${temps(dir)}
  server {
    listen ${IP.alb}:443 ssl http2;
    server_name api.example.com;
    ssl_certificate ${cert};
    ssl_certificate_key ${key};
    # nginx 1.22 offers only up to TLS 1.2 unless told; the journey says "tls 1.2 1.3".
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { proxy_pass http://${IP.node3}:${NODE_PORT}; }
    # the lab's warm-up handshake (build.ts), answered here so that it reaches no upstream
    location = /warm-up { return 204; }
  }
}
`;
}

/** The pod's sidecar: nginx in front of the app on the pod's loopback. */
export function sidecarConf(dir: string): string {
  return `${nginxCommon(dir)}http {
  access_log off;
${temps(dir)}
  server {
    listen ${POD_PORT};
    location / { proxy_pass http://127.0.0.1:${APP_PORT}; }
  }
}
`;
}

/**
 * The app: the scenario's response and nothing of its own, as the simulated app writes it
 * (status line, the scenario's Content-Type, Content-Length; no Server or Date, which Python's
 * send_response would add). Buffered writes send headers and body in one segment, as most app
 * servers do (Python's default would send them in two). A request that asks to close
 * (HTTP/1.0 without keep-alive, or Connection: close) gets "Connection: close" and the app
 * closes at once after its answer, as the simulated app does.
 */
export const appPy = `import http.server, socket
body = (b'{"id":42,"pad":"' + b'x' * ${BODY_BYTES} )[:${BODY_BYTES - 2}] + b'"}'
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    wbufsize = -1
    def do_GET(self):
        conn = (self.headers.get('Connection') or '').lower()
        close = conn == 'close' or (self.request_version == 'HTTP/1.0' and conn != 'keep-alive')
        self.send_response_only(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        if close:
            self.send_header('Connection', 'close')
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        if close:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_WR)
    def log_message(self, *args):
        pass
http.server.HTTPServer(('127.0.0.1', ${APP_PORT}), H).serve_forever()
`;