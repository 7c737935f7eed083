/**
 * The toolkit's own failures (bad trace, bad scope, bad usage) as values with
 * a stable code and a one-line message. The CLI prints `ioasid-verify: CODE:
 * message` and exits 2. Throwing anything else is a bug.
 */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_UNKNOWN_NAME'
  | 'E_BAD_NUMBER'
  | 'E_FILE'
  | 'E_JSON'
  | 'E_SCOPE'
  | 'E_TRACE'
  | 'E_TOO_LARGE'
  /** an unknown rule value, a rule given twice, a malformed --rule */
  | 'E_RULE'
  /** a design file that is not a design (§8) */
  | 'E_DESIGN'
  /** a child process (parallel explore, parallel sweep) failed */
  | 'E_CHILD'
  /** sweep shard files that do not make one whole sweep: a slice missing, given twice, or from another sweep */
  | 'E_SHARD'
  /** a result file given to report --evidence is of no kind it knows */
  | 'E_EVIDENCE'
  /** the solver answered unknown or ran out of time: the result is inconclusive (exit 3, not 2) */
  | 'E_SOLVER'
  /** a bug: anything thrown that is not a ToolError (printed in the one-line form all the same) */
  | 'E_INTERNAL';

export class ToolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message.replace(/\s+/g, ' ').trim());
    this.name = 'ToolError';
  }
}

/** The closest of `names` to `given`, if close enough to be a likely typo. */
export function nearest(given: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(given.toLowerCase(), n.toLowerCase());
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(given.length / 3)) ? best : undefined;
}

/** A ToolError for a name that is not one of `names`, with a suggestion when one is near. */
export function unknownName(what: string, given: string, names: readonly string[]): ToolError {
  const near = nearest(given, names);
  const hint = near ? `; did you mean '${near}'?` : `; known: ${names.join(', ')}`;
  return new ToolError('E_UNKNOWN_NAME', `unknown ${what} '${given}'${hint}`);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
