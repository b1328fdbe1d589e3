/**
 * The three charts of the decoder comparison, drawn with uPlot in the theme's colours (read from the CSS variables
 * VS Code sets, so light, dark and high-contrast themes all read well): Dice vs threshold with the RankDice point,
 * expected Dice vs k with each decoder's k, and the reliability diagram.
 */
import uPlot from 'uplot';
import { el } from '../dom';

export interface ChartSeries {
  label: string;
  colour: string;
  values: (number | null)[];
}

export interface ChartMarker {
  x: number;
  y: number;
  label: string;
  /** Write the label under the point (so two nearby markers do not print over each other). */
  below?: boolean;
}

function themeColour(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** One line chart with optional point markers; replaces whatever `box` held. */
export function lineChart(
  box: HTMLElement,
  title: string,
  xLabel: string,
  yLabel: string,
  xs: number[],
  series: ChartSeries[],
  markers: ChartMarker[] = [],
  options: { diagonal?: boolean; points?: boolean } = {},
): void {
  const fg = themeColour('--vscode-foreground', '#888');
  const grid = themeColour('--vscode-panel-border', 'rgba(128,128,128,0.3)');
  const markerColour = themeColour('--vscode-charts-red', '#d55e00');
  const axis = (label: string): uPlot.Axis => ({
    label,
    stroke: fg,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    labelSize: 16,
    size: 36,
    font: '11px sans-serif',
    labelFont: '11px sans-serif',
  });
  const opts: uPlot.Options = {
    width: 300,
    height: 190,
    legend: { show: true, live: false },
    cursor: { show: true, points: { show: false } },
    scales: { x: { time: false }, y: { range: [0, 1] } },
    axes: [axis(xLabel), axis(yLabel)],
    series: [
      { label: xLabel },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        width: 1.5,
        points: { show: options.points ?? false, size: 4, stroke: s.colour, fill: s.colour },
        spanGaps: false,
      })),
    ],
    hooks: {
      draw: [
        (u: uPlot) => {
          const ctx = u.ctx;
          ctx.save();
          if (options.diagonal) {
            // The perfectly calibrated line.
            ctx.strokeStyle = fg;
            ctx.setLineDash([4, 4]);
            ctx.beginPath();
            ctx.moveTo(u.valToPos(0, 'x', true), u.valToPos(0, 'y', true));
            ctx.lineTo(u.valToPos(1, 'x', true), u.valToPos(1, 'y', true));
            ctx.stroke();
            ctx.setLineDash([]);
          }
          ctx.fillStyle = markerColour;
          ctx.font = `${11 * devicePixelRatio}px sans-serif`;
          for (const m of markers) {
            const x = u.valToPos(m.x, 'x', true);
            const y = u.valToPos(m.y, 'y', true);
            ctx.beginPath();
            ctx.arc(x, y, 4 * devicePixelRatio, 0, 2 * Math.PI);
            ctx.fill();
            ctx.fillText(m.label, x + 6 * devicePixelRatio, y + (m.below ? 14 : -4) * devicePixelRatio);
          }
          ctx.restore();
        },
      ],
    },
  };
  const data: uPlot.AlignedData = [xs, ...series.map((s) => s.values)];
  const wrap = el('div', 'chart');
  wrap.append(el('div', 'title', title));
  const target = el('div');
  wrap.append(target);
  box.replaceChildren(wrap);
  new uPlot(opts, data, target);
}
