export { SD_APP_NAME, initSdReplica, openSdReplica, sdAppDefinition } from './app.js';
export { attachmentBytes, attachmentProperties, attachmentSummary, detectContentType } from './attachments.js';
export { parseDue, timestamp } from './dates.js';
export { ATTACHMENT, COMMENT, TICKET } from './record-types.js';
export { SD_SETTINGS, readSdSettings, type SdSettings } from './settings.js';
export { claimantEmail, deleteTicket, findTickets, isActive, ticketAttachments, ticketComments, type Dependents, type TicketDeletion } from './tickets.js';
