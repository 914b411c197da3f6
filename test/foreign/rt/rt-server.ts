import type { RtLogin } from './rt-rest.js';

/** The fixed test account of Debian's request-tracker5 (debconf's initial root password). */
export const RT_USER = 'root';
export const RT_PASSWORD = 'password';

/** The RT the run shares (global-setup.ts starts it). */
export interface RtServer extends RtLogin {
  port: number;
  /** Its files (database, log, pid): rt-setup.sh's RT_DIR. */
  dir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    rtServer: RtServer | null;
    /** Why there is no RT this run, or ''. */
    rtUnavailable: string;
  }
}
