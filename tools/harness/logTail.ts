// Follows a file another process appends to (the suite's log) and hands over complete lines in order.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

export class LogTail {
  private offset = 0;
  private partial = '';

  constructor(private readonly file: string) {}

  /** Reads what was appended since the last call and returns the complete lines (a trailing partial line waits). */
  poll(): string[] {
    if (!existsSync(this.file)) return [];
    const size = statSync(this.file).size;
    if (size <= this.offset) return [];
    const buffer = Buffer.alloc(size - this.offset);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const text = this.partial + buffer.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines;
  }

  /** Returns the last partial line too; call once the writer has finished. */
  flush(): string[] {
    const lines = this.poll();
    if (this.partial) lines.push(this.partial);
    this.partial = '';
    return lines;
  }
}
