// The extension's settings behind typed getters, read fresh each time so a change in the
// Settings editor applies without a reload. Keys, defaults and allowed values come from the one
// table in settings.ts, which package.json must match (a unit test checks that they do).
import * as vscode from 'vscode';
import {
  CONFIG_SECTION, HTTP_VERSIONS, OPEN_TRACE_IN, PANEL_LAYOUTS, PANEL_VIEWS, SETTINGS, TIME_UNITS, TLS_VERSIONS,
  clamp, oneOf, subsetOf,
  type HttpVersion, type OpenTraceIn, type PanelLayout, type PanelView, type SettingKey, type TimeUnit, type TlsVersion,
} from './settings';

export { CONFIG_SECTION };
export type { HttpVersion, OpenTraceIn, PanelLayout, PanelView, TimeUnit, TlsVersion };

/** Every key this class reads, relative to the section: package.json must declare each. */
export const CONFIG_KEYS = Object.keys(SETTINGS) as SettingKey[];

export class Config {
  private get raw(): vscode.WorkspaceConfiguration { return vscode.workspace.getConfiguration(CONFIG_SECTION); }

  private get(key: SettingKey): unknown { return this.raw.get(key); }

  get timeUnit(): TimeUnit { return oneOf(this.get('panel.timeUnit'), TIME_UNITS, SETTINGS['panel.timeUnit'].default); }

  get layout(): PanelLayout { return oneOf(this.get('panel.layout'), PANEL_LAYOUTS, SETTINGS['panel.layout'].default); }

  /** The views the panel shows, in the panel's order. */
  get views(): PanelView[] { return subsetOf(this.get('panel.views'), PANEL_VIEWS, SETTINGS['panel.views'].default); }

  /** Off: the panel keeps its trace until Trace Packet runs again. */
  get retraceOnEdit(): boolean {
    const v = this.get('panel.retraceOnEdit');
    return typeof v === 'boolean' ? v : SETTINGS['panel.retraceOnEdit'].default;
  }

  /** How long the file must stay unchanged before it is traced again: long enough to skip
   * the intermediate states of a word being typed. */
  get retraceDelayMs(): number {
    const s = SETTINGS['panel.retraceDelayMs'];
    return clamp(this.get('panel.retraceDelayMs'), s.minimum, s.maximum, s.default);
  }

  /** Where Trace Packet shows a trace: the panel, or the trace as text. */
  get openIn(): OpenTraceIn { return oneOf(this.get('trace.openIn'), OPEN_TRACE_IN, SETTINGS['trace.openIn'].default); }

  /** A simulation still running after this long is stopped (its worker terminated). */
  get traceTimeoutMs(): number {
    const s = SETTINGS['trace.timeoutSeconds'];
    return clamp(this.get('trace.timeoutSeconds'), s.minimum, s.maximum, s.default) * 1000;
  }

  get newFileTls(): TlsVersion { return oneOf(this.get('newFile.tlsVersion'), TLS_VERSIONS, SETTINGS['newFile.tlsVersion'].default); }

  get newFileHttp(): HttpVersion { return oneOf(this.get('newFile.httpVersion'), HTTP_VERSIONS, SETTINGS['newFile.httpVersion'].default); }

  static affectsPanel(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(`${CONFIG_SECTION}.panel`);
  }
}
