/**
 * Ctrl-C and SIGTERM for the long commands: the handler ends what the command
 * started (child processes), prints what was finished as a partial summary,
 * and exits 130. Output files are written atomically (output.ts), so an
 * interrupted run leaves none half-written.
 */
/** Not a verdict (0-3): the run was stopped, as a shell reports 128 + SIGINT. */
export const EXIT_INTERRUPTED = 130;

export interface Partial {
  readonly text: string;
  readonly json: object;
}

/**
 * Until the returned function is called, SIGINT and SIGTERM run `stop` (ending
 * children), then print `partial(signal)` on stdout (JSON with `json`) and
 * exit 130. A second signal while stopping exits at once.
 */
export function whileInterruptible(json: boolean, stop: () => Promise<void>, partial: (signal: NodeJS.Signals, seconds: number) => Partial): () => void {
  const t0 = performance.now();
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(EXIT_INTERRUPTED);
    stopping = true;
    process.stderr.write(`\nioasid-verify: ${signal}: stopping\n`);
    void stop()
      .catch(() => undefined)
      .then(() => {
        const p = partial(signal, (performance.now() - t0) / 1000);
        process.stdout.write(json ? JSON.stringify(p.json) + '\n' : p.text + '\n', () => process.exit(EXIT_INTERRUPTED));
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

