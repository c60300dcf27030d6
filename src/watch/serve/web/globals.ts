// What the classic scripts loaded before the page's modules define: the icicle graph
// (dump/report/icicle-script.ts, served as assets/icicle.js). uPlot's global is typed by its package.
import type { FrameJson } from './api-types.js';

export interface Icicle {
  render(groups: ReadonlyArray<{ count: number; frames: FrameJson[] }>): void;
  redraw(): void;
}

declare global {
  interface Window {
    goroscopeIcicle(svg: SVGSVGElement, caption: HTMLElement, options?: { width?: number | (() => number) }): Icicle;
  }
}
