import { builtinSchemes, coreCommands, packageVersion } from '../../prophet/index.js';
import { FOREIGN_TRACKERS } from '../foreign/connectors.js';
import type { CliApp, Command } from '../../prophet/index.js';
import { SD_APP_NAME, sdAppDefinition } from '../model/app.js';
import { sdWebUi } from '../web/extension.js';
import { attachmentContent, attachmentCreate, attachmentList, attachmentRename, attachmentShow } from './commands/attachments.js';
import { commentCreate, commentList, commentShow, commentUpdate, ticketCommentsCommand } from './commands/comments.js';
import { browserCommand } from './commands/browser.js';
import { foreignShow } from './commands/foreign.js';
import { demoCommand } from './commands/demo.js';
import { sdHelp } from './commands/help.js';
import { sdClone, sdInit } from './commands/init.js';
import { ticketDelete } from './commands/ticket-delete.js';
import { ticketCreate, ticketUpdate } from './commands/ticket-edit.js';
import { DEFAULT_TICKET_FORMAT, ticketList } from './commands/ticket-list.js';
import { ticketBasics, ticketDetails, ticketHistoryCommand, ticketShow } from './commands/ticket-show.js';
import { sdPropertyOptions } from './property-options.js';
import { ticketReview } from './commands/ticket-review.js';
import { ticketClaim, ticketGive, ticketResolve } from './commands/ticket-shortcuts.js';

const coreInit = coreCommands.find((c) => c.names[0] === 'init')!;
const coreClone = coreCommands.find((c) => c.names[0] === 'clone')!;

/** SD's own commands; they come before Prophet's generic ones, so `init` and `help` are SD's. */
const sdCommands: Command[] = [
  sdInit(coreInit),
  sdClone(coreClone),
  sdHelp,
  demoCommand,
  browserCommand,
  foreignShow,
  ticketCreate,
  ticketUpdate,
  ticketShow,
  ticketBasics,
  ticketDetails,
  ticketHistoryCommand,
  ticketList,
  ticketReview,
  ticketResolve,
  ticketClaim,
  ticketGive,
  ticketDelete,
  commentCreate,
  ticketCommentsCommand,
  commentUpdate,
  commentShow,
  commentList,
  attachmentCreate,
  attachmentList,
  attachmentContent,
  attachmentShow,
  attachmentRename,
];

/** The `sd` CLI profile: SD's record types and commands on Prophet's framework and generic commands. */
export function buildSdApp(): CliApp {
  return {
    name: SD_APP_NAME,
    version: packageVersion(),
    definition: sdAppDefinition,
    repoEnv: 'SD_REPO',
    defaultRepo: '~/.sd',
    commands: [...sdCommands, ...coreCommands],
    summaryFormats: { ticket: DEFAULT_TICKET_FORMAT, comment: '%s,$luid | %s,content', attachment: '%s,$luid | %s,name | %s,content_type' },
    propertyOptions: sdPropertyOptions,
    helpIntro: 'sd: a peer-to-peer bug tracker that works offline.',
    schemes: builtinSchemes.with(FOREIGN_TRACKERS.map((t) => t.scheme)),
    serverExtensions: [sdWebUi],
    // The templates load only for `publish --html`, not with every command.
    htmlExport: async () => (await import('../web/static-export.js')).writeSdHtml,
  };
}
