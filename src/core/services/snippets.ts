// Whole-statement templates offered by completion (and mirrored in media/snippets.json, which a
// test keeps in step). The schema carries the snippets of the most common statements; the ones
// here complete the set for every device kind and the larger blocks.
import { SCHEMA, type KeywordSpec } from '../language/schema';

export interface SnippetTemplate { label: string; keyword: string; description: string; body: string }

const EXTRA: Record<string, string> = {
  'access-point': 'access-point ${1:ap} {\n\tinterface ${2:radio} { mac ${3:02:00:00:00:00:10} }\n\tinterface ${4:eth0} { mac ${5:02:00:00:00:00:11} }\n\tprocessing ${6:50us}\n}',
  switch: 'switch ${1:sw} {\n\tinterface ${2:p1} { mac ${3:02:00:00:00:01:01} }\n\tinterface ${4:p2} { mac ${5:02:00:00:00:01:02} }\n}',
  'internet-gateway': 'internet-gateway ${1:igw} {\n\tinterface ${2:inet} {\n\t\tmac ${3:02:aa:00:00:00:01}\n\t\tip ${4:198.51.100.6/30}\n\t}\n\tinterface ${5:vpc} {\n\t\tmac ${6:02:aa:00:00:00:02}\n\t\tip ${7:10.1.0.1/24}\n\t}\n\tgateway ${8:52.93.0.1}\n\tdnat ${9:203.0.113.10} to ${10:10.1.0.10}\n}',
  'dns-server': 'dns-server ${1:ns} {\n\trole ${2|authoritative,recursive,root,tld,forwarder|}\n\tinterface ${3:eth0} {\n\t\tmac ${4:00:00:5e:00:53:01}\n\t\tip ${5:192.0.2.53/24}\n\t}\n\tgateway ${6:192.0.2.1}\n\tzone ${7:example.org} {\n\t\trecord ${8:api} A ${9:203.0.113.10} ttl ${10:300}\n\t}\n}',
  'load-balancer': 'load-balancer ${1:alb} {\n\tinterface ${2:eth0} {\n\t\tmac ${3:02:aa:00:00:02:01}\n\t\tip ${4:10.1.0.10/24}\n\t}\n\tgateway ${5:10.1.0.1}\n\tlistener https 443 {\n\t\tcertificate ${6:api-cert}\n\t\trule {\n\t\t\thost ${7:www.example.org}\n\t\t\tpath ${8:/*}\n\t\t\tforward ${9:backends}\n\t\t}\n\t}\n\ttarget-group ${9:backends} {\n\t\tprotocol http\n\t\tport ${10:31080}\n\t\ttarget ${11:node-1}\n\t}\n}',
  database: 'database ${1:db} {\n\tinterface ${2:eth0} {\n\t\tmac ${3:02:00:00:00:0d:01}\n\t\tip ${4:10.0.2.10/24}\n\t}\n\tgateway ${5:10.0.2.1}\n\tlisten ${6:5432}\n}',
  certificate: 'certificate ${1:api-cert} {\n\tsubject ${2:www.example.org}\n\tsan ${2:www.example.org}\n\tissuer "${3:Example Root CA}"\n\tvalid-from ${4:2026-01-01}\n\tvalid-until ${5:2027-01-01}\n}',
  cluster: 'cluster ${1:prod} {\n\tpod-cidr ${2:10.42.0.0/16}\n\tservice-cidr ${3:10.43.0.0/12}\n\toverlay vxlan {\n\t\tvni 1\n\t\tport 4789\n\t}\n\tnode ${4:node-1} {\n\t\tinterface eth0 {\n\t\t\tmac ${5:02:aa:00:00:03:01}\n\t\t\tip ${6:10.1.0.30/24}\n\t\t}\n\t\tgateway ${7:10.1.0.1}\n\t\tpod-cidr ${8:10.42.1.0/24}\n\t}\n\tpod ${9:web-1} {\n\t\tnode ${4:node-1}\n\t\tip ${10:10.42.1.15}\n\t\tlabel app=${11:web}\n\t\tcontainer ${12:app} {\n\t\t\trole app\n\t\t\tlisten ${13:8080}\n\t\t}\n\t}\n\tservice ${14:web} {\n\t\tcluster-ip ${15:10.43.0.50}\n\t\tport 80\n\t\ttarget-port ${13:8080}\n\t\tselector app=${11:web}\n\t}\n}',
  pod: 'pod ${1:web-1} {\n\tnode ${2:node-1}\n\tip ${3:10.42.1.15}\n\tlabel app=${4:web}\n\tcontainer ${5:app} {\n\t\trole ${6|app,proxy,postgres,dns|}\n\t\tlisten ${7:8080}\n\t}\n}',
  service: 'service ${1:web} {\n\tcluster-ip ${2:10.43.0.50}\n\tport ${3:80}\n\ttarget-port ${4:8080}\n\tselector app=${5:web}\n}',
  node: 'node ${1:node-1} {\n\tinterface ${2:eth0} {\n\t\tmac ${3:02:aa:00:00:03:01}\n\t\tip ${4:10.1.0.30/24}\n\t}\n\tgateway ${5:10.1.0.1}\n\tpod-cidr ${6:10.42.1.0/24}\n}',
};

/** The full template for a keyword: the schema's, or one of ours. */
export function snippetFor(spec: KeywordSpec): string | undefined {
  return spec.snippet ?? EXTRA[spec.keyword];
}

/** Every template, for the editor's snippet file and its test. */
export function allSnippets(): SnippetTemplate[] {
  const out: SnippetTemplate[] = [];
  const seen = new Set<string>();
  for (const specs of Object.values(SCHEMA)) {
    for (const spec of specs) {
      const body = snippetFor(spec);
      if (!body || seen.has(spec.keyword)) continue;
      seen.add(spec.keyword);
      out.push({ label: spec.keyword, keyword: spec.keyword, description: spec.doc, body });
    }
  }
  return out;
}

/** A plain template from the schema: keyword, argument placeholders (choices for enums), block. */
export function generatedSnippet(spec: KeywordSpec): string {
  let n = 1;
  const parts = [spec.keyword];
  for (const a of spec.args) {
    if (a.optional) continue;
    const v = a.value;
    if (v.type === 'literal') parts.push(v.word);
    else if (v.type === 'enum') parts.push(`\${${n++}|${v.values.map((x) => x.replace(/[|,\\]/g, '\\$&')).join(',')}|}`);
    else parts.push(`\${${n++}:${a.name.replace(/[}$\\]/g, '')}}`);
  }
  return spec.block ? `${parts.join(' ')} {\n\t$0\n}` : `${parts.join(' ')}${parts.length > 1 ? '' : ' '}$0`;
}
