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

/**
 * Where each marker's label goes: right of its point, above it (or below when asked), moved down a line at a time
 * until it overlaps no label placed before it — nearby markers (the RankDice and tuned points, or RD marks of
 * classes with similar k) otherwise print over each other.
 */
export function placeLabels(
  points: { x: number; y: number; width: number; below: boolean }[],
  lineHeight: number,
  gap: number,
): { x: number; y: number; labelX: number; labelY: number }[] {
  const boxes: { left: number; right: number; top: number; bottom: number }[] = [];
  return points.map((p) => {
    const labelX = p.x + gap;
    let labelY = p.y + (p.below ? lineHeight : -lineHeight / 4);
    const overlaps = () =>
      boxes.some(
        (b) =>
          labelX < b.right && labelX + p.width > b.left && labelY - lineHeight < b.bottom && labelY > b.top,
      );
    for (let tries = 0; tries < 8 && overlaps(); tries++) labelY += lineHeight;
    boxes.push({ left: labelX, right: labelX + p.width, top: labelY - lineHeight, bottom: labelY });
    return { x: p.x, y: p.y, labelX, labelY };
  });
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
  // As wide as the side area allows (it is laid out only while its tab is visible).
  const width = Math.round(Math.max(220, Math.min(520, (box.clientWidth || 300) - 8)));
  const opts: uPlot.Options = {
    width,
    height: Math.round(Math.min(240, width * 0.6)),
    // The legend shows each series' value under the cursor (hover a chart to read its numbers).
    legend: { show: true, live: true },
    cursor: { show: true, points: { show: true, size: 6 } },
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
          const dpr = devicePixelRatio;
          ctx.font = `${11 * dpr}px sans-serif`;
          const placed = placeLabels(
            markers.map((m) => ({
              x: u.valToPos(m.x, 'x', true),
              y: u.valToPos(m.y, 'y', true),
              width: ctx.measureText(m.label).width,
              below: m.below ?? false,
            })),
            14 * dpr,
            6 * dpr,
          );
          markers.forEach((m, i) => {
            const p = placed[i];
            ctx.beginPath();
            ctx.arc(p.x, p.y, 4 * dpr, 0, 2 * Math.PI);
            ctx.fill();
            ctx.fillText(m.label, p.labelX, p.labelY);
          });
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
