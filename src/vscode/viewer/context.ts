/**
 * What every viewer panel shares: the extension's location, the worker pool, settings and the event stream that
 * integration tests (and later features) observe through the extension's API.
 */
import type * as vscode from 'vscode';
import type { LayerRole, Problem, RenderTimings } from '../../protocol';
import type { FileTimings } from './sampleLoader';
import type { SegLensSettings } from '../settings';
import type { WorkerPool } from '../../node/workers/pool';

/** Observable viewer milestones; the extension's exported API forwards them. */
export type ViewerEvent =
  | { type: 'ready'; panelId: number }
  | {
      type: 'rendered';
      panelId: number;
      requestId: number;
      width: number;
      height: number;
      layers: LayerRole[];
      /** Milliseconds from the load's start until the host posted the pixels (reading and decoding). */
      loadMs?: number;
      /** Milliseconds from posting the pixels until the webview reported them drawn (transfer and drawing). */
      postToDrawnMs?: number;
      /** Of which the webview spent this long drawing (the rest is the message transfer). */
      drawMs?: number;
      /** Where the time of this open went, step by step (issue 13: command to overlay). */
      timings?: OpenTimings;
    }
  /** A large image's preview was drawn in its place with the other layers (`rendered` follows with the image). */
  | { type: 'previewed'; panelId: number; requestId: number }
  | { type: 'problems'; panelId: number; requestId?: number; problems: Problem[] }
  | { type: 'failed'; panelId: number; message: string }
  /** Decoder comparison milestones (host/analysis): results posted, drawn by the panel, exported, problems. */
  | {
      type: 'analysis';
      panelId: number;
      what: 'base' | 'decoder' | 'mask' | 'view' | 'drawn' | 'exported' | 'problem' | 'explain';
      detail: string;
    };

/**
 * One open, from the load's start to the webview's report that the picture is on screen. Host steps are measured
 * with the host's clock, the webview's steps with its performance marks (RenderTimings); the transfer is the
 * webview's arrival time minus the host's posting time (one machine, one wall clock). All in milliseconds.
 */
export interface OpenTimings {
  /** When the load started (ms since the epoch): a caller compares its command's start with it. */
  startAt: number;
  /** Each file read and decoded (worker pool), from the load's start. */
  files: FileTimings[];
  /** The sample handed to VS Code (class labels found, pixels packed, posted), from the load's start. */
  postedMs: number;
  /** The sample waited for a new webview's `ready` before it was posted (postedMs includes that wait). */
  waitedForReady?: boolean;
  /** From posting until the webview's handler had the message (VS Code's transfer and the webview's queue). */
  transferMs?: number;
  /** The webview's steps. */
  webview?: Omit<RenderTimings, 'receivedAt' | 'pageAt' | 'readyAt'>;
  /** A new webview: when its page started loading and when its script said ready, from the load's start. */
  page?: { startMs: number; readyMs: number };
  /** From the load's start until the host had the webview's `rendered` report. */
  renderedMs: number;
  /**
   * A large image's preview (sent first): from the load's start until the webview had it on screen, with the other
   * layers, and when it was posted.
   */
  preview?: { postedMs: number; shownMs: number };
}

export interface ViewerContext {
  extensionUri: vscode.Uri;
  pool(): WorkerPool;
  settings(scope?: vscode.Uri): SegLensSettings;
  fire(event: ViewerEvent): void;
  log: vscode.LogOutputChannel;
  /** Runs a command of the extension (the panel's toolbar asks for "open files"). */
  openFiles(): Promise<void>;
}
