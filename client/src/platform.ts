/**
 * What differs between Windows, macOS and Linux for starting the server, and what the universal
 * VSIX (no bundled libraries) tells the user: pure functions (no `vscode` import, the platform
 * passed in), unit-tested in plain Node with Windows inputs on any machine.
 *
 * - Interpreter search without a setting or Python extension: on Windows the `py -3` launcher,
 *   then `python` (the `python3` alias there is often the Store's installer stub); elsewhere
 *   `python3`, then `python`.
 * - Executable lookup on PATH: Windows tries PATHEXT's extensions (`python` -> `python.exe`) and
 *   reads `Path` in whatever case the environment spells it.
 * - The bundle layout: `bundled/libs` (a platform VSIX), `bundled/tool` alone (the universal
 *   VSIX), or neither (run from a clone: `client/bundle/tool`).
 */

export type Platform = NodeJS.Platform;

/** The commands tried in order when nothing names an interpreter. */
export function defaultInterpreters(platform: Platform): string[][] {
  return platform === 'win32' ? [['py', '-3'], ['python']] : [['python3'], ['python']];
}

/** True for the Windows `py` launcher, whose arguments (`-3`, `-3.12`) choose a Python. */
export function isPyLauncher(program: string | undefined): boolean {
  return program !== undefined && /^py(\.exe)?$/i.test(program.split(/[\\/]/).pop() ?? '');
}

/** The value of `name` in `env`, matched case-insensitively on Windows (`Path`, `PATH`). */
export function envValue(env: Record<string, string | undefined>, name: string, platform: Platform): string | undefined {
  if (env[name] !== undefined || platform !== 'win32') {
    return env[name];
  }
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

/** The file names `command` may have on disk: on Windows with each PATHEXT extension too. */
export function executableNames(command: string, platform: Platform, pathext: string | undefined): string[] {
  if (platform !== 'win32' || /\.[A-Za-z0-9]+$/.test(command.split(/[\\/]/).pop() ?? '')) {
    return [command];
  }
  const extensions = (pathext || '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
  return [command, ...extensions.map((ext) => command + ext.toLowerCase())];
}

/** True when `text` is an absolute path on some platform: `/usr/bin`, `C:\`, `C:/`, `\\server\share`. */
export function isAbsoluteAnywhere(text: string): boolean {
  return text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\');
}

export type BundleLayout = 'platform' | 'universal' | 'source';

/** Which build is installed, from what exists under the extension's folder. */
export function bundleLayout(exists: (relative: string) => boolean): BundleLayout {
  if (exists('bundled/libs')) {
    return 'platform';
  }
  return exists('bundled/tool/bootstrap.py') ? 'universal' : 'source';
}

/** One shell word: quoted when it holds spaces or shell characters (cmd.exe: double quotes). */
function shellWord(word: string, platform: Platform): string {
  if (/^[\w@%+=:,./\\-]+$/.test(word)) {
    return word;
  }
  return platform === 'win32' ? `"${word.replace(/"/g, '""')}"` : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that installs the server into the interpreter the extension runs. */
export function installCommand(interpreter: readonly string[], platform: Platform): string {
  const words = interpreter.length > 0 ? interpreter : defaultInterpreters(platform)[0] ?? ['python3'];
  return [...words, '-m', 'pip', 'install', 'python-architect'].map((word) => shellWord(word, platform)).join(' ');
}

export interface InstallHelp {
  message: string;
  /** Copied by the notification's button. */
  command: string;
}

/**
 * The universal VSIX's explanation, or undefined when the build has its libraries. With
 * `useBundled` there is nothing to run; with `fromEnvironment` it is shown when the server cannot
 * be imported (`importFailed`).
 */
export function universalHelp(
  layout: BundleLayout,
  strategy: string,
  interpreter: readonly string[],
  platform: Platform,
  arch: string,
  importFailed = false,
): InstallHelp | undefined {
  if (layout !== 'universal' || (strategy === 'fromEnvironment' && !importFailed)) {
    return undefined;
  }
  const command = installCommand(interpreter, platform);
  const settingPart = strategy === 'fromEnvironment'
    ? 'pythonArchitect.importStrategy is "fromEnvironment", but the selected interpreter does not have python-architect installed'
    : 'set pythonArchitect.importStrategy to "fromEnvironment" and install python-architect into the selected interpreter';
  return {
    message: `This Python Architect build has no bundled server for ${platform}-${arch}: ${settingPart}. Run: ${command}`,
    command,
  };
}
