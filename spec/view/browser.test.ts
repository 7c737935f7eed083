/**
 * The counterexample pages in a real browser: Debian's Chromium driven by
 * playwright-core (no browser download). For every flawed preset's shortest
 * counterexample at `default`, run to the end and written by `view --replay`,
 * the page opens from file:// with no console error and no request, the
 * keyboard and `#step=N` select steps, the state panels follow, and at the
 * violation the broken invariant, its seed sentence and exactly the objects
 * the offender names are highlighted. Then `check --html` at `tiny`: every
 * link of its index opens a page (no 404), and each page links back.
 *
 * Without Chromium at /usr/bin/chromium (or $CHROMIUM) these tests are
 * skipped with one message; .ci/run installs it.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVARIANT_BY_NAME } from '../../model/index';
import { pageData } from '../../src/view/pageData';
import { runInProcess } from '../cli/run';
import { counterexamples, viewInput } from './traces';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const HAVE = existsSync(CHROMIUM) && statSync(CHROMIUM).isFile();
const NO_BROWSER = `browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, as .ci/run does, or set CHROMIUM)`;

let browser: Browser;
let dir = '';

/** A page that records every console error, page error and request it makes. */
async function open(url: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => void errors.push(String(e)));
  page.on('request', (r) => void (r.url().startsWith('file:') || requests.push(r.url())));
  page.on('requestfailed', (r) => void errors.push(`request failed: ${r.url()}`));
  await page.goto(url);
  return { page, errors, requests };
}

const stepOf = async (page: Page): Promise<number> => Number(await page.getAttribute('body', 'data-step'));
// Page-side code is given as strings: this project's TypeScript has no DOM types.
const goTo = async (page: Page, hash: string): Promise<unknown> => page.evaluate(`void (location.hash = ${JSON.stringify(hash)})`);
/** Waits until step `step` is selected; polled from here, since the page's CSP forbids eval (and so waitForFunction's polling). */
async function selected(page: Page, step: number): Promise<void> {
  for (let t = 0; t < 100 && (await stepOf(page)) !== step; t++) await new Promise((r) => setTimeout(r, 50));
  expect(await stepOf(page)).toBe(step);
}

// Without Chromium every test below is reported skipped, and this one line says why.
if (!HAVE) console.warn(NO_BROWSER);

