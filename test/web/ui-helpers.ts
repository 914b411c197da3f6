import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, inject } from 'vitest';
import type { Replica } from '../../src/prophet/replica/replica.js';
import { startServer, type ListenOptions, type RunningServer } from '../../src/prophet/server/listen.js';
import { initSdReplica } from '../../src/sd/model/app.js';
import { sdWebUi } from '../../src/sd/web/extension.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';

/** Why the browser tests cannot run here ('' when they can); the set-up has already said so loudly. */
export const browserMissing = inject('chromiumMissing');

/** Screenshots for people to look at; git-ignored. */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');

let browser: Browser | undefined;
const servers: RunningServer[] = [];
const replicas: Replica[] = [];

afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
  while (replicas.length) replicas.pop()!.close();
});
afterAll(async () => {
  await browser?.close();
});

/** The shared Chromium (see browser-setup.ts), connected once per test file. */
export async function sharedBrowser(): Promise<Browser> {
  if (!browser) {
    const { chromium } = await import('playwright-core');
    browser = await chromium.connect(inject('chromiumEndpoint'));
  }
  return browser;
}

export interface Ui {
  replica: Replica;
  url: string;
  /** The UI's home: `http://127.0.0.1:PORT/ui/`. */
  home: string;
  page: Page;
}

/** An SD replica served with the web UI on 127.0.0.1, as `sd browser` serves it, and a fresh browser page on it. */
export async function startUi(opts: ListenOptions = { localForms: true }, email = 'alice@example.com'): Promise<Ui> {
  const replica = initSdReplica(join(tempDir('sd-web-'), 'replica'), { env: testEnv(email) });
  replicas.push(replica);
  const server = await startServer(replica, { port: 0, host: '127.0.0.1', extensions: [sdWebUi], ...opts });
  servers.push(server);
  const context = await (await sharedBrowser()).newContext({ viewport: { width: 1200, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  return { replica, url: server.url, home: new URL('/ui/', server.url).href, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
