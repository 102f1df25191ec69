// Which `fail` kinds the simulation implements; the checker warns about the others, so a
// failure is never silently ignored.
import type { FailureKind } from './types';

export const SIMULATED_FAILURES: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'nxdomain', 'dns-timeout', 'syn-drop', 'rst', 'cert-expired', 'cert-name-mismatch', 'tls-version-mismatch',
  'http-status', 'slow-server', 'db-refused', 'db-slow', 'lb-unhealthy', 'lb-draining', 'routing-loop',
  'conntrack-full', 'overlay-broken', 'no-endpoints', 'wrong-port', 'weak-wifi', 'mtu-blackhole', 'small-mtu', 'nat-expiry', 'no-route',
]);
