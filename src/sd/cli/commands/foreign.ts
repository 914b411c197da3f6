/** `sd foreign show NAME`: a foreign replica's value maps in force, configured entries first. */
import { redactUrls, tableLines, UsageError, type Command } from '../../../prophet/index.js';
import { FOREIGN_TRACKERS, trackerOf } from '../../foreign/connectors.js';
import { MAP_KINDS, mapKey, valueMaps } from '../../foreign/value-maps.js';

export const foreignShow: Command = {
  names: ['foreign show', 'foreign'],
  summary: "Show a foreign replica's status, priority and user maps (its config's entries, then the connector's defaults)",
  usage: ['foreign show NAME|URL'],
  run(ctx) {
    const name = ctx.words[0];
    if (!name) throw new UsageError(`foreign show needs the name of a foreign replica (usage: ${ctx.app.name} ${ctx.command.usage[0]})`);
    ctx.noMoreWords(1);
    const replica = ctx.replica();
    const url = replica.config.get(`replica.${name}.url`) ?? replica.config.get(`replica.${name}.pull-url`) ?? name;
    const tracker = trackerOf(url);
    if (!tracker) {
      const known = url === name ? `no replica named '${name}' is configured` : `'${name}' is ${redactUrls(url)}, not a foreign tracker`;
      throw new UsageError(`${known}: name one configured with 'config replica.NAME.url URL' (${FOREIGN_TRACKERS.map((t) => `${t.scheme.name}:...`).join(', ')}), or give its URL`);
    }
    const maps = valueMaps(tracker.defaults, replica, name);
    const entries = MAP_KINDS.flatMap((kind) => maps[kind].entries.map((e) => ({ map: kind, ...e })));
    if (ctx.json) {
      ctx.printJson({ name, url: redactUrls(url), tracker: tracker.scheme.name, keys: Object.fromEntries(MAP_KINDS.map((k) => [k, mapKey(name, k)])), maps: Object.fromEntries(MAP_KINDS.map((k) => [k, maps[k].entries])), note: tracker.note ?? null });
      return;
    }
    ctx.out(`${name}: ${redactUrls(url)} (${tracker.title})`);
    if (entries.length) for (const line of tableLines(['map', tracker.title, 'SD', 'from'], entries.map((e) => [e.map, e.foreign, e.sd, e.from]))) ctx.out(line);
    else ctx.out('No value maps: every value is kept as it is.');
    if (tracker.note) ctx.out(`Also: ${tracker.note}.`);
    ctx.out(`Values no entry names are kept as they are. The first entry naming a value wins; set your own with 'config ${mapKey(name, 'status')} "FOREIGN=SD, ..."'.`);
  },
};
