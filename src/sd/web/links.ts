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
