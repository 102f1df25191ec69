// The starter files of "New Journey": one table of templates (media/templates/*.journey) and
// how the user's default TLS and HTTP versions go into a template's request. No vscode here, so
// a unit test can trace every template with every pair of versions.
import type { HttpVersion, TlsVersion } from './settings';

export interface JourneyTemplate {
  id: string;
  /** media/templates/<file> */
  file: string;
  label: string;
  detail: string;
}

export const TEMPLATES: readonly JourneyTemplate[] = [
  { id: 'home-web', file: 'home-web.journey', label: 'Home network to a web server', detail: 'Wi-Fi, the home router\'s NAT, DNS, then TCP, TLS and HTTP to one server' },
  { id: 'cloud-load-balancer', file: 'cloud-load-balancer.journey', label: 'Cloud app behind a load balancer', detail: 'TLS ends at the load balancer, which routes by host and path to one of two app servers' },
  { id: 'kubernetes-database', file: 'kubernetes-database.journey', label: 'Kubernetes with a database', detail: 'Load balancer, NodePort, kube-proxy, VXLAN overlay, cluster DNS and PostgreSQL' },
];

export interface TemplateVersions { tls: TlsVersion; http: HttpVersion }

/**
 * The template with the versions of its scenarios' requests set: the `tls` and `http` statements
 * inside `request { ... }` blocks only (a listener's `tls 1.2 1.3` is the server's offer, not the
 * client's choice). Lines keep their indentation and trailing comment.
 */
export function fillTemplate(text: string, versions: TemplateVersions): string {
  let depth = 0;
  let requestDepth = -1;
  return text.split('\n').map((line) => {
    const code = line.replace(/#.*$/, '');
    let out = line;
    if (requestDepth >= 0 && depth === requestDepth + 1) {
      out = line
        .replace(/^(\s*tls\s+)1\.[0-9](?=\s|$)/, `$1${versions.tls}`)
        .replace(/^(\s*http\s+)(?:1\.1|2|3)(?=\s|$)/, `$1${versions.http}`);
    }
    if (/^\s*request\s*\{/.test(code)) requestDepth = depth;
    for (const c of code) {
      if (c === '{') depth++;
      else if (c === '}' && --depth === requestDepth) requestDepth = -1;
    }
    return out;
  }).join('\n');
}
