/** Collects warnings about one file: each message once (with a count when repeated), capped, prefixed with the file. */
export class Warnings {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly file: string,
    private readonly cap = 20,
  ) {}

  add(message: string): void {
    this.counts.set(message, (this.counts.get(message) ?? 0) + 1);
  }

  addAll(messages: Iterable<string>): void {
    for (const message of messages) this.add(message);
  }

  get size(): number {
    return this.counts.size;
  }

  list(): string[] {
    const out: string[] = [];
    for (const [message, count] of this.counts) {
      if (out.length === this.cap) {
        out.push(forFile(this.file, `and ${this.counts.size - this.cap} more problem(s)`));
        break;
      }
      out.push(forFile(this.file, count > 1 ? `${message} (${count} times)` : message));
    }
    return out;
  }
}

/** "path: message", bounded to the contract's 1000 characters. */
export function forFile(file: string, message: string): string {
  // A path from an untrusted tree may hold control characters (it was refused for that): show it quoted.
  const shown = /[\u0000-\u001f\u007f]/.test(file) ? JSON.stringify(file) : file;
  const text = `${shown}: ${message}`;
  return text.length <= 1000 ? text : `${text.slice(0, 999)}…`;
}
