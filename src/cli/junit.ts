/** JUnit XML for CI systems: one <testcase> per check. */
import type { CheckCase } from '../check/cases';

export type { CheckCase };

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export function junitXml(cases: readonly CheckCase[]): string {
  const suites = [...new Set(cases.map((c) => c.suite))];
  const body = suites.map((suite) => {
    const cs = cases.filter((c) => c.suite === suite);
    const failures = cs.filter((c) => c.status === 'fail').length;
    const skipped = cs.filter((c) => c.status === 'unknown').length;
    const time = cs.reduce((t, c) => t + c.seconds, 0);
    const items = cs.map((c) => {
      const open = `    <testcase classname="ioasid-verify.${esc(suite)}" name="${esc(c.name)}" time="${c.seconds.toFixed(3)}"`;
      if (c.status === 'pass') return `${open}/>`;
      const inner = c.status === 'fail' ? `<failure message="${esc(c.message ?? 'failed')}"/>` : `<skipped message="${esc(c.message ?? 'unknown')}"/>`;
      return `${open}>${inner}</testcase>`;
    });
    return [
      `  <testsuite name="${esc(suite)}" tests="${cs.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}">`,
      ...items,
      '  </testsuite>',
    ].join('\n');
  });
  const failures = cases.filter((c) => c.status === 'fail').length;
  const skipped = cases.filter((c) => c.status === 'unknown').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ioasid-verify" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}

/** GitHub Actions workflow commands, one line per failed or unknown check. */
export function githubAnnotations(cases: readonly CheckCase[]): string[] {
  return cases
    .filter((c) => c.status !== 'pass')
    .map((c) => `::${c.status === 'fail' ? 'error' : 'warning'} title=ioasid-verify ${c.suite}::${c.name}: ${(c.message ?? '').replace(/[\r\n%]/g, ' ')}`);
}
