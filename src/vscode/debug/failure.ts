/** One sentence for a refused or failed request (pure, shared by both commands). */
import type { FailedReply } from '../../node/debug/reply';

const mb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export function failureText(reply: FailedReply): string {
  if (reply.tooLarge) {
    return (
      `the values take ${mb(reply.tooLarge.bytes)}, over the limit of ${mb(reply.tooLarge.limit)} ` +
      '(seglens.debug.maxTransferMB); nothing was copied. Show a slice, e.g. x[0], or raise the setting.'
    );
  }
  if (reply.noFolder) {
    return `${reply.error}. View a smaller slice (e.g. x[0]), or run the program where the extension runs.`;
  }
  return `the debugger could not evaluate it: ${reply.error}`;
}
