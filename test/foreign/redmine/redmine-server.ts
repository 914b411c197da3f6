/** The fixed admin API key redmine-setup.sh gives the test Redmine (never a real server's). */
export const ADMIN_KEY = '0123456789abcdef0123456789abcdef01234567';
/** Users redmine-fixtures.rb makes, with their fixed API keys. */
export const USERS = {
  alice: { login: 'alice', mail: 'alice@example.test', key: '1'.repeat(40) },
  bob: { login: 'bob', mail: 'bob@example.test', key: '2'.repeat(40) },
};

/** The Redmine the run shares (global-setup.ts starts it). */
export interface RedmineServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  /** Its files (database, log, pid): redmine-setup.sh's RM_DIR. */
  dir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    redmineServer: RedmineServer | null;
    /** Why there is no Redmine this run, or ''. */
    redmineUnavailable: string;
  }
}
