/**
 * `sd publish --html`: the web UI's templates as a static, read-only folder
 * (issue 12). Through the real CLI; no browser needed, so not under test/web/.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createdId, sdUserWithReplica } from './sd-cli.js';

const XSS = '<script>alert(1)</script>';
/** A file name cannot hold a slash. */
const NAME_XSS = '<img src=x onerror=alert(1)>';

/** Every href and src of a page that points into the folder (no scheme, no fragment only). */
function localLinks(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&')).filter((l) => !/^[a-z]+:|^#/.test(l));
}

describe('sd publish --html', () => {
  it('writes the web pages as linked files: tickets with their comments and attachments, values escaped, nothing live', () => {
    const u = sdUserWithReplica();
    const ticket = createdId(u.ok(['ticket', 'create', '--', `summary=Crash ${XSS}`, 'status=open']));
    const other = createdId(u.ok(['ticket', 'create', '--', 'summary=Second one', 'status=closed']));
    u.ok(['ticket', 'comment', 'create', ticket.luid, '-m', `It fails ${XSS} every time`]);
    const file = join(u.home, `log ${NAME_XSS}.txt`);
    writeFileSync(file, 'attached bytes\n');
    const attachment = createdId(u.ok(['ticket', 'attachment', 'create', ticket.luid, '-f', file]));
    const dir = join(u.home, 'site');
    u.ok(['publish', dir, '--html']);
    const html = join(dir, 'html');

    const page = readFileSync(join(html, `ticket-${ticket.luid}.html`), 'utf8');
    expect(page).toContain('Crash &lt;script>alert(1)&lt;/script>');
    expect(page).toContain('It fails &lt;script>alert(1)&lt;/script> every time');
    expect(page).toContain('log &lt;img src=x onerror=alert(1)>.txt');
    expect(page).not.toContain(XSS);
    expect(page).not.toContain(NAME_XSS);
    // The web UI's templates (its stylesheet and layout), not Prophet's plain record pages.
    expect(page).toContain('href="style.css"');
    expect(page).toContain('class="menu"');
    // Read-only: no form, no search box, no links to live-only pages.
    for (const name of readdirSync(html).filter((f) => f.endsWith('.html'))) {
      const text = readFileSync(join(html, name), 'utf8');
      expect(text, name).not.toMatch(/<form|<script|\/ui\/|_csrf/);
    }
    expect(readFileSync(join(html, 'tickets-all.html'), 'utf8')).toContain('Second one');
    expect(readFileSync(join(html, 'tickets.html'), 'utf8')).not.toContain('Second one');
    expect(readFileSync(join(html, `ticket-${other.luid}.html`), 'utf8')).toContain('Second one');
    expect(readFileSync(join(html, 'attachments', attachment.luid), 'utf8')).toBe('attached bytes\n');

    // Every link of every page resolves to a file of the folder.
    const pages = readdirSync(html).filter((f) => f.endsWith('.html'));
    expect(pages).toEqual(expect.arrayContaining(['index.html', 'tickets.html', 'tickets-status-open.html', 'history.html']));
    for (const name of pages) {
      for (const link of localLinks(readFileSync(join(html, name), 'utf8'))) {
        expect(existsSync(join(dirname(join(html, name)), link)), `${name} links to ${link}`).toBe(true);
      }
    }
  });
});
