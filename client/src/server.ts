/**
 * Launching, restarting and talking to the language server (`vscode-languageclient` over stdio).
 *
 * The server runs as `<python> bundled/tool/bootstrap.py` (from the repo: `client/bundle/tool/`).
 * Before launching, the interpreter's version is checked so a missing or old Python gets one
 * clear notification and the error status, and no restart loop. A server that crashes is
 * explained from its stderr; it is restarted only when it had been up and crashes rarely.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  LogMessageNotification,
  RevealOutputChannelOn,
  ShowMessageNotification,
  State,
  Trace,
  type LanguageClientOptions,
  type Middleware,
} from 'vscode-languageclient/node';
import { describeChoice, explainCrash } from './interpreter';
import { bundleLayout, universalHelp, type InstallHelp } from './platform';
import { cachedLaunch, checkInterpreter, findInterpreter, interpreterFound, selectInterpreter, showInstallHelp, withoutPyenvShim } from './python';
import { ServerMessages } from './messages';
import { StartupTimeline, type DiagnosticsWatch } from './startupTimeline';
import { filterConfigurationResult, importStrategy, initializationOptions, NotificationGate, SECTION, serverEnvironment } from './settings';
import type { StatusItem } from './status';
import { VersionCache } from './versionCache';

export const API_KEY_SECRET = 'pythonArchitect.anthropicApiKey';
const STATUS_NOTIFICATION = 'pythonArchitect/status';
/** `{apiKey: string | null}`: the key from SecretStorage, to the running server (no restart). */
const SET_API_KEY = 'pythonArchitect/setApiKey';
const CHAT_CHUNK = 'pythonArchitect/chatChunk';
const STDERR_TAIL = 8_000;
const CRASH_WINDOW_MS = 3 * 60_000;
const MAX_CRASH_RESTARTS = 2;

interface StatusParams {
  folderUri: string;
  state: string;
  adrs: number;
  message?: string;
}

/** One `pythonArchitect/chatChunk`: answer text, or a tool step (`kind: "step"`). */
export interface ChatChunk {
  text?: string;
  kind?: string;
  step?: unknown;
}

/** Our diagnostics' `source` (the server's `convert.SOURCE`). */
const DIAGNOSTIC_SOURCE = 'python-architect';

/** Fires once diagnostics of ours are in `vscode.languages` (what the Problems panel lists). */
const ourDiagnosticsSeen: DiagnosticsWatch = (seen) => vscode.languages.onDidChangeDiagnostics((event) => {
  if (event.uris.some((uri) => vscode.languages.getDiagnostics(uri).some((d) => d.source === DIAGNOSTIC_SOURCE))) {
    seen();
  }
});

/** When the extension's code ran (ms since the epoch): the first start's timeline begins there. */
export interface ActivationTimes {
  activatedAt: number;
  bundleStart?: number;
  bundleEvaluated?: number;
}

/** Commands the server declares that the client routes itself (through `routeCommand`). */
export type CommandRouter = (command: string, args: unknown[]) => Promise<unknown> | undefined;

