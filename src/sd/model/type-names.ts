/** SD's record types. */
export const TICKET = 'ticket';
export const COMMENT = 'comment';
export const ATTACHMENT = 'attachment';
