/** The legend of what the analysis overlay paints: error codes, A-vs-B differences, or A's classes. */
import type { AnalysisShow } from '../../src/core/viewmodel/analysisTypes';
import { DIFF_NAMES, ERROR_NAMES, type Rgba } from '../../src/core/viewmodel/errorMap';
import { cssColour, type Rgb } from '../colors';
import { el } from '../dom';

export interface LegendInput {
  show: AnalysisShow;
  hasGt: boolean;
  /** Why there is no ground truth (src/core/viewmodel/noGroundTruth), when hasGt is false. */
  noGt?: string;
  nameA: string;
  nameB: string;
  /** Foreground classes of A's prediction with their names and colours. */
  classes: { name: string; colour: Rgb }[];
  errorColours: readonly Rgba[];
  diffColours: readonly Rgba[];
}

const rgb = (c: Rgba): Rgb => [c[0], c[1], c[2]];

/** The legend's items as [name, CSS colour]; a message instead when the error map has no ground truth. */
export function legendItems(input: LegendInput): { items: [string, string][]; message?: string } {
  const items: [string, string][] = [];
  if (input.show === 'errors') {
    if (!input.hasGt) {
      for (const k of input.classes) items.push([k.name, cssColour(k.colour)]);
      return {
        items,
        message: `${input.noGt ?? 'No ground truth.'} So no error map: showing ${input.nameA}'s prediction.`,
      };
    }
    for (let c = 1; c < input.errorColours.length; c++)
      items.push([ERROR_NAMES[c], cssColour(rgb(input.errorColours[c]))]);
  } else if (input.show === 'difference') {
    for (let c = 1; c < input.diffColours.length; c++)
      items.push([
        DIFF_NAMES[c].replace('decoder A', input.nameA).replace('decoder B', input.nameB),
        cssColour(rgb(input.diffColours[c])),
      ]);
  } else if (input.show === 'prediction') {
    for (const k of input.classes) items.push([k.name, cssColour(k.colour)]);
  }
  return { items };
}

/** Fills `box` with the legend. */
export function renderLegend(box: HTMLElement, input: LegendInput): void {
  const { items, message } = legendItems(input);
  box.replaceChildren(
    ...(message ? [el('span', 'muted', message)] : []),
    ...items.map(([name, colour]) => {
      const span = el('span', 'legend-entry');
      const sw = el('span', 'legend-swatch');
      sw.style.backgroundColor = colour;
      span.append(sw, document.createTextNode(name));
      return span;
    }),
  );
}
