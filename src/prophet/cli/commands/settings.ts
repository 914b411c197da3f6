import { ProphetError } from '../../model/errors.js';
import { listSettings, parseSettingValue, setSetting, type SettingValue } from '../../replica/settings.js';
import type { Replica } from '../../replica/replica.js';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';

const show = (v: unknown) => JSON.stringify(v);

function settingsTemplate(settings: SettingValue[]): string {
  return settings.map((s) => `# uuid: ${s.uuid}\n${s.description ? `# ${s.description}\n` : ''}${s.label}: ${show(s.value)}\n`).join('\n');
}

/** Reads `# uuid: U` / `label: json` blocks back; every problem is reported before anything is written. */
function parseSettingsTemplate(text: string, settings: SettingValue[]): Array<{ setting: SettingValue; value: unknown }> {
  const out: Array<{ setting: SettingValue; value: unknown }> = [];
  let current: SettingValue | undefined;
  for (const line of text.split(/\r?\n/)) {
    const uuid = /^#\s*uuid:\s*(\S+)\s*$/i.exec(line);
    if (uuid) {
      current = settings.find((s) => s.uuid.toLowerCase() === uuid[1]!.toLowerCase());
      if (!current) throw new ProphetError(`setting with uuid "${uuid[1]}" does not exist; nothing was changed`, 'not-found');
      continue;
    }
    if (line.trim() === '' || line.trimStart().startsWith('#') || !current) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    out.push({ setting: current, value: parseSettingValue(current.label, line.slice(colon + 1).trim()) });
  }
  return out;
}

function setOne(replica: Replica, label: string, text: string): { label: string; old: unknown; new: unknown; changed: boolean } {
  const value = parseSettingValue(label, text);
  const old = listSettings(replica).find((s) => s.label === label)?.value;
  const changed = setSetting(replica, label, value);
  return { label, old, new: value, changed };
}

export const settingsCommand: Command = {
  names: ['settings'],
  summary: 'Show or change the database settings (synced with every replica)',
  usage: ['settings [show]', 'settings set LABEL JSON   (or: settings set -- LABEL JSON)', 'settings edit'],
  options: { flags: ['show', 'edit'], short: { s: 'show' } },
  takesProps: true,
  run(ctx) {
    const mode = ctx.words[0] ?? (ctx.flag('edit') ? 'edit' : ctx.props ? 'set' : 'show');
    const replica = ctx.replica();
    if (mode === 'show') {
      ctx.noMoreWords(1);
      const settings = listSettings(replica);
      if (ctx.json) ctx.printJson(settings);
      else if (settings.length === 0) ctx.out(`${ctx.app.name} declares no database settings.`);
      else ctx.out(settingsTemplate(settings).trimEnd());
      return;
    }
    if (mode === 'set') {
      const pairs = ctx.props ? ctx.props.map((c) => [c.prop, c.value] as const) : ctx.words.length === 3 ? [[ctx.words[1]!, ctx.words[2]!] as const] : [];
      if (pairs.length === 0) throw new UsageError(`settings set needs a label and a JSON value (usage: ${ctx.app.name} settings set LABEL JSON)`);
      const results = pairs.map(([label, text]) => setOne(replica, label, text));
      if (ctx.json) ctx.printJson(results);
      else for (const r of results) ctx.out(`Trying to change ${r.label} from ${show(r.old)} to ${show(r.new)}.`, r.changed ? ' -> Changed.' : ' -> No change needed.');
      return;
    }
    if (mode === 'edit') {
      ctx.noMoreWords(1);
      replica.requireIdentity();
      const settings = listSettings(replica);
      const template = settingsTemplate(settings);
      const edits = parseSettingsTemplate(ctx.editText(template, 'settings.txt'), settings);
      const changed = edits.filter(({ setting, value }) => setSetting(replica, setting.label, value));
      if (ctx.json) ctx.printJson(changed.map(({ setting, value }) => ({ label: setting.label, old: setting.value, new: value, changed: true })));
      else if (changed.length === 0) ctx.out('No settings changed.');
      else for (const { setting, value } of changed) ctx.out(`Changed ${setting.label} from ${show(setting.value)} to ${show(value)}.`);
      return;
    }
    throw new UsageError(`settings has no '${mode}': use show, set or edit`);
  },
};
