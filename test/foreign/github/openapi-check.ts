/**
 * Checks an answer of the fake GitHub against GitHub's own OpenAPI
 * description (the extract in openapi-issues.json): the fake cannot drift
 * from the real API without a test failing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Endpoint } from './openapi-endpoints.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const extract = JSON.parse(readFileSync(join(import.meta.dirname, 'openapi-issues.json'), 'utf8')) as {
  endpoints: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
};

const ID = 'github-openapi';
// OpenAPI 3.0 schemas: `nullable`, `example`, `discriminator` and vendor keys are not JSON Schema's: not strict.
const ajv = addFormats(new Ajv({ strict: false, allErrors: true, discriminator: false }));
ajv.addSchema({ $id: ID, components: extract.components }, ID);
const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: unknown): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    // Refs inside the schema are relative to the whole description: resolve them in the registered one.
    fn = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${ID}#/components/`)) as object);
    compiled.set(key, fn);
  }
  return fn;
}

/** A timeline item is checked against its own event's schema too: the timeline's anyOf alone lets most shapes through. */
const TIMELINE_EVENTS: Record<string, string> = {
  labeled: 'labeled-issue-event',
  unlabeled: 'unlabeled-issue-event',
  milestoned: 'milestoned-issue-event',
  demilestoned: 'demilestoned-issue-event',
  renamed: 'renamed-issue-event',
  commented: 'timeline-comment-event',
  assigned: 'timeline-assigned-issue-event',
  unassigned: 'timeline-unassigned-issue-event',
  closed: 'state-change-issue-event',
  reopened: 'state-change-issue-event',
};

/** What is wrong with an answer, as lines; none when it matches GitHub's description. */
export function checkAnswer(endpoint: Endpoint, status: number, body: unknown): string[] {
  const responses = extract.endpoints[endpoint];
  if (!responses) return [`${endpoint} is not in the extract: run npm run openapi:github`];
  if (!(String(status) in responses)) return status === 304 || status === 403 || status === 429 || status === 401 ? [] : [`${endpoint}: GitHub does not answer ${status}`];
  const schema = responses[String(status)];
  if (schema === null) return body === undefined || body === null || body === '' ? [] : [`${endpoint} ${status}: GitHub sends no body`];
  const problems: string[] = [];
  const check = (key: string, s: unknown, value: unknown, where: string) => {
    const fn = validator(key, s);
    if (!fn(value)) for (const e of fn.errors ?? []) problems.push(`${endpoint} ${status}${where}${e.instancePath} ${e.message}`);
  };
  check(`${endpoint} ${status}`, schema, body, '');
  if (endpoint.endsWith('/timeline') && Array.isArray(body)) {
    body.forEach((item: { event?: string }, i) => {
      const name = TIMELINE_EVENTS[item.event ?? ''];
      if (!name) problems.push(`${endpoint}: event '${item.event}' has no schema here`);
      else check(name, { $ref: `#/components/schemas/${name}` }, item, ` [${i}] (${item.event})`);
    });
  }
  return problems;
}

/** Error answers (401, 403, 404...) as GitHub sends them. */
export function checkError(body: unknown): string[] {
  const fn = validator('basic-error', { $ref: '#/components/schemas/basic-error' });
  return fn(body) ? [] : (fn.errors ?? []).map((e) => `error body${e.instancePath} ${e.message}`);
}
