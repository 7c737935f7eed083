// Node ends a process whose top-level await can never settle with exit code 13
// and no message. Here that means a Z3 call never answered (its WASM thread
// stopped: it happened once in a 25-minute `bmc --lemmas` run). Say so in the
// CLI's one-line error form, and report the result as unknown (exit 3), the
// exit code for an inconclusive solver.
export function onStalledExit() {
  process.on('exit', () => {
    if (process.exitCode !== 13) return;
    process.stderr.write('ioasid-verify: E_SOLVER: the solver stopped without answering; the result is unknown\n');
    process.exitCode = 3;
  });
}