export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private process: ChildProcess | undefined;
  private stderrTail = '';
  private startedAt = 0;
  private crashes: number[] = [];
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;
  /** Set once this start attempt has shown its failure (start() and closed() both see it). */
  private failedThisStart = false;
  /** The universal VSIX's advice when the environment's server cannot be imported. */
  private installHelp: InstallHelp | undefined;
  /** This start's timeline, until our first diagnostics reach the editor (the `Start-up:` line). */
  private timeline: StartupTimeline | undefined;
  private readonly gate = new NotificationGate();
  private readonly messages: ServerMessages;
  private readonly chunkListeners = new Map<string, (chunk: ChatChunk) => void>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly readyEmitter = new vscode.EventEmitter<void>();
  /** Fires each time a (re)started server has finished initializing. */
  readonly onReady = this.readyEmitter.event;
  routeCommand: CommandRouter = () => undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
    private readonly status: StatusItem,
    /** When activate() was called and the bundle was evaluated (ms since the epoch): the first
     * start's timeline counts from activate(). */
    private readonly loaded: ActivationTimes = { activatedAt: Date.now() },
  ) {
    this.messages = new ServerMessages(output, this.gate);
  }

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  /** Starts the server unless it is starting or running. */
  start(): Promise<void> {
    if (this.starting) {
      return this.starting;
    }
    const run: Promise<void> = this.doStart().finally(() => {
      if (this.starting === run) {
        this.starting = undefined;
      }
    });
    this.starting = run;
    return run;
  }

  /** Restarts after `delayMs`, coalescing bursts (settings edits, interpreter switches). */
  scheduleRestart(reason: string, delayMs = 600): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.output.info(`Restarting the server: ${reason}`);
      void this.restart();
    }, delayMs);
  }

  /** Stops and starts again; requests made meanwhile wait for the new server. */
  restart(): Promise<void> {
    const previous = this.starting ?? Promise.resolve();
    const run: Promise<void> = previous
      .catch(() => undefined)
      .then(async () => {
        await this.stop();
        this.crashes = [];
        this.gate.reset();
        await this.doStart();
      })
      .finally(() => {
        if (this.starting === run) {
          this.starting = undefined;
        }
      });
    this.starting = run;
    return run;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) {
      return;
    }
    this.stopping = true;
    try {
      if (client.isRunning()) {
        await client.stop(5_000);
      }
      await client.dispose();
    } catch (error) {
      this.output.warn(`Stopping the server: ${String(error)}`);
    } finally {
      this.process?.kill();
      this.process = undefined;
      this.stopping = false;
    }
  }

  /** Sends a request to the running server (rejects when it is not running). */
  async request<R>(method: string, params: unknown, token?: vscode.CancellationToken): Promise<R> {
    await this.starting?.catch(() => undefined);
    const client = this.client;
    if (!client || !this.running) {
      throw new Error('The Python Architect server is not running (see "Python Architect: Show Logs").');
    }
    // No token: leave it out, or vscode-jsonrpc sends the params as the array [params, null].
    return token ? client.sendRequest<R>(method, params, token) : client.sendRequest<R>(method, params);
  }

  /** A chat request whose chunks (text or tool steps) go to `onChunk` (routed by the request id). */
  async chat<R>(params: { requestId: string } & Record<string, unknown>, token: vscode.CancellationToken, onChunk: (chunk: ChatChunk) => void): Promise<R> {
    this.chunkListeners.set(params.requestId, onChunk);
    try {
      return await this.request<R>('pythonArchitect/chat', params, token);
    } finally {
      this.chunkListeners.delete(params.requestId);
    }
  }

  private async doStart(): Promise<void> {
    const began = Date.now();
    this.failedThisStart = false;
    this.timeline?.dispose();
    const first = this.timeline === undefined;
    const timeline = new StartupTimeline(first ? { name: 'activate()', at: this.loaded.activatedAt } : { name: 'the start', at: began },
      (line) => this.output.info(line), ourDiagnosticsSeen);
    this.timeline = timeline;
    if (first) {
      timeline.markAt('bundle evaluation began', this.loaded.bundleStart);
      timeline.markAt('bundle evaluated', this.loaded.bundleEvaluated);
    }
    timeline.mark('start began');
    this.status.starting();
    const folder = vscode.workspace.workspaceFolders?.[0];
    const config = vscode.workspace.getConfiguration(SECTION, folder?.uri);
    const section = vscode.workspace.getConfiguration(undefined, folder?.uri).get<unknown>(SECTION);
    // Read while the server starts, and handed to it once it runs (as a key set later is): the
    // secret store can take a second to answer in a fresh window.
    const apiKeyRead = Promise.resolve(this.context.secrets.get(API_KEY_SECRET)).catch(() => undefined);
    const env = serverEnvironment(process.env, importStrategy(config.get('importStrategy')), undefined, this.bytecodePlace());
    const cwd = folder?.uri.fsPath ?? this.context.extensionPath;
    const chosen = await findInterpreter(folder);
    const interpreter = withoutPyenvShim(chosen, env, cwd); // the shim's scripts cost ~1 s a start on a busy machine
    const found = Date.now();
    timeline.mark('interpreter found');
    const shim = interpreter === chosen ? '' : `, which runs ${interpreter.command[0]} (pyenv's choice, read from its files)`;
    this.output.info(`Interpreter: ${describeChoice(chosen)}${shim}; import strategy ${env.PYTHON_ARCHITECT_IMPORT_STRATEGY}`);
    const layout = bundleLayout((relative) => fs.existsSync(path.join(this.context.extensionPath, relative)));
    const strategy = env.PYTHON_ARCHITECT_IMPORT_STRATEGY ?? 'useBundled';
    const versions = new VersionCache(this.context.globalState);
    const checking = checkInterpreter(interpreter, env, cwd, versions);
    // An interpreter not vouched for by the cache (a new one, or a launcher script such as a pyenv
    // shim, never cached) is checked while the server starts with it: the check's 0.1-2 s are off
    // the way to the first diagnostic, and a problem it finds stops that server. Only with the
    // bundled layout (no message needs the resolved executable) and an executable that exists (a
    // missing default such as `py` on Windows falls back to the next one after the check).
    const alongside = layout !== 'universal' && !cachedLaunch(interpreter, env, cwd, versions) && interpreterFound(interpreter, env, cwd);
    const checkedFirst = alongside ? undefined : await checking;
    const checked = Date.now();
    if (checkedFirst?.problem) {
      this.fail(checkedFirst.problem);
      return;
    }
    const launch = checkedFirst?.command ?? interpreter.command;
    const cached = checkedFirst?.cached;
    // The universal VSIX ships no libraries: say what to do instead of failing to import.
    const universal = universalHelp(layout, strategy, launch, process.platform, process.arch);
    if (universal) {
      this.fail(universal.message, universal);
      return;
    }
    this.installHelp = universalHelp(layout, strategy, launch, process.platform, process.arch, true);
    const bootstrap = this.bootstrapPath();
    if (!bootstrap) {
      this.fail('Python Architect is incomplete: bundled/tool/bootstrap.py is missing. Reinstall the extension.');
      return;
    }
    const [command, ...args] = launch;
    this.stderrTail = '';
    const client = new LanguageClient(
      'pythonArchitect',
      'Python Architect',
      async () => {
        timeline.mark('spawn');
        const child = spawn(command ?? 'python3', [...args, bootstrap], { cwd, env, stdio: 'pipe', windowsHide: true });
        this.process = child;
        return child;
      },
      this.clientOptions(section),
    );
    this.client = client;
    client.onNotification(ShowMessageNotification.type, (message) => this.messages.show(message.type, message.message));
    client.onNotification(LogMessageNotification.type, (message) => this.messages.log(message.type, message.message));
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => {
      this.status.folderStatus(params.folderUri, params.state, params.adrs, params.message);
    });
    client.onNotification(CHAT_CHUNK, (params: ChatChunk & { requestId?: string }) => {
      if (params.requestId) {
        this.chunkListeners.get(params.requestId)?.(params);
      }
    });
    try {
      this.startedAt = Date.now();
      const started = client.start();
      started.catch(() => undefined); // awaited below, after the check that may stop it
      let checkMs = checked - found;
      if (alongside) {
        const { problem } = await checking;
        checkMs = Date.now() - found;
        if (problem) {
          await this.abandon(client);
          this.fail(problem);
          return;
        }
      }
      await started;
      const ready = Date.now();
      timeline.mark('initialized');
      this.output.info(`Server ready in ${ready - began} ms (interpreter check ${checkMs} ms${cached ? ', cached' : ''}; `
        + `spawn to initialized ${ready - this.startedAt} ms); finding the interpreter ${found - began} ms`
        + `${alongside ? '; checked while the server started' : ''}`);
      const apiKey = await apiKeyRead;
      if (apiKey?.trim()) {
        await this.giveApiKey(client, apiKey.trim()); // before any chat request: they await this start
      }
      this.status.running();
      this.readyEmitter.fire();
    } catch (error) {
      if (this.client === client) {
        this.client = undefined;
        await client.dispose().catch(() => undefined);
      }
      const exitCode = await this.exitCode();
      const reason = this.stderrTail.trim() ? explainCrash(this.stderrTail, exitCode) : String(error);
      this.fail(this.installHelp?.message ?? `Python Architect could not start: ${reason}`, this.installHelp);
    }
  }

  /** Stops a server started with an interpreter its check then refused (no restart, no crash report). */
  private async abandon(client: LanguageClient): Promise<void> {
    if (this.client !== client) {
      return;
    }
    this.client = undefined;
    this.stopping = true;
    try {
      await client.dispose(2_000).catch(() => undefined);
    } finally {
      this.process?.kill();
      this.process = undefined;
      this.stopping = false;
    }
  }

  /** Beside the bundled sources when that folder is writable, else in the extension's storage. */
  private bytecodePlace(): { prefix?: string } {
    const libs = path.join(this.context.extensionPath, 'bundled', 'libs');
    try {
      fs.accessSync(libs, fs.constants.W_OK);
      return {};
    } catch {
      return { prefix: vscode.Uri.joinPath(this.context.globalStorageUri, 'pycache').fsPath };
    }
  }

  private bootstrapPath(): string | undefined {
    const candidates = [
      path.join(this.context.extensionPath, 'bundled', 'tool', 'bootstrap.py'),
      path.join(this.context.extensionPath, 'client', 'bundle', 'tool', 'bootstrap.py'),
    ];
    return candidates.find((candidate) => fs.existsSync(candidate));
  }

  private clientOptions(section: unknown): LanguageClientOptions {
    const middleware: Middleware = {
      workspace: {
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) {
            return result;
          }
          return filterConfigurationResult(
            params.items.map((item) => item.section),
            result,
          );
        },
      },
      provideDiagnostics: (document, previousResultId, token, next) => {
        const ask = async () => await next(document, previousResultId, token);
        return this.timeline ? this.timeline.pull(ask) : ask();
      },
      executeCommand: async (command, args, next) => {
        const routed = this.routeCommand(command, args);
        return routed !== undefined ? routed : next(command, args);
      },
    };
    return {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'file', pattern: '**/requirements*.txt' },
        { scheme: 'file', pattern: '**/pyproject.toml' },
        { scheme: 'file', pattern: '**/.ai/**/*.md' },
      ],
      initializationOptions: initializationOptions(section),
      outputChannel: this.output,
      traceOutputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never, // our notifications say when to look
      middleware,
      stdioOptions: {
        stdout: () => undefined, // the protocol: read by the client itself
        stderr: (input) => {
          input.setEncoding('utf8');
          input.on('data', (chunk: string) => {
            this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
            for (const line of chunk.split(/\r?\n/)) {
              if (line.trim()) {
                this.output.warn(`[server stderr] ${line}`);
              }
            }
          });
        },
      },
      errorHandler: {
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
        closed: () => this.closed(),
      },
      initializationFailedHandler: (error) => {
        this.fail(`Python Architect failed to initialize: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      },
    };
  }

  private async closed(): Promise<{ action: CloseAction; handled: boolean }> {
    if (this.stopping) {
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    const exitCode = await this.exitCode();
    const reason = explainCrash(this.stderrTail, exitCode);
    const now = Date.now();
    this.crashes = this.crashes.filter((time) => now - time < CRASH_WINDOW_MS);
    this.crashes.push(now);
    const wasUp = now - this.startedAt > 10_000;
    if (wasUp && this.crashes.length <= MAX_CRASH_RESTARTS) {
      this.output.error(`The server stopped (${reason}); restarting it.`);
      this.status.starting();
      return { action: CloseAction.Restart, handled: true };
    }
    if (!wasUp && this.installHelp) {
      this.fail(this.installHelp.message, this.installHelp);
    } else {
      this.fail(wasUp ? `Python Architect stopped: ${reason}` : `Python Architect could not start: ${reason}`);
    }
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  private exitCode(): Promise<number | null> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return Promise.resolve(child?.exitCode ?? null);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(child.exitCode), 2_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  /** The error status and ONE notification (with a copy button for `install`); no restart follows. */
  private fail(message: string, install?: InstallHelp): void {
    this.output.error(message);
    if (this.failedThisStart) {
      return; // the same failure, seen from the other side (start() rejected / connection closed)
    }
    this.failedThisStart = true;
    this.status.error(message);
    if (!this.gate.allow(message, Date.now())) {
      return;
    }
    if (install) {
      void showInstallHelp(install, () => this.output.show(true));
      return;
    }
    void vscode.window.showErrorMessage(message, 'Select Interpreter', 'Show Logs').then((choice) => {
      if (choice === 'Select Interpreter') {
        void selectInterpreter();
      } else if (choice === 'Show Logs') {
        this.output.show(true);
      }
    });
  }

  /**
   * Hands the stored API key (or its removal) to the running server: the chat switches mode and
   * the diagnostics stay on screen. A server that is not running reads it from its environment
   * when it starts. The protocol trace is paused around the notification so a verbose
   * `pythonArchitect.trace.server` never writes the key to the output channel.
   */
  async sendApiKey(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const client = this.client;
    if (!client || !this.running) {
      return;
    }
    await this.giveApiKey(client, (await this.context.secrets.get(API_KEY_SECRET))?.trim() || null);
  }

  private async giveApiKey(client: LanguageClient, apiKey: string | null): Promise<void> {
    const traced = vscode.workspace.getConfiguration(SECTION).get<string>('trace.server', 'off');
    if (traced !== 'off') {
      await client.setTrace(Trace.Off);
    }
    try {
      await client.sendNotification(SET_API_KEY, { apiKey });
    } finally {
      if (traced !== 'off') {
        await client.setTrace(Trace.fromString(traced));
      }
    }
  }

  /** The last "Check Workspace" count, shown by the status item too (one count everywhere). */
  showProblemCount(problems: number): void {
    this.status.problems(problems);
  }

  /** Settings that need no restart go to the server as didChangeConfiguration. */
  sendConfiguration(): void {
    const client = this.client;
    if (!client || !this.running) {
      return;
    }
    const section = vscode.workspace.getConfiguration(undefined, vscode.workspace.workspaceFolders?.[0]?.uri).get<unknown>(SECTION);
    void client.sendNotification(DidChangeConfigurationNotification.type, { settings: initializationOptions(section) });
  }

  dispose(): void {
    clearTimeout(this.restartTimer);
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
    this.readyEmitter.dispose();
    this.timeline?.dispose();
    void this.stop();
  }
}
