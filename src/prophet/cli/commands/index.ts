import type { Command } from '../command.js';
import { aliasesCommand } from './aliases.js';
import { configCommand } from './config.js';
import { createCommand } from './create.js';
import { deleteCommand } from './delete.js';
import { diffCommand } from './diff.js';
import { helpCommand, versionCommand } from './help.js';
import { completionCommand } from '../completion.js';
import { historyCommand } from './history.js';
import { infoCommand } from './info.js';
import { initCommand } from './init.js';
import { logCommand } from './log.js';
import { searchCommand } from './search.js';
import { settingsCommand } from './settings.js';
import { shareCommands } from './share.js';
import { shellCommand } from './shell.js';
import { showCommand } from './show.js';
import { syncCommands } from './sync.js';
import { trustCommands } from './trust.js';
import { undoCommand } from './undo.js';
import { updateCommand } from './update.js';

/** Commands on records and their history. */
export const recordCommands: Command[] = [createCommand, searchCommand, showCommand, updateCommand, deleteCommand, historyCommand, diffCommand];

/** Commands on the replica as a whole. */
export const replicaCommands: Command[] = [initCommand, infoCommand, logCommand, undoCommand, settingsCommand];

/** Local configuration: never synced. */
export const configCommands: Command[] = [configCommand, aliasesCommand];

/** Publishing, serving and bundling the replica for others. */
export { shareCommands };

/** Signing keys and which of them this replica trusts. */
export { trustCommands };

export const generalCommands: Command[] = [helpCommand, versionCommand, completionCommand, shellCommand];

/** Every command of the generic `prophet` CLI; an app spreads this after its own. */
export const coreCommands: Command[] = [...replicaCommands, ...recordCommands, ...syncCommands, ...shareCommands, ...trustCommands, ...configCommands, ...generalCommands];
