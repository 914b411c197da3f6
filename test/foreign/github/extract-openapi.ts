/**
 * Extracts from GitHub's published OpenAPI description (npm
 * `@octokit/openapi`, ~400 MB unpacked) the response schemas of the issue
 * endpoints the connector uses, with every component schema they refer
 * to, into the small committed `openapi-issues.json` the fake server's
 * answers are checked against. Run after updating the package:
 * `npm run openapi:github`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ENDPOINTS } from './openapi-endpoints.js';

interface Doc {
  info: { version: string };
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, unknown> };
}

const require = createRequire(import.meta.url);
const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
const pkg = JSON.parse(readFileSync(require.resolve('@octokit/openapi/package.json'), 'utf8')) as { version: string };
const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;

const schemas: Record<string, unknown> = {};
/** Copies the component schemas a schema refers to, transitively. */
function collect(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(collect);
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const name = value.replace('#/components/schemas/', '');
      if (!(name in schemas)) {
        schemas[name] = doc.components.schemas[name];
        collect(schemas[name]);
      }
    } else collect(value);
  }
}

const endpoints: Record<string, Record<string, unknown>> = {};
for (const endpoint of ENDPOINTS) {
  const [method, path] = endpoint.split(' ') as [string, string];
  const operation = doc.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${endpoint} is not in ${file}`);
  const responses: Record<string, unknown> = {};
  for (const [status, raw] of Object.entries(operation.responses)) {
    let response = raw as { $ref?: string; content?: Record<string, { schema?: unknown }> };
    if (response.$ref) response = doc.components.responses[response.$ref.replace('#/components/responses/', '')] as typeof response;
    const schema = response.content?.['application/json']?.schema ?? null;
    collect(schema);
    responses[status] = schema;
  }
  endpoints[endpoint] = responses;
}
for (const name of ['basic-error', 'validation-error']) {
  schemas[name] = doc.components.schemas[name];
  collect(schemas[name]);
}

/**
 * OpenAPI 3.0's `nullable` as plain JSON Schema, which the validator
 * speaks: a type that also admits null, or "this or null" around a `$ref`
 * or a combination.
 */
function jsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, k === 'example' || k === 'examples' ? undefined : jsonSchema(v)]).filter(([, v]) => v !== undefined));
  if (nullable !== true) return out;
  if (typeof out.type === 'string' && !out.enum) return { ...out, type: [out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

const out = join(import.meta.dirname, 'openapi-issues.json');
writeFileSync(out, `${JSON.stringify({ source: `@octokit/openapi ${pkg.version}, api.github.com.json (API ${doc.info.version}); nullable as JSON Schema`, endpoints: jsonSchema(endpoints), components: { schemas: jsonSchema(schemas) } }, null, 1)}\n`);
console.log(`${out}: ${Object.keys(endpoints).length} endpoints, ${Object.keys(schemas).length} schemas`);
