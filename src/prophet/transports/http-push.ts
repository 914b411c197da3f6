import { ProphetError } from '../model/errors.js';
import type { ChangesetEntry } from '../sync/source.js';
import { emptyPhase, type ChangesetTarget, type Incoming, type IntegrationReport, type TargetIdentity, type TargetTickets } from '../sync/target.js';
import type { ConflictReport } from '../sync/journal.js';
import { HttpClient, httpBase, HttpError, type HttpOptions } from './http-fetch.js';
import { MANIFEST_FILE, MANIFEST_LIMIT } from './manifest.js';
import { entryToArray, PACK_MAX_BYTES, PACK_MAX_CHANGESETS } from './pack.js';
import { PUSH_PATH, TICKETS_PATH, type PushBatch, type PushBatchReport, type PushTickets } from './push-protocol.js';

/** Why a server refused to hear about the push at all, as one line the user can act on. */
async function refusal(err: HttpError, client: HttpClient): Promise<ProphetError> {
  const url = client.shown('');
  if (err.status === 404) {
    const published = await client.get(MANIFEST_FILE, MANIFEST_LIMIT).then(
      () => true,
      () => false,
    );
    return new ProphetError(
      published
        ? `${url} is a published replica on a static host, not a prophet server: it cannot take a push; publish instead`
        : `${url} is not a prophet server (no push endpoint there)`,
      'usage',
    );
  }
  if (err.status === 401) {
    return new ProphetError(`${url} refused the push: ${err.reason} (set PROPHET_TOKEN, save it as replica.NAME.token with the config command (it goes to the credentials file), or give --token)`, 'unauthorized');
  }
  if (err.status === 403) return new ProphetError(`${url} refused the push: ${err.reason}`, 'read-only');
  return err;
}

/** Batches of at most a pack's size, so no POST outgrows what the server accepts. */
async function* packSized(batches: AsyncIterable<ChangesetEntry[]>): AsyncIterable<ChangesetEntry[]> {
  let batch: ChangesetEntry[] = [];
  let bytes = 0;
  for await (const entries of batches) {
    for (const e of entries) {
      batch.push(e);
      bytes += e.body.length;
      if (batch.length >= PACK_MAX_CHANGESETS || bytes >= PACK_MAX_BYTES) {
        yield batch;
        batch = [];
        bytes = 0;
      }
    }
  }
  if (batch.length) yield batch;
}

/**
 * A `prophet server --writable` as a merge target: it says what it has
 * seen of the pusher's two logs, then takes the rest in POSTed batches,
 * each merged by the server's own policy and committed on arrival, so an
 * interrupted push resumes where it stopped. The server checks the
 * database identity itself.
 */
export class HttpPushTarget implements ChangesetTarget {
  readonly description: string;
  private readonly client: HttpClient;
  /** POSTs sent. */
  batches = 0;

  constructor(url: string, opts: HttpOptions = {}) {
    this.client = new HttpClient(httpBase(url), opts);
    this.description = this.client.shown('');
  }

  async identity(): Promise<TargetIdentity> {
    return { replica: {}, resolutions: {} };
  }

  async tickets(source: { replica: string; resolutions?: string }): Promise<TargetTickets> {
    try {
      return (await this.client.getJson(`${TICKETS_PATH}?replica=${source.replica}&resolutions=${source.resolutions ?? ''}`)) as PushTickets;
    } catch (err) {
      throw err instanceof HttpError ? await refusal(err, this.client) : err;
    }
  }

  async integrate(incoming: Incoming): Promise<IntegrationReport> {
    const { changesets, resolutions } = incoming;
    const report: IntegrationReport = { changesets: emptyPhase(changesets.uuid), resolutions: emptyPhase(resolutions?.uuid ?? ''), conflicts: [] };
    const votes: ChangesetEntry[] = [];
    if (resolutions) for await (const batch of resolutions.batches) votes.push(...batch);
    const wire = (log: { uuid: string; databaseUuid: string }) => ({ uuid: log.uuid, database_uuid: log.databaseUuid });
    const post = async (entries: ChangesetEntry[]) => {
      const batch: PushBatch = {
        replica: wire(changesets),
        resolutions: wire(resolutions ?? changesets),
        changesets: entries.map(entryToArray),
        resolution_changesets: this.batches === 0 ? votes.map(entryToArray) : [],
      };
      let answer: PushBatchReport;
      try {
        answer = (await this.client.postJson(PUSH_PATH, batch)) as PushBatchReport;
      } catch (err) {
        if (err instanceof HttpError) throw new ProphetError(`${this.client.shown('')} refused the push: ${err.reason}`, err.status === 409 ? 'conflict' : 'http');
        throw err;
      }
      for (const which of ['changesets', 'resolutions'] as const) {
        report[which]!.integrated += answer[which].integrated;
        report[which]!.skipped += answer[which].skipped;
      }
      report.conflicts.push(...(answer.conflicts as ConflictReport[]));
      this.batches++;
    };
    for await (const entries of packSized(changesets.batches)) await post(entries);
    if (this.batches === 0 && votes.length) await post([]);
    return report;
  }
}
