/**
 * One check of `check`, whatever stage ran it (explore, prove, conformance):
 * the data the CLI turns into its summary, JUnit XML and CI annotations.
 */
export interface CheckCase {
  /** the group: explore, prove, conformance, ... */
  readonly suite: string;
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'unknown';
  readonly seconds: number;
  /** why it failed or is unknown: one line */
  readonly message?: string;
}
