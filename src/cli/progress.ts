/**
 * Progress on stderr for the commands that run long (DESIGN.md §7 keeps stdout
 * for the result, so this works with --json and when piped too). On a terminal
 * one line is rewritten in place; otherwise every line is printed as it comes
 * (per scope, per design, per depth), so a log shows how far a run got.
 * --quiet silences it.
 */
export type Progress = (line: string) => void;

export interface ProgressSink {
  /** undefined when quiet: commands then build no progress text at all */
  readonly line?: Progress;
  /** ends the progress display (clears the terminal line) */
  end(): void;
  /** a line every `everyMs` while a long step gives no progress of its own (a solver call); returns the stop */
  heartbeat(label: string, everyMs?: number): () => void;
}

export function progressSink(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  if (quiet) return { end: () => {}, heartbeat: () => () => {} };
  const tty = stream.isTTY === true;
  let shown = false;
  const line: Progress = (text) => {
    shown = true;
    stream.write(tty ? `\r\x1b[K${text}` : `${text}\n`);
  };
  return {
    line,
    end: () => {
      if (tty && shown) stream.write('\r\x1b[K');
    },
    heartbeat: (label, everyMs = 10_000) => {
      const t0 = performance.now();
      line(`${label}...`);
      const timer = setInterval(() => line(`${label}: ${((performance.now() - t0) / 1000).toFixed(0)}s so far`), everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

/** "ETA 3m20s" from the time spent on `done` of `total` items; '' before the first. */
export function eta(secondsSoFar: number, done: number, total: number): string {
  if (done <= 0 || done >= total) return '';
  const left = Math.round((secondsSoFar / done) * (total - done));
  return `, ETA ${left >= 60 ? `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s` : `${left}s`}`;
}
