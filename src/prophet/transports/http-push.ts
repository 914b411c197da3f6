import { ProphetError } from '../model/errors.js';
import { redactUrls } from '../model/redact.js';
import type { Replica } from '../replica/replica.js';
import type { ChangesetEntry } from '../sync/source.js';
import { HttpClient, httpBase, HttpError, type HttpOptions } from './http-fetch.js';
import { MANIFEST_FILE } from './manifest.js';
import { entryToArray, PACK_MAX_BYTES, PACK_MAX_CHANGESETS } from './pack.js';
import { rowToEntry } from './published-log.js';
import { PUSH_PATH, TICKETS_PATH, type PushBatch, type PushBatchReport, type PushedLog, type PushTickets } from './push-protocol.js';

/** One log's part of a push: shaped like the merge engine's phase report (a push has no dry run). */
export interface PushedPhase extends PushedLog {
  wouldMerge: never[];
}

export interface PushReport {
  changesets: PushedPhase;
  resolutions: PushedPhase;
  conflicts: unknown[];
  /** The pushing replica. */
  source: string;
  dryRun: false;
  /** POSTs sent. */
  batches: number;
}

/** Why a server refused to hear about the push at all, as one line the user can act on. */
async function refusal(err: HttpError, client: HttpClient, url: string): Promise<ProphetError> {
  if (err.status === 404) {
    const published = await client.request(MANIFEST_FILE).then(
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

function entriesAfter(replica: Replica, after: number): ChangesetEntry[] {
  return [...replica.rawChangesets(after + 1)].map(rowToEntry);
}

/**
 * Pushes to a `prophet server --writable`: asks what the server has seen
 * of this replica and its resolution database, then sends the rest in
 * batches. Each batch is merged and committed on arrival, so an
 * interrupted push resumes where it stopped.
 */
export async function pushOverHttp(replica: Replica, given: string, opts: HttpOptions = {}): Promise<PushReport> {
  const client = new HttpClient(httpBase(given), opts);
  // For messages: the address without the password it may hold.
  const url = redactUrls(given);
  const query = `${TICKETS_PATH}?replica=${replica.uuid}&resolutions=${replica.resdb.uuid}`;
  let tickets: PushTickets;
  try {
    tickets = (await client.getJson(query)) as PushTickets;
  } catch (err) {
    throw err instanceof HttpError ? await refusal(err, client, url) : err;
  }
  const resolutions = entriesAfter(replica.resdb, tickets.resolutions);
  const log = (uuid: string): PushedPhase => ({ uuid, integrated: 0, skipped: 0, wouldMerge: [] });
  const report: PushReport = { source: replica.root, dryRun: false, changesets: log(replica.uuid), resolutions: log(replica.resdb.uuid), conflicts: [], batches: 0 };
  let from = tickets.replica + 1;
  const latest = replica.latestSequenceNo();
  let first = true;
  while (from <= latest || (first && resolutions.length)) {
    const changesets: ChangesetEntry[] = [];
    let bytes = 0;
    for (const row of replica.rawChangesets(from, latest)) {
      changesets.push(rowToEntry(row));
      bytes += row.body.length;
      if (changesets.length >= PACK_MAX_CHANGESETS || bytes >= PACK_MAX_BYTES) break;
    }
    const batch: PushBatch = {
      replica: { uuid: replica.uuid, database_uuid: replica.databaseUuid },
      resolutions: { uuid: replica.resdb.uuid, database_uuid: replica.resdb.databaseUuid },
      changesets: changesets.map(entryToArray),
      resolution_changesets: first ? resolutions.map(entryToArray) : [],
    };
    let answer: PushBatchReport;
    try {
      answer = (await client.postJson(PUSH_PATH, batch)) as PushBatchReport;
    } catch (err) {
      if (err instanceof HttpError) throw new ProphetError(`${url} refused the push: ${err.reason}`, err.status === 409 ? 'conflict' : 'http');
      throw err;
    }
    for (const which of ['changesets', 'resolutions'] as const) {
      report[which].integrated += answer[which].integrated;
      report[which].skipped += answer[which].skipped;
    }
    report.conflicts.push(...answer.conflicts);
    report.batches++;
    from = (changesets[changesets.length - 1]?.sequence_no ?? latest) + 1;
    first = false;
  }
  return report;
}
