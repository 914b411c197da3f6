/**
 * `sd publish --html`: the web UI's own templates written as flat files, a
 * read-only copy that works from a folder or any web host. Links are the
 * export's (links.ts); pages leave out what needs the server (forms, the
 * search box, sorting, sync, conflicts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VNode } from 'preact';
import { packageVersion } from '../../prophet/index.js';
import type { Replica } from '../../prophet/index.js';
import { attachmentBytes } from '../model/attachments.js';
import { TICKET } from '../model/record-types.js';
import { readSdSettings } from '../model/settings.js';
import { STYLESHEET } from './assets.js';
import { exportLinks, listFile } from './links.js';
import { projectOverview } from './overview.js';
import { logPage, ticketTitle, ticketView } from './page-data.js';
import { listTickets, listTitle, parseListQuery } from './ticket-query.js';
import { renderPage, type PageContext } from './views/layout.js';
import { TicketListPage } from './views/lists.js';
import { OverviewPage } from './views/overview.js';
import { LogPage } from './views/replica-pages.js';
import { TicketPage } from './views/ticket.js';

export function writeSdHtml(replica: Replica, dir: string): void {
  const s = readSdSettings(replica);
  const ctx: PageContext = { links: exportLinks, project: s.projectName, version: packageVersion(), stylesheet: 'style.css', loginOffered: false, loggedIn: false };
  const write = (file: string, title: string, body: VNode) => writeFileSync(join(dir, file), renderPage(ctx, title, body));
  writeFileSync(join(dir, 'style.css'), STYLESHEET);

  const overview = projectOverview(replica);
  write(exportLinks.overview, 'Project overview', <OverviewPage ctx={ctx} o={overview} />);

  // Every list a page links to: active, all, and each value the overview counts.
  const filters: Array<Record<string, string>> = [
    {},
    { status: '*' },
    ...overview.statuses.map((c) => ({ status: c.value })),
    ...overview.milestones.map((c) => ({ milestone: c.value })),
    ...overview.components.map((c) => ({ component: c.value })),
  ];
  const choices = { status: s.statuses, milestone: s.milestones, component: s.components };
  for (const filter of filters) {
    for (let page = 1, pages = 1; page <= pages; page++) {
      const query = parseListQuery({ ...filter, page: String(page) });
      const result = listTickets(replica, query);
      pages = result.pages;
      write(listFile({ ...filter, page: String(page) }), listTitle(query), <TicketListPage ctx={ctx} query={query} result={result} choices={choices} />);
    }
  }

  mkdirSync(join(dir, 'attachments'));
  for (const ticket of replica.liveRecords(TICKET)) {
    const view = ticketView(replica, String(ticket.luid));
    write(exportLinks.ticket(ticket.luid), ticketTitle(ticket), <TicketPage ctx={ctx} view={view} />);
    for (const a of view.attachments) writeFileSync(join(dir, exportLinks.attachment(a.luid)), attachmentBytes(a.props));
  }

  for (let page = 1, pages = 1; page <= pages; page++) {
    const log = logPage(replica, page);
    pages = log.pages;
    write(exportLinks.history(page), 'History', <LogPage ctx={ctx} {...log} />);
  }
}
