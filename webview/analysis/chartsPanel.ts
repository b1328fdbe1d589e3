/**
 * The three charts of the comparison (charts.ts draws them): Dice vs threshold with the RankDice and tuned points,
 * expected Dice vs k with RankDice's k per class, and the reliability diagram. The panel draws them only while their
 * tab is shown (uPlot sizes itself from the visible box).
 */
import type { Rgb } from '../colors';
import { cssColour } from '../colors';
import { el } from '../dom';
import { lineChart, type ChartMarker, type ChartSeries } from './charts';
import type { Num } from './format';
import type { AnalysisSession } from './session';

export class ChartsPanel {
  readonly element = el('div', 'charts');
  private readonly diceChart = el('div');
  private readonly kChart = el('div');
  private readonly relChart = el('div');

  constructor(
    private readonly className: (k: number) => string,
    private readonly colour: (k: number) => Rgb,
  ) {
    this.element.append(this.diceChart, this.kChart, this.relChart);
  }

  clear(): void {
    for (const box of [this.diceChart, this.kChart, this.relChart]) box.replaceChildren();
  }

  render(session: AnalysisSession): void {
    const base = session.base;
    if (!base) return;
    const fgClasses = base.layout.classOfChannel.filter((c) => c !== 0);
    const css = (k: number) => cssColour(this.colour(k));
    const rd = session.views.get('rankdice');
    if (base.sweep) {
      const sw = base.sweep;
      const series: ChartSeries[] = [
        {
          label: 'macro',
          colour: getComputedStyle(document.body).getPropertyValue('--vscode-foreground') || '#888',
          values: sw.macro,
        },
        ...sw.classes.map((c) => ({
          label: this.className(c),
          colour: css(c),
          values: sw.perClass[String(c)],
        })),
      ];
      const markers: ChartMarker[] = [];
      // The RankDice point is placed like the macro curve: its macro Dice as the metric table shows it (the one
      // definition, docs/metrics.md: classes present in the ground truth or the prediction), at the mean of its
      // per-class cut-off probabilities.
      const rdDice = rd?.metrics?.macroPresentClasses.metrics.dice.value as Num | undefined;
      const cut = rd?.perClass.filter((c) => c.cutoffProb !== null).map((c) => c.cutoffProb as number) ?? [];
      if (typeof rdDice === 'number' && Number.isFinite(rdDice) && cut.length)
        markers.push({
          x: cut.reduce((a, b) => a + b, 0) / cut.length,
          y: rdDice,
          label: 'RankDice',
        });
      markers.push({ x: sw.best.threshold, y: sw.best.value, label: 'tuned', below: true });
      lineChart(
        this.diceChart,
        'Dice vs threshold (one-vs-rest, p ≥ t)',
        'threshold',
        'Dice',
        sw.thresholds,
        series,
        markers,
      );
    } else {
      this.diceChart.replaceChildren(el('div', 'muted', 'Dice vs threshold needs a ground truth.'));
    }
    if (session.curve) {
      const c = session.curve;
      const series = fgClasses.map((k) => ({
        label: this.className(k),
        colour: css(k),
        values: c.perClass[String(k)] ?? [],
      }));
      const markers = (rd?.perClass ?? []).map((p) => ({ x: p.k, y: p.expectedDice ?? 0, label: 'RD' }));
      lineChart(
        this.kChart,
        `Expected Dice vs k (top-k, k ≤ ${c.maxK}; RD = RankDice)`,
        'k',
        'E[Dice]',
        c.ks,
        series,
        markers,
      );
    } else {
      this.kChart.replaceChildren(el('div', 'muted', 'Expected Dice vs k: computing…'));
    }
    if (base.reliability) {
      const rel = base.reliability;
      const first = rel[String(fgClasses[0])];
      const xs = first ? first.reliability.map((b) => (b.lo + b.hi) / 2) : [];
      const series = fgClasses.map((k) => ({
        label: this.className(k),
        colour: css(k),
        values: (rel[String(k)]?.reliability ?? []).map((b) => b.observedFrequency),
      }));
      lineChart(
        this.relChart,
        'Reliability (observed frequency per confidence bin)',
        'confidence',
        'frequency',
        xs,
        series,
        [],
        { diagonal: true, points: true },
      );
    } else {
      this.relChart.replaceChildren(el('div', 'muted', 'Reliability diagram needs a ground truth.'));
    }
  }
}
