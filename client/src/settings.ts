/**
 * The client's settings and what the server receives of them: pure functions (no `vscode`
 * import), unit-tested.
 *
 * The server reads `pythonArchitect.*` (nested as VS Code returns it) through
 * `initializationOptions`, `workspace/configuration` and `workspace/didChangeConfiguration`.
 * The four client-only keys below never reach it (the server would log them as unknown), and
 * the API key is not a setting at all: it lives in SecretStorage and reaches the server only
 * through the process environment.
 */

export const SECTION = 'pythonArchitect';

/** Settings the client uses itself; stripped before anything goes to the server. */
export const CLIENT_ONLY_KEYS = ['interpreter', 'importStrategy', 'showNotifications', 'trace'] as const;

/** Settings whose change restarts the server (the others flow through didChangeConfiguration). */
export const RESTART_KEYS = [`${SECTION}.interpreter`, `${SECTION}.importStrategy`] as const;

export type ImportStrategy = 'useBundled' | 'fromEnvironment';
export type ShowNotifications = 'off' | 'onError' | 'onWarning' | 'always';

/** LSP MessageType values. */
export const MessageType = { Error: 1, Warning: 2, Info: 3, Log: 4, Debug: 5 } as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of the `pythonArchitect` section without the client-only keys. */
export function serverSettings(section: unknown): Record<string, unknown> {
  if (!isRecord(section)) {
    return {};
  }
  const copy = JSON.parse(JSON.stringify(section)) as Record<string, unknown>;
  for (const key of CLIENT_ONLY_KEYS) {
    delete copy[key];
  }
  return copy;
}

/** `initializationOptions` for the server: `{pythonArchitect: {...}}`. */
export function initializationOptions(section: unknown): Record<string, unknown> {
  return { [SECTION]: serverSettings(section) };
}

/**
 * Rewrites a `workspace/configuration` answer: items asking for the whole section, or for the
 * root, lose the client-only keys; other items pass unchanged.
 */
export function filterConfigurationResult(sections: (string | undefined)[], values: unknown[]): unknown[] {
  return values.map((value, index) => {
    const section = sections[index];
    if (section === SECTION) {
      return serverSettings(value);
    }
    if ((section === undefined || section === '') && isRecord(value) && isRecord(value[SECTION])) {
      return { ...value, [SECTION]: serverSettings(value[SECTION]) };
    }
    return value;
  });
}

export function restartNeeded(affects: (key: string) => boolean): boolean {
  return RESTART_KEYS.some((key) => affects(key));
}

export function importStrategy(value: unknown): ImportStrategy {
  return value === 'fromEnvironment' ? 'fromEnvironment' : 'useBundled';
}

export function showNotifications(value: unknown): ShowNotifications {
  return value === 'off' || value === 'onWarning' || value === 'always' ? value : 'onError';
}

/** Whether a message of LSP `type` becomes a notification under the setting. */
export function shouldNotify(setting: ShowNotifications, type: number): boolean {
  switch (setting) {
    case 'off':
      return false;
    case 'onError':
      return type === MessageType.Error;
    case 'onWarning':
      return type === MessageType.Error || type === MessageType.Warning;
    case 'always':
      return type === MessageType.Error || type === MessageType.Warning || type === MessageType.Info;
  }
}

/**
 * The server's environment: the editor's (so ANTHROPIC_BASE_URL and proxies pass through), plus
 * the import strategy, UTF-8 mode and the API key from SecretStorage when one is stored.
 */
export function serverEnvironment(
  base: Record<string, string | undefined>,
  strategy: ImportStrategy,
  apiKey: string | undefined,
  bytecode?: BytecodePlace,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined) {
      env[key] = value;
    }
  }
  env.PYTHON_ARCHITECT_IMPORT_STRATEGY = strategy;
  env.PYTHONUTF8 = '1';
  if (apiKey) {
    env.ANTHROPIC_API_KEY = apiKey;
  }
  if (strategy === 'useBundled' && bytecode) {
    // The VSIX ships bytecode for some CPythons only; without written bytecode every start of
    // the others compiles the server's imports again, even where PYTHONDONTWRITEBYTECODE is set.
    delete env.PYTHONDONTWRITEBYTECODE;
    if (bytecode.prefix && !env.PYTHONPYCACHEPREFIX) {
      // Only when the extension's folder is read-only. Not PYTHONPYCACHEPREFIX: a prefix hides
      // the interpreter's own precompiled standard library and the bytecode the VSIX ships; the
      // bootstrap decides (it uses it unless the VSIX ships the server's own bytecode).
      env.PYTHON_ARCHITECT_PYCACHE_PREFIX = bytecode.prefix;
    }
  }
  return env;
}

/**
 * Where the bundled server's bytecode goes: beside the bundled sources (`{}`; the extension's
 * folder is writable in a normal install), else under `prefix` in the extension's storage.
 */
export interface BytecodePlace {
  prefix?: string;
}

/**
 * Lets a message through at most once per text, and at most `limit` per `windowMs`: the server
 * logs an error and then shows it, and a broken workspace can log the same error per file.
 */
export class NotificationGate {
  private readonly seen = new Set<string>();
  private readonly times: number[] = [];

  constructor(
    private readonly limit = 3,
    private readonly windowMs = 60_000,
  ) {}

  allow(message: string, now: number): boolean {
    if (this.seen.has(message)) {
      return false;
    }
    while (this.times.length > 0 && now - (this.times[0] ?? 0) > this.windowMs) {
      this.times.shift();
    }
    if (this.times.length >= this.limit) {
      return false;
    }
    this.seen.add(message);
    this.times.push(now);
    return true;
  }

  reset(): void {
    this.seen.clear();
    this.times.length = 0;
  }
}

/** Whether the chat will call the model: a key is available and offline is not forced. */
export function chatMode(offlineSetting: unknown, hasKey: boolean): 'online' | 'offline' {
  return offlineSetting === true || !hasKey ? 'offline' : 'online';
}
