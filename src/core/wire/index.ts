/** The wire-format layer: typed header reprs <-> real bytes, with field spans for the panel. */
export * from './bytes';
export * from './ethernet';
export * from './arp';
export * from './ipv4';
export * from './icmp';
export * from './udp';
export * from './tcp';
export * from './vxlan';
export * from './dns';
export * from './tls';
export * from './x509';
export * from './http1';
export * from './hpack-context';
export * from './http2';
export * from './pg';
export * from './stack';
