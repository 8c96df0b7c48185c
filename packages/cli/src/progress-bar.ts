/**
 * A job progress bar on stderr. On a terminal it redraws one line; elsewhere (CI logs,
 * pipes) it prints a line per change so the log stays readable.
 */
export class ProgressBar {
  private last = '';
  /** Progress never goes backwards on screen, even if a late event carries an older value. */
  private max = 0;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {}

  update(percent: number, label: string): void {
    const p = Math.max(this.max, Math.min(100, Math.round(percent)));
    this.max = p;
    const filled = Math.round((p / 100) * this.width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${String(p).padStart(3)}% ${label}`;
    if (line === this.last) return;
    this.last = line;
    if (this.stream.isTTY) this.stream.write(`\r${line}\x1b[K`);
    else this.stream.write(`${line}\n`);
  }

  done(): void {
    if (this.stream.isTTY && this.last) this.stream.write('\n');
  }
}
