/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined`
 * members dropped. Two replicas that hold the same changeset produce the same
 * bytes, so its content hash is the same everywhere.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot hold a non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      // Built by concatenation, without a list per level: a bulk create's changeset is a megabyte of it.
      let out = '';
      if (Array.isArray(value)) {
        for (const item of value as unknown[]) out += `,${item === undefined ? 'null' : canonicalJson(item)}`;
        return `[${out.slice(1)}]`;
      }
      const object = value as Record<string, unknown>;
      for (const key of Object.keys(object).sort()) if (object[key] !== undefined) out += `,${JSON.stringify(key)}:${canonicalJson(object[key])}`;
      return `{${out.slice(1)}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

