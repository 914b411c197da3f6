import { ProphetError } from '../model/errors.js';
import { SETTINGS_TYPE, storeOf, type Replica, type SettingDefinition } from './replica.js';

export interface SettingValue {
  label: string;
  uuid: string;
  value: unknown;
  description?: string;
}

function definitions(replica: Replica): Array<[string, SettingDefinition]> {
  return Object.entries(replica.app.settings ?? {});
}

/** Every declared setting with its current value (the default when its record is missing). */
export function listSettings(replica: Replica): SettingValue[] {
  return definitions(replica).map(([label, def]) => ({ label, uuid: def.uuid, value: getSetting(replica, label), description: def.description }));
}

export function getSetting(replica: Replica, label: string): unknown {
  const def = replica.app.settings?.[label];
  if (!def) throw new ProphetError(`there is no setting '${label}'`, 'not-found');
  const row = storeOf(replica).recordByUuid(def.uuid);
  const content = row?.live ? row.props.content : undefined;
  if (content === undefined) return def.default;
  try {
    return JSON.parse(content);
  } catch {
    return def.default;
  }
}

/** Sets a setting; returns false when it already had that value. The change syncs like any record. */
export function setSetting(replica: Replica, label: string, value: unknown): boolean {
  const def = replica.app.settings?.[label];
  if (!def) throw new ProphetError(`there is no setting '${label}' (known: ${definitions(replica).map(([l]) => l).join(', ') || 'none'})`, 'not-found');
  const content = JSON.stringify(value);
  const row = storeOf(replica).recordByUuid(def.uuid);
  if (row?.live && row.props.content === content) return false;
  replica.edit((e) => {
    if (row?.live) e.update(SETTINGS_TYPE, def.uuid, { content, label }, { raw: true });
    else e.create(SETTINGS_TYPE, { content, label }, { uuid: def.uuid, raw: true });
  });
  return true;
}

/** Parses a setting value typed by a user as JSON. */
export function parseSettingValue(label: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ProphetError(`cannot set ${label} to ${text}: it is not valid JSON (${(err as Error).message})`);
  }
}
