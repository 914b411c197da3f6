/** The cluster's superuser: pg-setup.sh makes it with trust authentication on 127.0.0.1. */
export const PG_ADMIN_USER = 'postgres';

/** The PostgreSQL the run shares (global-setup.ts starts it). */
export interface PgServer {
  /** Its administrative database's URL: connect there to create others. */
  url: string;
  port: number;
  /** Its files (data directory, log, socket): pg-setup.sh's PG_DIR. */
  dir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgServer: PgServer | null;
    /** Why there is no PostgreSQL this run, or ''. */
    pgUnavailable: string;
  }
}