describe.skipIf(!HAVE)('the pages in Chromium', () => {
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    dir = mkdtempSync(join(tmpdir(), 'ioasid-view-browser-'));
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe.each(counterexamples())('$name', ({ name, doc, trace }) => {
    const d = pageData(viewInput(trace));
    const at = d.violationStep!;
    const last = d.steps.length - 1;
    let url = '';

    beforeAll(async () => {
      const file = join(dir, `${name}.itf.json`);
      writeFileSync(file, JSON.stringify(doc));
      const run = await runInProcess(['view', file, '--replay', '--out', join(dir, `${name}.html`)]);
      expect(run.code, run.stderr).toBe(0);
      url = pathToFileURL(join(dir, `${name}.html`)).href;
    });

    it('steps to the violation with the keyboard and finds the invariant and the offending objects highlighted', async () => {
      const { page, errors, requests } = await open(url);
      await page.keyboard.press('Home');
      expect(await stepOf(page)).toBe(0);
      expect(await page.textContent('#panel-title')).toContain('initial state');
      let before = '';
      for (let i = 1; i <= at; i++) {
        if (i === at) before = await page.innerText('#tables');
        await page.keyboard.press('ArrowRight');
        expect(await stepOf(page)).toBe(i);
      }
      expect(await page.evaluate('location.hash')).toBe(`#step=${at}`);
      expect(await page.getAttribute(`#row-${at}`, 'aria-current')).toBe('step');
      expect(await page.getAttribute(`#tl-${at}`, 'class')).toContain('sel');
      // the state panel changed with the step
      expect(await page.innerText('#tables')).not.toBe(before);
      expect(await page.textContent('#panel-title')).toContain(`step ${at}: ${d.steps[at]!.call}`);
      const box = page.locator(`#panel-violations [data-invariant="${trace.invariant}"]`);
      expect(await box.innerText()).toContain(`${trace.invariant} breaks here`);
      expect(await box.innerText()).toContain(d.violation!.text);
      expect(await box.innerText()).toContain(INVARIANT_BY_NAME[trace.invariant!].seed);
      // exactly the objects the offender names, among them every row of the path
      const highlighted = await page.$$eval('#tables tr.offending:not(.path)', (rows) => rows.map((r) => r.getAttribute('data-key')));
      const named = [...new Set(d.steps[at]!.violations.flatMap((v) => v.refs))];
      expect(new Set(highlighted)).toEqual(new Set(named));
      expect(highlighted.length).toBeGreaterThan(0);
      expect(await page.$$eval('#tables tr.offending td.mark', (tds) => tds.every((td) => td.textContent!.includes('named by the violation')))).toBe(true);
      await page.keyboard.press('End');
      expect(await stepOf(page)).toBe(last);
      if (d.steps[last]!.breach) {
        expect(await page.innerText('#panel-violations')).toContain(d.breach!);
        expect(await page.locator('#tables tr.path').count()).toBe(new Set(d.steps[last]!.breachRefs).size);
      }
      await page.keyboard.press('ArrowLeft');
      expect(await stepOf(page)).toBe(last - 1);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    });

    it('opens at #step=N and follows the fragment, a click on the timeline and on a row', async () => {
      const { page, errors } = await open(`${url}#step=${at}`);
      expect(await stepOf(page)).toBe(at);
      expect(await page.locator('#tables tr.offending').count()).toBeGreaterThan(0);
      await goTo(page, '#step=1');
      await selected(page, 1);
      expect(await page.textContent('#panel-title')).toContain(`step 1: ${d.steps[1]!.call}`);
      expect(await page.locator('#tables tr.offending').count()).toBe(0);
      await page.click(`#tl-${last}`);
      await selected(page, last);
      await page.click('#row-2 td >> nth=0');
      await selected(page, 2);
      // out of range clamps to the last step
      await goTo(page, '#step=999');
      await selected(page, last);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('shows the kernel beside the model and where it defeats the attack', async () => {
      const { page } = await open(url);
      const k = d.kernel!;
      expect(await page.innerText('.kernel')).toContain(`at step ${k.defeatsAt}`);
      await goTo(page, `#step=${k.defeatsAt}`);
      await selected(page, k.defeatsAt!);
      expect(await page.innerText('#panel-kernel')).toContain('it defeats the attack');
      await page.close();
    });
  });

  describe('check --html at scope tiny', () => {
    it('writes an index whose every link opens a page, and every page links back', async () => {
      const site = join(dir, 'site');
      const run = await runInProcess(['check', '--scope', 'tiny', '--no-proofs', '--jobs', '1', '--quiet', '--out', join(dir, 'check-traces'), '--html', site]);
      expect([0, 1], run.stderr).toContain(run.code);
      const { page, errors } = await open(pathToFileURL(join(site, 'index.html')).href);
      const links = (await page.evaluate('[...document.querySelectorAll("a[href]")].map((a) => a.href)')) as string[];
      const pages = [...new Set(links.filter((l) => !l.includes('#')))];
      expect(pages.length).toBeGreaterThan(0);
      expect(await page.locator('#designs tbody tr').count()).toBeGreaterThanOrEqual(9);
      for (const href of pages) {
        const target = await browser.newPage();
        const pageErrors: string[] = [];
        target.on('pageerror', (e) => void pageErrors.push(String(e)));
        const res = await target.goto(href);
        expect(res?.ok(), href).toBe(true);
        expect(await target.title()).not.toBe('');
        await target.click('nav a');
        expect(target.url()).toBe(pathToFileURL(join(site, 'index.html')).href);
        expect(pageErrors).toEqual([]);
        await target.close();
      }
      expect(errors).toEqual([]);
      await page.close();
    });
  });
});
