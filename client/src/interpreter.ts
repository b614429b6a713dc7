/**
 * Which Python runs the server, and whether it is new enough: pure functions (no `vscode`
 * import) so the order and the version check are unit-tested in plain Node.
 *
 * Order: the `pythonArchitect.interpreter` setting; else the interpreter selected in the Python
 * extension; else the platform's default (`platform.ts`: `python3` / `python`; on Windows the
 * `py -3` launcher, then `python`).
 */

import { defaultInterpreters, isAbsoluteAnywhere, isPyLauncher, type Platform } from './platform';

export const MIN_PYTHON: readonly [number, number] = [3, 10];

export type InterpreterSource = 'setting' | 'pythonExtension' | 'path';

export interface InterpreterChoice {
  /** The executable followed by any arguments from the setting. */
  command: string[];
  source: InterpreterSource;
}

export interface Substitutions {
  workspaceFolder?: string;
  userHome?: string;
  env?: Record<string, string | undefined>;
}

/** `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~` (`~/`, `~\`) in a setting value. */
export function substitute(value: string, vars: Substitutions): string {
  let out = value;
  if (vars.userHome && (out === '~' || out.startsWith('~/') || out.startsWith('~\\'))) {
    out = vars.userHome + out.slice(1);
  }
  return out.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (whole, name: string, envName?: string) => {
    if (envName !== undefined) {
      return vars.env?.[envName] ?? '';
    }
    if (name === 'workspaceFolder') {
      return vars.workspaceFolder ?? whole;
    }
    return vars.userHome ?? whole;
  });
}

/**
 * The interpreter to use. `setting` is the raw setting value (anything: users edit JSON by
 * hand); `fromPythonExtension` the executable the Python extension reports, when it is installed.
 */
export function chooseInterpreter(
  setting: unknown,
  fromPythonExtension: string | undefined,
  vars: Substitutions = {},
  platform: Platform = process.platform,
): InterpreterChoice {
  const configured = Array.isArray(setting)
    ? setting.filter((part): part is string => typeof part === 'string' && part.trim() !== '').map((part) => substitute(part.trim(), vars))
    : [];
  if (configured.length > 0) {
    return { command: configured, source: 'setting' };
  }
  if (fromPythonExtension && fromPythonExtension.trim() !== '') {
    return { command: [fromPythonExtension.trim()], source: 'pythonExtension' };
  }
  return { command: defaultInterpreters(platform)[0] ?? ['python3'], source: 'path' };
}

/** The next default to try after `choice` was not found on PATH (`py -3` -> `python`), if any. */
export function nextDefault(choice: InterpreterChoice, platform: Platform = process.platform): InterpreterChoice | undefined {
  if (choice.source !== 'path') {
    return undefined;
  }
  const defaults = defaultInterpreters(platform);
  const index = defaults.findIndex((candidate) => candidate.join('\0') === choice.command.join('\0'));
  const next = index >= 0 ? defaults[index + 1] : undefined;
  return next ? { command: next, source: 'path' } : undefined;
}

/**
 * The script that prints the version as two numbers (`3 12`) and, on the next line, the real
 * executable: the server is then launched with it, so a launcher such as a pyenv shim (about a
 * second per start on a loaded machine) runs once, not twice.
 */
export const VERSION_SCRIPT = 'import sys; print(sys.version_info[0], sys.version_info[1]); print(sys.executable)';

export interface PythonVersion {
  major: number;
  minor: number;
  /** `sys.executable`, when the interpreter printed an absolute path. */
  executable?: string;
}

/** Parses the output of {@link VERSION_SCRIPT}; undefined when no line is two numbers. */
export function parseVersion(output: string): PythonVersion | undefined {
  const lines = output.split(/\r?\n/).map((line) => line.trim());
  const index = lines.findIndex((line) => /^\d+\s+\d+$/.test(line));
  const match = index >= 0 ? /^(\d+)\s+(\d+)$/.exec(lines[index] ?? '') : null;
  if (!match) {
    return undefined;
  }
  const version: PythonVersion = { major: Number(match[1]), minor: Number(match[2]) };
  const executable = lines[index + 1];
  if (executable && isAbsoluteAnywhere(executable)) {
    version.executable = executable;
  }
  return version;
}

/**
 * The command to launch: the resolved executable in place of the configured one. The `py`
 * launcher's own arguments (`-3`, `-3.12`) choose the Python and mean nothing to it: dropped.
 */
export function resolvedCommand(choice: InterpreterChoice, version: PythonVersion | undefined): string[] {
  if (!version?.executable) {
    return choice.command;
  }
  if (isPyLauncher(choice.command[0])) {
    return [version.executable, ...choice.command.slice(1).filter((arg) => !/^-\d/.test(arg))];
  }
  return [version.executable, ...choice.command.slice(1)];
}

export function isSupported(version: PythonVersion): boolean {
  const [major, minor] = MIN_PYTHON;
  return version.major > major || (version.major === major && version.minor >= minor);
}

export function describeChoice(choice: InterpreterChoice): string {
  const where = {
    setting: 'the pythonArchitect.interpreter setting',
    pythonExtension: 'the interpreter selected in the Python extension',
    path: 'the default on PATH',
  }[choice.source];
  return `${choice.command.join(' ')} (from ${where})`;
}

/** The sentence shown when the interpreter cannot run the server; undefined when it can. */
export function interpreterProblem(
  choice: InterpreterChoice,
  result: { error?: string; stdout?: string },
): string | undefined {
  const described = describeChoice(choice);
  if (result.error !== undefined) {
    return `Python Architect could not run ${described}: ${result.error}. Select a Python ${MIN_PYTHON.join('.')} or newer interpreter.`;
  }
  const version = parseVersion(result.stdout ?? '');
  if (version === undefined) {
    return `Python Architect could not read the version of ${described}. Select a Python ${MIN_PYTHON.join('.')} or newer interpreter.`;
  }
  if (!isSupported(version)) {
    return `Python Architect needs Python ${MIN_PYTHON.join('.')} or newer; ${described} is Python ${version.major}.${version.minor}.`;
  }
  return undefined;
}

/** A one-line reason for a server that exited, from the end of its stderr. */
export function explainCrash(stderrTail: string, exitCode: number | null): string {
  const lines = stderrTail
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const moduleError = [...lines].reverse().find((line) => /^(ModuleNotFoundError|ImportError):/.test(line));
  if (moduleError) {
    return `the server could not import its dependencies (${moduleError}). With importStrategy "fromEnvironment", install python-architect into the selected interpreter, or use "useBundled".`;
  }
  const last = [...lines].reverse().find((line) => /^[A-Za-z_.]+(Error|Exception)\b/.test(line)) ?? lines[lines.length - 1];
  if ((exitCode === 3 || exitCode === 4) && last) {
    // The bootstrap's own refusals (old Python, no bundled libraries, server not importable).
    return last;
  }
  const code = exitCode === null ? 'was killed' : `exited with code ${exitCode}`;
  return last ? `the server ${code}: ${last}` : `the server ${code}`;
}
