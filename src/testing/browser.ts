// Headless Chromium for the tests that look at a page as a person would (the dump HTML report, the
// watch dashboard): Debian's /usr/bin/chromium through playwright-core, never a browser that
// Playwright downloads. Missing Chromium skips the tests on a
// developer's machine and fails them in CI (.ci/run installs it).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { IN_CI, REPO_ROOT } from './env.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Why Chromium tests cannot run here, or null when they can; throws in CI. */
export function chromiumUnavailable(what: string): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (IN_CI) throw new Error(`CI requires ${CHROMIUM} for ${what} (apt-get install chromium)`);
  return `${CHROMIUM} is absent (apt-get install chromium); ${what} skipped`;
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A browser without state: a persistent context in a fresh user-data directory, removed on close. */
export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1280, height: 900 }): Promise<TestBrowser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'goroscope-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A plain browser, for tests that open many pages (each newPage its own context). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** Everything a page reports that a person would call broken: uncaught errors, console errors, dialogs. */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

/** Where tests put screenshots for CI to keep (test-artifacts/, ignored by git). */
export function artifactDir(name: string): string {
  const dir = path.join(REPO_ROOT, 'test-artifacts', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
