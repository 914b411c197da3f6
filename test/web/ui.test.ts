/**
 * SD in a real Chromium against a real server on a real replica: the
 * forms, the lists, attachments, sync and conflicts as a person uses them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clone } from '../../src/prophet/replication/operations.js';
import { sdAppDefinition } from '../../src/sd/model/app.js';
import { TICKET } from '../../src/sd/model/record-types.js';
import { tempDir, testEnv } from '../helpers/temp-replica.js';
import { browserMissing, screenshot, startUi } from './ui-helpers.js';

describe.skipIf(!!browserMissing)('SD in the browser', () => {
  it('creates a ticket through the form, lists it, comments, attaches, edits with a refused status, resolves', async () => {
    const { page, home, replica } = await startUi();
    await page.goto(home);
    await screenshot(page, 'overview-empty');
    await page.click('text=New ticket');
    await page.fill('#f-summary', 'Sync loses the last comment');
    await page.fill('#f-description', 'Steps:\n1. pull\n2. look');
    await page.fill('#f-comment', 'Seen twice today.');
    await page.click('button:has-text("Create ticket")');
    await expect.poll(() => page.locator('h1').innerText()).toMatch(/^1: Sync loses the last comment$/);
    expect(replica.get('1', TICKET).props).toMatchObject({ summary: 'Sync loses the last comment', status: 'new', milestone: 'alpha', reporter: 'alice@example.com' });

    await page.click('text=Active tickets');
    await expect.poll(() => page.locator('table.tickets').innerText()).toContain('Sync loses the last comment');
    await screenshot(page, 'ticket-list');

    await page.click('text=Sync loses the last comment');
    await page.fill('textarea[name=content]', 'Also on the laptop.');
    await page.click('button:has-text("Comment")');
    await expect.poll(() => page.locator('.comment').count()).toBe(2);
    await expect.poll(() => page.locator('.comment').nth(1).innerText()).toContain('Also on the laptop.');

    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255, 254, 10, 13]);
    await page.setInputFiles('input[type=file]', { name: 'trace.bin', mimeType: 'application/octet-stream', buffer: bytes });
    await page.click('button:has-text("Attach")');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("trace.bin")')]);
    expect(download.suggestedFilename()).toBe('trace.bin');
    const saved = join(tempDir('sd-web-download-'), 'trace.bin');
    await download.saveAs(saved);
    expect(readFileSync(saved)).toEqual(bytes);

    await page.click('a:has-text("Edit")');
    await page.fill('#f-status', 'superb');
    await page.click('button:has-text("Save")');
    await expect.poll(() => page.locator('.errors').innerText()).toContain("Validation error for 'status': 'superb' is not one of");
    await expect.poll(() => page.locator('#f-status').inputValue()).toBe('superb');
    await screenshot(page, 'edit-refused');
    expect(replica.get('1', TICKET).props.status).toBe('new');

    await page.goto(new URL('/ui/ticket/1', home).href);
    await page.click('button:has-text("Resolve")');
    await expect.poll(() => page.locator('td.status').innerText()).toBe('closed');
    expect(replica.get('1', TICKET).props.status).toBe('closed');
    await expect.poll(() => page.locator('.history').innerText()).toContain('status changed from new to closed');
    await screenshot(page, 'ticket');
  });

  it('finds a ticket with the search box, and goes straight to a ticket by its id', async () => {
    const { page, home, replica } = await startUi();
    replica.create(TICKET, { summary: 'Unicode names break the list' });
    replica.create(TICKET, { summary: 'Slow start-up' });
    await page.goto(home);
    await page.fill('input[name=q]', 'Unicode');
    await page.press('input[name=q]', 'Enter');
    await expect.poll(() => page.locator('table.tickets tbody tr').count()).toBe(1);
    await expect.poll(() => page.locator('table.tickets').innerText()).toContain('Unicode names break the list');
    await page.fill('.menu input[name=q]', '2');
    await page.press('.menu input[name=q]', 'Enter');
    await expect.poll(() => page.locator('h1').innerText()).toBe('2: Slow start-up');
  });

  it('pulls a change from a configured replica, with the change shown as synced, and overrides the conflict sync settled', async () => {
    const { page, home, replica } = await startUi();
    const { uuid } = replica.create(TICKET, { summary: 'Shared ticket', owner: 'alice@example.com' });
    const peerRoot = join(tempDir('sd-web-peer-'), 'replica');
    const { replica: peer } = await clone(replica.root, peerRoot, { env: testEnv('bob@example.com'), app: sdAppDefinition });
    try {
      replica.config.set('replica.laptop.url', peerRoot);
      peer.update(TICKET, uuid, { milestone: 'beta', owner: 'bob@example.com' });
      replica.update(TICKET, uuid, { owner: 'carol@example.com' });

      await page.goto(new URL('/ui/sync', home).href);
      await page.click('button:has-text("Pull")');
      await expect.poll(() => page.locator('#sync-result').innerText()).toMatch(/Merged 1 changeset/);
      await screenshot(page, 'sync');
      await page.goto(new URL('/ui/ticket/1', home).href);
      await expect.poll(() => page.locator('table.props').innerText()).toContain('beta');
      await page.locator('.history .tag.sync').first().waitFor();

      await page.click('.menu >> text=Conflicts');
      const row = page.locator('table.conflicts tbody tr', { hasText: 'owner' });
      await expect.poll(() => row.innerText()).toContain('bob@example.com');
      await expect.poll(() => row.innerText()).toContain('carol@example.com');
      await screenshot(page, 'conflicts');
      const kept = replica.get(uuid, TICKET).props.owner!;
      const other = kept === 'bob@example.com' ? 'carol@example.com' : 'bob@example.com';
      await row.locator(`button:has-text("use ${other}")`).click();
      await expect.poll(() => page.locator('table.conflicts tbody tr', { hasText: 'owner' }).innerText()).toContain(other);
      expect(replica.get(uuid, TICKET).props.owner).toBe(other);
    } finally {
      peer.close();
    }
  });

  it('serves attachments as downloads that cannot run as pages, and previews images', async () => {
    const { page, home, replica } = await startUi();
    const { uuid } = replica.create(TICKET, { summary: 'has files' });
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    replica.create('attachment', { ticket: uuid, name: 'dot.png', content: png.toString('base64'), content_encoding: 'base64', content_type: 'image/png' });
    replica.create('attachment', { ticket: uuid, name: 'page.html', content: '<script>alert(1)</script>', content_type: 'text/html' });
    const html = await page.request.get(new URL('/ui/attachment/3', home).href);
    expect(html.headers()['content-disposition']).toMatch(/^attachment; filename="page.html"/);
    expect(html.headers()['x-content-type-options']).toBe('nosniff');
    expect(html.headers()['content-security-policy']).toContain('sandbox');
    await page.goto(new URL('/ui/ticket/1', home).href);
    const preview = page.locator('img.preview');
    await expect.poll(() => preview.getAttribute('src')).toBe('/ui/attachment/2?inline=1');
    expect(await preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  });
});
