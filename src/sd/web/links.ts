/**
 * Where the pages link to. The live server and the static export
 * (`publish --html`) render the same templates with different links: the
 * server's are absolute paths under its prefix, the export's are flat
 * `.html` file names, relative, so the folder works anywhere.
 */
export interface Links {
  overview: string;
  /** A ticket list; `query` as URL parameters (the export has only the lists it wrote). */
  list(query?: Record<string, string>): string;
  ticket(luid: number): string;
  attachment(luid: number, inline?: boolean): string;
  history(page?: number): string;
  /** Pages only the live server has; undefined in the export. */
  live?: {
    newTicket: string;
    edit(luid: number): string;
    action(luid: number, what: 'comment' | 'attach' | 'quick'): string;
    conflicts: string;
    sync: string;
    login: string;
    logout: string;
    asset(name: string): string;
  };
}

export function serverLinks(base: string): Links {
  const qs = (query: Record<string, string> = {}) => {
    const text = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '')).toString();
    return text ? `?${text}` : '';
  };
  return {
    overview: `${base}/`,
    list: (query) => `${base}/tickets${qs(query)}`,
    ticket: (luid) => `${base}/ticket/${luid}`,
    attachment: (luid, inline) => `${base}/attachment/${luid}${inline ? '?inline=1' : ''}`,
    history: (page) => `${base}/history${page && page > 1 ? `?page=${page}` : ''}`,
    live: {
      newTicket: `${base}/ticket/new`,
      edit: (luid) => `${base}/ticket/${luid}/edit`,
      action: (luid, what) => `${base}/ticket/${luid}/${what}`,
      conflicts: `${base}/conflicts`,
      sync: `${base}/sync`,
      login: `${base}/login`,
      logout: `${base}/logout`,
      asset: (name) => `${base}/static/${name}`,
    },
  };
}

/** A value as part of a file name: kept when plainly safe, else hex, so no value ('..', 'a/b') names another file. */
function fileSlug(value: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(value) && !value.startsWith('.') ? value : `x${Buffer.from(value, 'utf8').toString('hex')}`;
}

/** The export's file for a list: its filters (the export writes no sorted or searched lists) and page. */
export function listFile(query: Record<string, string> = {}): string {
  const filters = Object.entries(query)
    .filter(([k, v]) => v !== '' && !['q', 'sort', 'desc', 'group', 'page'].includes(k))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const name = filters.length === 0 ? 'tickets' : filters.length === 1 && filters[0]![0] === 'status' && filters[0]![1] === '*' ? 'tickets-all' : `tickets-${filters.map(([k, v]) => `${fileSlug(k)}-${fileSlug(v)}`).join('-')}`;
  const page = Number(query.page ?? 1);
  return `${name}${page > 1 ? `-p${page}` : ''}.html`;
}

/** The static export's links: flat files in one folder, relative, so it works from a disk or any web host. */
export const exportLinks: Links = {
  overview: 'index.html',
  list: listFile,
  ticket: (luid) => `ticket-${luid}.html`,
  // No extension: a web host serves it as a download, never as a page of the export's origin.
  attachment: (luid) => `attachments/${luid}`,
  history: (page) => `history${page && page > 1 ? `-${page}` : ''}.html`,
};
