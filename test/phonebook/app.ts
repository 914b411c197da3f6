/**
 * A second app on Prophet, proving the core knows no tickets: a phone book
 * with one record type and two commands of its own, built only on
 * Prophet's public API (src/prophet/index.ts), with sync from the core.
 */
import { coreCommands, search, type CliApp, type Command, type RecordTypeDefinition } from '../../src/prophet/index.js';

export const PERSON = 'Person';

const person: RecordTypeDefinition = {
  type: PERSON,
  declaredProps: ['name', 'phone'],
  canonicalize: { phone: (v) => v?.replace(/[\s().-]/g, '') },
  validate: {
    name: (v) => (v ? undefined : 'a person needs a name'),
    phone: (v) => (v === undefined || /^\+?\d{3,15}$/.test(v) ? undefined : `'${v}' is not a phone number`),
  },
};

const add: Command = {
  names: ['add'],
  summary: 'Add a person',
  usage: ['add NAME PHONE'],
  run(ctx) {
    const [name, phone] = ctx.words;
    const { luid } = ctx.replica().create(PERSON, { name: name ?? null, phone: phone ?? null });
    ctx.out(`Added ${name} as ${luid}.`);
  },
};

const find: Command = {
  names: ['find'],
  summary: 'Find people whose name matches',
  usage: ['find TEXT'],
  run(ctx) {
    const text = ctx.words[0] ?? '';
    const people = search(ctx.replica(), PERSON).filter((p) => p.props.name?.toLowerCase().includes(text.toLowerCase()));
    for (const p of people) ctx.out(`${p.props.name}: ${p.props.phone ?? '(no phone)'}`);
  },
};

export const phonebookApp: CliApp = {
  name: 'phonebook',
  version: '1.0.0',
  repoEnv: 'PHONEBOOK_REPO',
  defaultRepo: '~/.phonebook',
  helpIntro: 'phonebook: your contacts on every machine.',
  commands: [add, find, ...coreCommands],
  definition: { name: 'phonebook', recordTypes: [person] },
};
