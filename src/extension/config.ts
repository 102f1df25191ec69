// The extension's settings behind typed getters, read fresh each time so a change in the
// Settings editor applies without a reload. The keys match package.json's `configuration`
// (test/integration checks that they do).
import * as vscode from 'vscode';

export const CONFIG_SECTION = 'packetJourney';

export type TimeUnit = 'ms' | 'us';
export type PanelLayout = 'auto' | 'wide' | 'tall';

/** Every key this class reads, relative to the section: package.json must declare each. */
export const CONFIG_KEYS = ['panel.timeUnit', 'panel.layout', 'panel.retraceDelayMs'] as const;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

export class Config {
  private get raw(): vscode.WorkspaceConfiguration { return vscode.workspace.getConfiguration(CONFIG_SECTION); }

  get timeUnit(): TimeUnit { return oneOf(this.raw.get('panel.timeUnit'), ['ms', 'us'], 'ms'); }

  get layout(): PanelLayout { return oneOf(this.raw.get('panel.layout'), ['auto', 'wide', 'tall'], 'auto'); }

  /** How long the file must stay unchanged before it is traced again: long enough to skip
   * the intermediate states of a word being typed. */
  get retraceDelayMs(): number {
    const v = this.raw.get<number>('panel.retraceDelayMs');
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(Math.max(v, 0), 5000) : 300;
  }

  static affectsPanel(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(`${CONFIG_SECTION}.panel`);
  }
}
