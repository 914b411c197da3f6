import { sha256Hex } from '../model/hash.js';
import type { Replica } from '../replica/replica.js';
import { NotWritableError } from '../store/disk-errors.js';

/**
 * Browser logins, kept in the replica's local metadata (never synced), so
 * every server process on one database knows every login: a browser
 * behind a load balancer logs in on one process and is known to all, and
 * a logout on one ends the login everywhere. As with tokens, only a hash
 * of the session id is kept: whoever reads the database cannot log in
 * with what they find there.
 */
const NAMESPACE = 'browser-login.';

export interface StoredLogin {
  /** The id of the token logged in with: what it grants is looked up at each request, so revoking it ends the login. */
  token: string;
  /** Milliseconds since the epoch. */
  expires: number;
}

export class StoredLogins {
  /** Logins made while the replica could not be written (a read-only disk): only this process knows them. */
  private readonly here = new Map<string, StoredLogin>();

  constructor(private readonly replica: Replica) {}

  /** The live login of a session id, if it has one. */
  find(sessionId: string): StoredLogin | undefined {
    const key = sha256Hex(sessionId);
    const raw = this.replica.metadata(NAMESPACE).get(key);
    const login = raw === undefined ? this.here.get(key) : (JSON.parse(raw) as StoredLogin);
    return login && login.expires >= Date.now() ? login : undefined;
  }

  /** Records a login, dropping the expired ones on the way, which bounds what is kept. */
  save(sessionId: string, login: StoredLogin): void {
    const key = sha256Hex(sessionId);
    const now = Date.now();
    const expired = (value: StoredLogin) => value.expires < now;
    for (const [k, value] of this.here) if (expired(value)) this.here.delete(k);
    this.write(key, () => {
      const metadata = this.replica.metadata(NAMESPACE);
      for (const [k, raw] of metadata.entries()) if (expired(JSON.parse(raw) as StoredLogin)) metadata.delete(k);
      metadata.set(key, JSON.stringify(login));
    }, login);
  }

  /** Ends a session's login for every process; a session without one costs no write. */
  end(sessionId: string): void {
    const key = sha256Hex(sessionId);
    this.here.delete(key);
    if (this.replica.metadata(NAMESPACE).get(key) !== undefined) this.write(key, () => this.replica.metadata(NAMESPACE).delete(key));
  }

  /** A write transaction, which waits its turn behind other processes'; a replica that cannot be written keeps a new login in memory. */
  private write(key: string, change: () => void, login?: StoredLogin): void {
    try {
      this.replica.transaction(change);
    } catch (err) {
      if (!(err instanceof NotWritableError)) throw err;
      if (login) this.here.set(key, login);
    }
  }
}
