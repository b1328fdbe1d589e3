/**
 * The panel's wording of the core's "these look like logits" refusal. The core's message is shared by every front
 * end, and it may name the CLI's flags; inside the panel those flags mean nothing, so they are dropped and the
 * panel names its own fix, the conversion buttons it shows next to the message.
 */

/** Parenthesised CLI hints such as "(--logits sigmoid or --logits softmax)". */
const CLI_HINT = /\s*\((?:[^()]*\s)?--logits\b[^()]*\)/g;

/** Whether a problem message is the core's logits refusal (the panel then offers the conversions). */
export function isLogitsMessage(message: string): boolean {
  return /\blook like logits\b/.test(message);
}

/** The message without CLI flags or trailing punctuation. */
export function withoutCliHint(message: string): string {
  return message.replace(CLI_HINT, '').replace(/[\s.;:]+$/, '');
}

/** The stage's wording (its problem list has no buttons): where the conversion is offered. */
export function stageLogitsMessage(message: string): string {
  return `${withoutCliHint(message)}. The analysis panel below offers Convert with sigmoid or softmax.`;
}

/** The message without CLI flags, ending with the panel's hint. */
export function panelLogitsMessage(message: string): string {
  const core = withoutCliHint(message);
  return `${core}. Choose Convert with sigmoid (one channel per class) or Convert with softmax (channels that form one distribution) below.`;
}
