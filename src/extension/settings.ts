// The extension's settings as one table: key, type, default and allowed values. package.json's
// `contributes.configuration` must say the same (test/unit/extension/settings.test.ts reads
// both), and Config (config.ts) reads every value through it. No vscode import here, so the
// table can be checked without VS Code.

import type { PanelViewName } from '../shared/protocol';

export const CONFIG_SECTION = 'packetJourney';

export type TimeUnit = 'ms' | 'us';
export type PanelLayout = 'auto' | 'wide' | 'tall';
/** The panel's views that a user can leave out (the protocol's names). */
export type PanelView = PanelViewName;
export type TlsVersion = '1.2' | '1.3';
export type HttpVersion = '1.1' | '2';
export type OpenTraceIn = 'panel' | 'text';

export const TIME_UNITS: readonly TimeUnit[] = ['ms', 'us'];
export const PANEL_LAYOUTS: readonly PanelLayout[] = ['auto', 'wide', 'tall'];
export const PANEL_VIEWS: readonly PanelView[] = ['path', 'timeline', 'events', 'work', 'details', 'bytes', 'tables'];
export const TLS_VERSIONS: readonly TlsVersion[] = ['1.2', '1.3'];
export const HTTP_VERSIONS: readonly HttpVersion[] = ['1.1', '2'];
export const OPEN_TRACE_IN: readonly OpenTraceIn[] = ['panel', 'text'];

export type SettingSpec =
  | { type: 'string'; default: string; enum: readonly string[] }
  | { type: 'boolean'; default: boolean }
  | { type: 'number'; default: number; minimum: number; maximum: number }
  | { type: 'array'; default: readonly string[]; items: readonly string[] };

/** Every setting, by key relative to CONFIG_SECTION. */
export const SETTINGS = {
  'panel.timeUnit': { type: 'string', default: 'ms', enum: TIME_UNITS },
  'panel.layout': { type: 'string', default: 'auto', enum: PANEL_LAYOUTS },
  'panel.views': { type: 'array', default: PANEL_VIEWS, items: PANEL_VIEWS },
  'panel.retraceOnEdit': { type: 'boolean', default: true },
  'panel.retraceDelayMs': { type: 'number', default: 300, minimum: 0, maximum: 5000 },
  'trace.openIn': { type: 'string', default: 'panel', enum: OPEN_TRACE_IN },
  'trace.timeoutSeconds': { type: 'number', default: 30, minimum: 1, maximum: 600 },
  'newFile.tlsVersion': { type: 'string', default: '1.3', enum: TLS_VERSIONS },
  'newFile.httpVersion': { type: 'string', default: '2', enum: HTTP_VERSIONS },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;

/** `value` when it is one of `allowed`, else the fallback: a hand-edited settings.json must not
 * reach the panel or a template as an unknown value. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** A finite number clamped to [min, max], else the fallback. */
export function clamp(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(value, min), max) : fallback;
}

/** The listed values of `allowed`, once each, in `allowed`'s order; the fallback when `value`
 * is not an array. An empty list is kept: the user chose to see only the outcome. */
export function subsetOf<T extends string>(value: unknown, allowed: readonly T[], fallback: readonly T[]): T[] {
  if (!Array.isArray(value)) return [...fallback];
  return allowed.filter((v) => value.includes(v));
}
