/**
 * The interpreter that runs the server: the setting, else the Python extension's selection
 * (through its published `environments` API, when `ms-python.python` is installed; it is
 * optional), else `python3` on PATH. The order and version rules are pure, in `interpreter.ts`.
 */

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { chooseInterpreter, interpreterProblem, nextDefault, parseVersion, resolvedCommand, VERSION_SCRIPT, type InterpreterChoice } from './interpreter';
import { envValue, type InstallHelp } from './platform';
import { pyenvShimTarget } from './pyenvShim';
import { SECTION } from './settings';
import { interpreterKey, locateExecutable, type VersionCache } from './versionCache';

const PYTHON_EXTENSION = 'ms-python.python';

/** The slice of the Python extension's API this client uses. */
interface PythonEnvironmentsApi {
  environments: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(environment: { id: string; path: string } | string): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
  };
}

export function pythonExtensionInstalled(): boolean {
  return vscode.extensions.getExtension(PYTHON_EXTENSION) !== undefined;
}

async function pythonApi(): Promise<PythonEnvironmentsApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonEnvironmentsApi>(PYTHON_EXTENSION);
  if (!extension) {
    return undefined;
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    return api?.environments ? api : undefined;
  } catch {
    return undefined; // a broken Python extension must not stop ours
  }
}

/** The executable selected in the Python extension for `resource`, if any. */
async function selectedInPythonExtension(resource: vscode.Uri | undefined): Promise<string | undefined> {
  const api = await pythonApi();
  if (!api) {
    return undefined;
  }
  try {
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

export async function findInterpreter(folder: vscode.WorkspaceFolder | undefined): Promise<InterpreterChoice> {
  const setting = vscode.workspace.getConfiguration(SECTION, folder?.uri).get<unknown>('interpreter', []);
  const vars = { workspaceFolder: folder?.uri.fsPath, userHome: os.homedir(), env: process.env };
  const fromSetting = chooseInterpreter(setting, undefined, vars);
  if (fromSetting.source === 'setting') {
    return fromSetting; // do not activate the Python extension when it is not needed
  }
  return chooseInterpreter(setting, await selectedInPythonExtension(folder?.uri), vars);
}

/** `choice` with a pyenv shim replaced by the interpreter it would run (`pyenvShim.ts`), when pyenv's files say which. */
export function withoutPyenvShim(choice: InterpreterChoice, env: NodeJS.ProcessEnv, cwd: string): InterpreterChoice {
  const [command, ...args] = choice.command;
  const located = command ? locateExecutable(command, envValue(env, 'PATH', process.platform), cwd) : undefined;
  const target = located && pyenvShimTarget(located, env, cwd, os.homedir(), {
    read: (file) => {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    isFile: (file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false,
  });
  return target ? { ...choice, command: [target, ...args] } : choice;
}

export interface InterpreterCheck {
  /** The sentence to show when the interpreter cannot run the server. */
  problem?: string;
  /** The command to launch the server with (the resolved executable when known). */
  command: string[];
  /** True when the answer came from the cache (no Python was spawned). */
  cached?: boolean;
}

/**
 * Runs the version script in `cwd` (where the server will run: launchers pick versions by it),
 * or answers from `cache` for an interpreter binary already checked (see `versionCache.ts`).
 * A platform default that is not on PATH (`py` on a Windows without the launcher) gives way to
 * the next one (`python`).
 */
export async function checkInterpreter(choice: InterpreterChoice, env: NodeJS.ProcessEnv, cwd: string, cache?: VersionCache): Promise<InterpreterCheck> {
  let current = choice;
  for (;;) {
    const result = await checkOne(current, env, cwd, cache);
    const next = result.notFound ? nextDefault(current) : undefined;
    if (!next) {
      return result;
    }
    current = next;
  }
}

/** The launch command when `cache` already vouches for this interpreter binary, else undefined. */
export function cachedLaunch(choice: InterpreterChoice, env: NodeJS.ProcessEnv, cwd: string, cache: VersionCache): string[] | undefined {
  const known = cache.get(interpreterKey(choice.command, envValue(env, 'PATH', process.platform), cwd));
  if (known !== undefined && interpreterProblem(choice, { stdout: known }) === undefined) {
    return resolvedCommand(choice, parseVersion(known));
  }
  return undefined;
}

/** True when the interpreter's executable exists (so a launch cannot fail for want of it). */
export function interpreterFound(choice: InterpreterChoice, env: NodeJS.ProcessEnv, cwd: string): boolean {
  const executable = choice.command[0];
  return executable !== undefined && locateExecutable(executable, envValue(env, 'PATH', process.platform), cwd) !== undefined;
}

function checkOne(choice: InterpreterChoice, env: NodeJS.ProcessEnv, cwd: string, cache?: VersionCache): Promise<InterpreterCheck & { notFound?: boolean }> {
  const known = cache ? cachedLaunch(choice, env, cwd, cache) : undefined;
  if (known) {
    return Promise.resolve({ command: known, cached: true });
  }
  const key = cache ? interpreterKey(choice.command, envValue(env, 'PATH', process.platform), cwd) : undefined;
  const [command, ...args] = choice.command;
  return new Promise((resolve) => {
    execFile(command ?? 'python3', [...args, '-c', VERSION_SCRIPT], { timeout: 20_000, env, cwd, windowsHide: true }, (error, stdout) => {
      if (error) {
        const notFound = (error as NodeJS.ErrnoException).code === 'ENOENT';
        const reason = notFound ? 'not found' : error.message.split('\n')[0] ?? String(error);
        resolve({ problem: interpreterProblem(choice, { error: reason }), command: choice.command, notFound });
        return;
      }
      const output = String(stdout);
      const problem = interpreterProblem(choice, { stdout: output });
      if (!problem) {
        void cache?.put(key, output); // only good answers: a fixed interpreter is checked again
      }
      resolve({ problem, command: resolvedCommand(choice, parseVersion(output)) });
    });
  });
}

/** Calls `listener` when the Python extension's selected interpreter changes. */
export async function onPythonInterpreterChanged(listener: () => void): Promise<vscode.Disposable | undefined> {
  if (!pythonExtensionInstalled()) {
    return undefined;
  }
  const api = await pythonApi();
  return api?.environments.onDidChangeActiveEnvironmentPath(() => listener());
}

/** "Select Interpreter": the Python extension's picker when it is there, else our setting. */
export async function selectInterpreter(): Promise<void> {
  if (pythonExtensionInstalled()) {
    await vscode.commands.executeCommand('python.setInterpreter');
    return;
  }
  await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.interpreter`);
}

/**
 * The universal VSIX's notification: what to set and what to install, with a button that copies
 * the install command (and one that opens the import-strategy setting).
 */
export async function showInstallHelp(help: InstallHelp, showLogs: () => void): Promise<void> {
  const choice = await vscode.window.showErrorMessage(help.message, 'Copy Install Command', 'Open Setting', 'Show Logs');
  if (choice === 'Copy Install Command') {
    try {
      await vscode.env.clipboard.writeText(help.command);
      void vscode.window.showInformationMessage(`Copied: ${help.command}. Run it in a terminal, then "Python Architect: Restart Server".`);
    } catch {
      void vscode.window.showWarningMessage(`Could not copy to the clipboard; run: ${help.command}`);
    }
  } else if (choice === 'Open Setting') {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.importStrategy`);
  } else if (choice === 'Show Logs') {
    showLogs();
  }
}
