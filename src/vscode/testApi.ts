/**
 * The extension's test hooks, in one place and reachable only through the object `activate` returns
 * (`SegLensApi.test`), which has them only when VS Code runs the extension under test (ExtensionMode.Test).
 * Integration tests are a separate bundle in the same extension host: this API is the one object they share with the
 * extension, so no hook needs a global registry.
 */
import { liveControllers, type AnalysisController } from './analysis/analysisController';
import { setExportTestHooks, type ExportTestHooks } from './analysis/exportFile';
import { livePanels, type DatasetPanel } from './dataset/datasetPanel';
import { ViewerPanel } from './viewer/viewerPanel';

export interface SegLensTestApi {
  /** The analysis controller of every open viewer panel, oldest first: drive a panel's choices, send it requests. */
  analysisControllers(): AnalysisController[];
  /** Every open dataset panel, oldest first. */
  datasetPanels(): DatasetPanel[];
  /** Answers the export save dialog and the overwrite question; undefined restores the real dialogs. */
  setExportHooks(hooks: ExportTestHooks | undefined): void;
  /** Sends the newest viewer panel a message as if its webview had (validated the same way), e.g. a role choice. */
  viewerMessage(message: unknown): void;
}

export function createTestApi(): SegLensTestApi {
  return {
    analysisControllers: () => [...liveControllers()],
    datasetPanels: () => [...livePanels()],
    setExportHooks: setExportTestHooks,
    viewerMessage: (message) => ViewerPanel.newest()?.deliver(message),
  };
}
