/**
 * The server's `window/showMessage` and `window/logMessage`: every message goes to the log;
 * `pythonArchitect.showNotifications` decides which become notifications, and a shared gate
 * keeps the same text from popping up twice (the server logs an error, then shows it).
 */

import * as vscode from 'vscode';
import { MessageType, SECTION, shouldNotify, showNotifications, type NotificationGate } from './settings';

export class ServerMessages {
  constructor(
    private readonly output: vscode.LogOutputChannel,
    private readonly gate: NotificationGate,
  ) {}

  private setting() {
    return showNotifications(vscode.workspace.getConfiguration(SECTION).get('showNotifications'));
  }

  show(type: number, message: string): void {
    this.log(type, message, false);
    if (shouldNotify(this.setting(), type)) {
      this.notify(type, message);
    }
  }

  log(type: number, message: string, mayNotify = true): void {
    switch (type) {
      case MessageType.Error:
        this.output.error(message);
        break;
      case MessageType.Warning:
        this.output.warn(message);
        break;
      case MessageType.Info:
        this.output.info(message);
        break;
      default:
        this.output.debug(message);
    }
    // Log lines become notifications only for errors and warnings the setting asks for.
    if (mayNotify && (type === MessageType.Error || type === MessageType.Warning) && shouldNotify(this.setting(), type)) {
      this.notify(type, message);
    }
  }

  private notify(type: number, message: string): void {
    if (!this.gate.allow(message, Date.now())) {
      return;
    }
    const show =
      type === MessageType.Error
        ? vscode.window.showErrorMessage
        : type === MessageType.Warning
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    void show(message, 'Show Logs').then((choice) => {
      if (choice === 'Show Logs') {
        this.output.show(true);
      }
    });
  }
}
