/**
 * Regenerates the viewer screenshots from real runs: explores two flawed
 * presets at `default`, writes their counterexample pages with
 * `view --replay`, opens each in Chromium (playwright-core, the system
 * browser) at its violating step and takes a screenshot:
 *  - docs/viewer.png, the one the README shows (committed);
 *  - out/screenshots/*.png, full pages, beside the pages and their traces.
 * `node bin/run-ts.mjs scripts/screenshots.ts` (about 20 s; needs
 * /usr/bin/chromium or $CHROMIUM).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'out', 'screenshots');

function cli(...args: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ioasid-verify.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`ioasid-verify ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
}

/** [preset, invariant]: the README's is the first. */
const PAGES = [
  ['no-drain', 'no-cross-tenant-dma'],
  ['no-dma-block', 'destroyed-blocks-dma'],
] as const;

// Relative to the repository (the CLI runs there), so the pages name their traces as a reader would.
const TRACES = join('out', 'screenshots', 'traces');
mkdirSync(SHOTS, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const [i, [variant, invariant]] of PAGES.entries()) {
    process.stderr.write(`explore ${variant}, view its ${invariant} trace...\n`);
    cli('explore', '--variant', variant, '--out', TRACES, '--quiet');
    const trace = join(TRACES, `${variant}--${invariant}.itf.json`);
    const page = join(SHOTS, `${variant}--${invariant}.html`);
    cli('view', trace, '--replay', '--out', page);
    const length = (JSON.parse(readFileSync(join(ROOT, trace), 'utf8')) as { '#meta': { length: number } })['#meta'].length;
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await tab.goto(`${pathToFileURL(page).href}#step=${length}`);
    await tab.screenshot({ path: join(SHOTS, `${variant}--${invariant}.png`), fullPage: true });
    // The README's: the summary, the steps and the state panel down to the highlighted objects.
    if (i === 0) await tab.screenshot({ path: join(ROOT, 'docs', 'viewer.png'), clip: { x: 0, y: 0, width: 1400, height: 1900 }, fullPage: true });
    await tab.close();
  }
} finally {
  await browser.close();
}
process.stderr.write(`wrote docs/viewer.png and ${PAGES.length} pages with screenshots in out/screenshots/\n`);
