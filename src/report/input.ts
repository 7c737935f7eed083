/** Everything the report is written from: the runs it made and the files it was given. */
import type { LoadedScope } from '../scopes';
import type { Evidence } from './evidence';
import type { VariantRun } from './runs';

export interface ReportInput {
  readonly scope: LoadedScope;
  readonly runs: readonly VariantRun[];
  readonly evidence: readonly Evidence[];
  /** where the report is written: trace links are relative to its folder */
  readonly out: string;
  readonly depth?: number;
  /** the command line that reproduces the report */
  readonly command: string;
}
