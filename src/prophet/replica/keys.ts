/**
 * A user's signing keys: one Ed25519 key pair per email address, kept in
 * the user's configuration directory (never in a replica, which is copied
 * and published), made on first need, readable by the user alone.
 *
 *   $XDG_CONFIG_HOME/prophet/keys/<email>.key        the key in use (else ~/.config/...)
 *   $XDG_CONFIG_HOME/prophet/keys/retired/<email>.<fingerprint>.key   keys rotated out
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ProphetError } from '../model/errors.js';
import { fingerprintOf, rawPublicKey, shortFingerprint, signBody } from '../model/signature.js';
import { nowTimestamp } from '../model/changeset.js';
import type { Config } from './config.js';

const KEY_FORMAT = 'prophet-signing-key';

/** A key pair the user holds, ready to sign changeset bodies. */
export interface SigningKey {
  email: string;
  /** Base64 of the raw 32-byte public key. */
  publicKey: string;
  fingerprint: string;
  /** When the key was made: its record says so, and a rotation revokes the old key at the new one's birth. */
  created: string;
  file: string;
  sign(body: string): string;
}

/** The directory holding the user's keys: XDG_CONFIG_HOME, else ~/.config, from the replica's environment. */
export function keysDirectory(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME ?? homedir(), '.config'), 'prophet', 'keys');
}

/** Email addresses become file names: lowercased, anything but letters, digits and `@._+-` escaped as %XX. */
function fileName(email: string): string {
  return email.toLowerCase().replace(/[^a-z0-9@._+-]/g, (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function keyFile(env: NodeJS.ProcessEnv, email: string): string {
  return join(keysDirectory(env), `${fileName(email)}.key`);
}

/** Off with PROPHET_SIGNING=off (benchmarks, users who do not want it) or config `user.signing = false`. */
export function signingEnabled(config: Config, env: NodeJS.ProcessEnv): boolean {
  const off = (v: string | undefined) => v !== undefined && /^(off|false|no|0)$/i.test(v.trim());
  return !off(env.PROPHET_SIGNING) && !off(config.get('user.signing'));
}

function toSigningKey(file: string, email: string, created: string, privateKey: KeyObject): SigningKey {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  return { email, publicKey, fingerprint: fingerprintOf(publicKey), created, file, sign: (body) => signBody(body, privateKey, publicKey) };
}

/** Reads a key file; a damaged one is an error, never a silent switch to unsigned changes. */
export function readKeyFile(file: string): SigningKey {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new ProphetError(`cannot read signing key ${file}: ${(err as Error).message}`, 'io');
  }
  if (raw.format !== KEY_FORMAT || typeof raw.email !== 'string' || typeof raw.created !== 'string' || typeof raw.private_key !== 'string') {
    throw new ProphetError(`${file} is not a prophet signing key`, 'bad-data');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(raw.private_key, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new ProphetError(`${file} holds a damaged signing key; move it away and a new key will be made (peers must then trust the new one)`, 'bad-data');
  }
  return toSigningKey(file, raw.email, raw.created, privateKey);
}

/**
 * Makes a key pair for `email` and publishes its file in one step that
 * fails if another process made one first (then that one is used): two
 * commands running at once never end up with different keys.
 */
function createKeyFile(file: string, email: string): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const created = nowTimestamp();
  const key = toSigningKey(file, email, created, privateKey);
  const text = `${JSON.stringify({
    format: KEY_FORMAT,
    version: 1,
    email,
    created,
    fingerprint: key.fingerprint,
    public_key: key.publicKey,
    private_key: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  }, null, 1)}\n`;
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, text, { mode: 0o600 });
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readKeyFile(file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return key;
}

/**
 * The keys of one user environment, each read once and read again only
 * when its file changes (a rotation by another process, a long-running
 * server), so signing costs no file reads per changeset.
 */
export class UserKeys {
  private readonly cache = new Map<string, { stamp: string; key: SigningKey }>();
  private readonly files = new Map<string, string>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The key in use for `email`, or undefined when there is none yet. */
  current(email: string): SigningKey | undefined {
    let file = this.files.get(email);
    if (file === undefined) {
      file = keyFile(this.env, email);
      this.files.set(email, file);
    }
    let stamp: string;
    try {
      // One stat per use: a key rotated by another process (a server runs for days) is picked up at once.
      const st = statSync(file);
      stamp = `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch {
      this.cache.delete(email);
      return undefined;
    }
    const cached = this.cache.get(email);
    if (cached?.stamp === stamp) return cached.key;
    const key = readKeyFile(file);
    if (key.email.toLowerCase() !== email.toLowerCase()) {
      throw new ProphetError(`${file} holds the signing key of ${key.email}, not of ${email}: move it away and a new key will be made`, 'bad-data');
    }
    this.cache.set(email, { stamp, key });
    return key;
  }

  /**
   * The key for `email`, made now if there is none. Undefined when no key
   * can be made here (no writable configuration directory): changes are
   * then made unsigned rather than refused.
   */
  currentOrNew(email: string): SigningKey | undefined {
    const existing = this.current(email);
    if (existing) return existing;
    const file = keyFile(this.env, email);
    try {
      createKeyFile(file, email);
    } catch (err) {
      if (err instanceof ProphetError) throw err;
      return undefined;
    }
    return this.current(email);
  }

  /** Moves the key in use aside (kept, to show what it signed) and makes a new one. */
  rotate(email: string): { retired?: SigningKey; key: SigningKey } {
    const retired = this.current(email);
    if (retired) {
      const dir = join(keysDirectory(this.env), 'retired');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      renameSync(retired.file, join(dir, `${fileName(email)}.${shortFingerprint(retired.fingerprint)}.key`));
    }
    const key = this.currentOrNew(email);
    if (!key) throw new ProphetError(`cannot make a signing key in ${keysDirectory(this.env)}: check that the directory can be written`, 'io');
    return { retired, key };
  }
}
