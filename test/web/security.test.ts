/** The web UI's defences, in a real Chromium: forged posts, markup in data, read-only and token-only servers. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createToken } from '../../src/prophet/server/tokens.js';
import { TICKET } from '../../src/sd/model/record-types.js';
import { browserMissing, screenshot, startUi } from './ui-helpers.js';

const closers: Array<() => void> = [];
afterEach(() => {
  while (closers.length) closers.pop()!();
});

/** A page on another origin (another port) that posts a form to `action` as soon as it loads. */
async function attackerPage(action: string, fields: Record<string, string>): Promise<string> {
  const inputs = Object.entries(fields).map(([k, v]) => `<input name="${k}" value="${v}">`).join('');
  const html = `<form id=f method=post action="${action}">${inputs}</form><script>document.getElementById('f').submit()</script>`;
  const server = createServer((_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  closers.push(() => server.close());
  return `http://localhost:${(server.address() as AddressInfo).port}/`;
}

describe.skipIf(!!browserMissing)('the web UI refuses', () => {
  it('a form posted from another site, even with a stolen anti-forgery field name', async () => {
    const { page, home, replica } = await startUi();
    await page.goto(home);
    const evil = await attackerPage(new URL('/ui/ticket/new', home).href, { summary: 'forged', _csrf: 'guess' });
    const response = await page.goto(evil);
    await page.waitForURL(/\/ui\/ticket\/new/);
    expect(response?.ok()).toBe(true);
    expect(await page.locator('.errors').innerText()).toMatch(/another site|did not come from this server/);
    expect(replica.countLive(TICKET)).toBe(0);
  });

  it('to run markup from a summary, a comment or an attachment name', async () => {
    const { page, home, replica } = await startUi();
    const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const { uuid } = replica.create(TICKET, { summary: `S ${payload}`, description: payload });
    replica.create('comment', { ticket: uuid, content: `C ${payload}` });
    replica.create('attachment', { ticket: uuid, name: `<img src=x onerror="window.__pwned=1">.txt`, content: 'x' });
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    for (const path of ['/ui/', '/ui/tickets', '/ui/ticket/1', '/ui/history', `/ui/tickets?q=${encodeURIComponent('<script>')}`]) {
      await page.goto(new URL(path, home).href);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    }
    await page.goto(new URL('/ui/ticket/1', home).href);
    expect(await page.locator('h1').innerText()).toContain('<script>window.__pwned=1</script>');
    expect(await page.locator('.comment').innerText()).toContain('C <img src=x');
    expect(await page.locator('.attachments').innerText()).toContain('<img src=x onerror="window.__pwned=1">.txt');
    expect(await page.locator('main img:not(.preview)').count()).toBe(0);
    expect(dialogs).toBe(0);
    await screenshot(page, 'xss-inert');
  });

  it('writes on a read-only server, and offers no forms there', async () => {
    const { page, home, replica } = await startUi({});
    replica.create(TICKET, { summary: 'read me' });
    await page.goto(new URL('/ui/ticket/1', home).href);
    expect(await page.locator('form[method=post]').count()).toBe(0);
    const response = await page.goto(new URL('/ui/ticket/new', home).href);
    expect(response?.status()).toBe(403);
    expect(await page.locator('.errors').innerText()).toContain('read-only');
  });

  it('writes without a login on a --writable server, then accepts them after a login with a write token', async () => {
    const { page, home, replica } = await startUi({ writable: true });
    const { token } = createToken(replica, 'browser', { scopes: ['read', 'write'] });
    replica.create(TICKET, { summary: 'needs login' });
    await page.goto(new URL('/ui/ticket/1', home).href);
    expect(await page.locator('button:has-text("Resolve")').count()).toBe(0);
    await page.click('text=Log in');
    await page.fill('input[name=token]', 'not-a-token');
    await page.click('button:has-text("Log in")');
    expect(await page.locator('.errors').innerText()).toContain('not valid');
    await page.fill('input[name=token]', token);
    await page.click('button:has-text("Log in")');
    await page.goto(new URL('/ui/ticket/1', home).href);
    await page.click('button:has-text("Resolve")');
    await expect.poll(() => replica.get('1', TICKET).props.status).toBe('closed');
  });
});
